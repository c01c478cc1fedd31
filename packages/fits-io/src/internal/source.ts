import { promises as fsp } from 'node:fs';
import { FitsErrorCode, fitsError } from '../errors.js';

/** Positional reader over a file or in-memory bytes. */
export interface Reader {
  /**
   * Fill `target` with the bytes at `offset`; throws FITS_TRUNCATED if the
   * source ends first. `onChunk(start, end)` is called for each filled part
   * (multiples of {@link CHUNK_BYTES}, so the data is still in cache).
   */
  readInto(offset: number, target: Uint8Array, onChunk?: (start: number, end: number) => void): Promise<void>;
  close(): Promise<void>;
}

/** Where the bytes of a FITS file come from. */
export interface ByteSource {
  /** Path, or a label for in-memory bytes. */
  readonly name: string;
  readonly size: number;
  open(): Promise<Reader>;
}

/** Size of the parts big reads are split into (a multiple of 8 and 2880 is not needed). */
export const CHUNK_BYTES = 4 << 20;

/** Chunks read concurrently by one `readInto` (libuv's thread pool has 4 threads by default). */
const READS_IN_FLIGHT = 4;

class FileReader implements Reader {
  constructor(
    private readonly handle: fsp.FileHandle,
    private readonly name: string,
  ) {}

  /** Fill target[from, to) from the file at `offset + from`. */
  async #fill(offset: number, target: Uint8Array, from: number, to: number): Promise<void> {
    let done = from;
    while (done < to) {
      let n: number;
      try {
        ({ bytesRead: n } = await this.handle.read(target, done, to - done, offset + done));
      } catch (cause) {
        throw fitsError({ file: this.name, offset: offset + done }, `read failed: ${(cause as Error).message}`, FitsErrorCode.io, cause);
      }
      if (n === 0) {
        throw fitsError(
          { file: this.name, offset: offset + done },
          `file ends after ${offset + done} bytes, ${target.length - done} more were expected`,
          FitsErrorCode.truncated,
        );
      }
      done += n;
    }
  }

  /**
   * Big reads keep several chunks in flight: the thread pool copies (and
   * page-faults fresh memory) on all cores while `onChunk` converts the
   * chunks already read, in order, on this thread.
   */
  async readInto(offset: number, target: Uint8Array, onChunk?: (start: number, end: number) => void): Promise<void> {
    const count = Math.ceil(target.length / CHUNK_BYTES);
    const reads: Array<Promise<void>> = [];
    const start = (k: number) => {
      const p = this.#fill(offset, target, k * CHUNK_BYTES, Math.min(target.length, (k + 1) * CHUNK_BYTES));
      p.catch(() => {}); // awaited below, in order
      reads.push(p);
    };
    try {
      for (let k = 0; k < count; k++) {
        while (reads.length < Math.min(count, k + READS_IN_FLIGHT)) start(reads.length);
        await reads[k];
        onChunk?.(k * CHUNK_BYTES, Math.min(target.length, (k + 1) * CHUNK_BYTES));
      }
    } catch (error) {
      // no read may still be writing into `target` when the caller sees the error
      await Promise.allSettled(reads);
      throw error;
    }
  }
  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A file on disk, opened for each read (no handle stays open between reads). */
export async function fileSource(path: string): Promise<ByteSource> {
  let size: number;
  try {
    size = (await fsp.stat(path)).size;
  } catch (cause) {
    throw fitsError({ file: path }, `cannot open: ${(cause as Error).message}`, FitsErrorCode.io, cause);
  }
  return {
    name: path,
    size,
    async open(): Promise<Reader> {
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(path, 'r');
      } catch (cause) {
        throw fitsError({ file: path }, `cannot open: ${(cause as Error).message}`, FitsErrorCode.io, cause);
      }
      return new FileReader(handle, path);
    },
  };
}

/** In-memory bytes (reads copy into the caller's buffer; the input is never modified). */
export function bytesSource(bytes: Uint8Array, name = '<bytes>'): ByteSource {
  const reader: Reader = {
    async readInto(offset: number, target: Uint8Array, onChunk?: (start: number, end: number) => void): Promise<void> {
      if (offset + target.length > bytes.length) {
        throw fitsError(
          { file: name, offset: Math.min(offset, bytes.length) },
          `data ends after ${bytes.length} bytes, ${offset + target.length - bytes.length} more were expected`,
          FitsErrorCode.truncated,
        );
      }
      target.set(bytes.subarray(offset, offset + target.length));
      if (onChunk) for (let at = 0; at < target.length; at += CHUNK_BYTES) onChunk(at, Math.min(target.length, at + CHUNK_BYTES));
    },
    async close(): Promise<void> {},
  };
  return { name, size: bytes.length, open: async () => reader };
}

/** A buffer of `n` bytes that is not zero-filled (it is about to be overwritten), with its own ArrayBuffer at offset 0. */
export function allocUninitialized(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** Run `fn` with an open reader, closing it afterwards. */
export async function withReader<T>(source: ByteSource, fn: (reader: Reader) => Promise<T>): Promise<T> {
  const reader = await source.open();
  try {
    return await fn(reader);
  } finally {
    await reader.close();
  }
}
