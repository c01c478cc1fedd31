import { readSync } from 'node:fs';

/**
 * Positional reads through a small window, so that scanning many small
 * structures costs few system calls while large payloads are read directly
 * into their own buffers. Memory stays bounded by the window size plus the
 * largest structure actually requested. Files no larger than the window are
 * read once, whole.
 *
 * Reads are synchronous `pread`s (as FrameL's): a thread-pool round trip per
 * structure would dominate the cost of reading page-cached frames. Each read
 * blocks the event loop only for one structure (or one window refill).
 */
/** Released window buffers, reused by the next files opened (bounded). */
const pool: Uint8Array[] = [];

export class FileWindow {
  /** Bytes read ahead when the window is refilled. */
  static refillBytes = 64 * 1024;
  private buf: Uint8Array;
  private start = 0;
  private length = 0;

  constructor(
    /** File descriptor. */
    private readonly fd: number,
    readonly size: number,
    windowBytes = 1 << 20,
  ) {
    const want = Math.max(64, Math.min(windowBytes, size));
    const i = pool.findIndex((b) => b.length >= want && b.length <= 2 * want);
    if (i >= 0) this.buf = pool.splice(i, 1)[0].subarray(0, want);
    else {
      const raw = Buffer.allocUnsafeSlow(want);
      this.buf = new Uint8Array(raw.buffer, raw.byteOffset, want);
    }
  }

  /** Give the window buffer back to the pool (the window must not be used afterwards). */
  release(): void {
    const whole = new Uint8Array(this.buf.buffer, 0, this.buf.buffer.byteLength);
    this.length = 0;
    if (pool.length < 4) pool.push(whole);
  }

  private readInto(target: Uint8Array, offset: number, length: number, position: number): number {
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, target, offset + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  /** Read exactly into a new buffer (owned by the caller, byteOffset 0). Short reads return fewer bytes. */
  readOwned(position: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (position >= this.start && position + n <= this.start + this.length) {
      return this.buf.slice(position - this.start, position - this.start + n);
    }
    // Uninitialised, unpooled memory (byteOffset 0): every byte is overwritten by the read.
    const raw = Buffer.allocUnsafeSlow(n);
    const out = new Uint8Array(raw.buffer, raw.byteOffset, n);
    const done = this.readInto(out, 0, n, position);
    return done === n ? out : out.subarray(0, done);
  }

  /**
   * Bytes [position, position+length) valid until the next call (a view of
   * the window); falls back to an owned read when larger than the window.
   */
  peek(position: number, length: number, readAhead = FileWindow.refillBytes): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (position >= this.start && position + n <= this.start + this.length) {
      return this.buf.subarray(position - this.start, position - this.start + n);
    }
    if (n > this.buf.length) return this.readOwned(position, n);
    // Small files are read whole; otherwise refill with a modest read-ahead.
    const whole = this.size <= this.buf.length;
    const from = whole ? 0 : position;
    const want = whole ? this.size : Math.min(this.buf.length, this.size - position, Math.max(n, readAhead));
    const done = this.readInto(this.buf, 0, want, from);
    this.start = from;
    this.length = done;
    const at = position - from;
    return this.buf.subarray(at, Math.min(at + n, done));
  }
}
