import type { FileHandle } from 'node:fs/promises';

/**
 * Positional reads through a small window, so that scanning many small
 * structures costs few system calls while large payloads are read directly
 * into their own buffers. Memory stays bounded by the window size plus the
 * largest structure actually requested.
 */
export class FileWindow {
  private buf: Uint8Array;
  private start = 0;
  private length = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    windowBytes = 1 << 20,
  ) {
    this.buf = new Uint8Array(windowBytes);
  }

  /** Read exactly into a new buffer (owned by the caller). Short reads return fewer bytes. */
  async readOwned(position: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (position >= this.start && position + n <= this.start + this.length) {
      return this.buf.slice(position - this.start, position - this.start + n);
    }
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(out, done, n - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === n ? out : out.subarray(0, done);
  }

  /**
   * Bytes [position, position+length) valid until the next call (a view of
   * the window); falls back to an owned read when larger than the window.
   */
  async peek(position: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - position));
    if (position >= this.start && position + n <= this.start + this.length) {
      return this.buf.subarray(position - this.start, position - this.start + n);
    }
    if (n > this.buf.length) return this.readOwned(position, n);
    const want = Math.min(this.buf.length, this.size - position);
    let done = 0;
    while (done < want) {
      const { bytesRead } = await this.handle.read(this.buf, done, want - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    this.start = position;
    this.length = done;
    return this.buf.subarray(0, Math.min(n, done));
  }
}
