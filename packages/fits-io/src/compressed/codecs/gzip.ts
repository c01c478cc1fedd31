/**
 * GZIP_1 and GZIP_2 codecs of the FITS tiled-image convention: the tile's
 * big-endian pixel bytes deflated with gzip; GZIP_2 first "shuffles" them
 * (all most-significant bytes, then all next bytes, ...), which compresses
 * smoother data better.
 */
import * as zlib from 'node:zlib';
import { TileCodecError } from './codec-error.js';

/**
 * Inflate a gzip (or zlib) stream that must hold exactly `expectedBytes`
 * bytes. Output is bounded: a stream that would inflate to more throws, so a
 * hostile tile can neither exhaust memory nor hang.
 */
export function gunzipTile(src: Uint8Array, expectedBytes: number): Uint8Array {
  let out: Buffer;
  try {
    out = zlib.unzipSync(src, { maxOutputLength: Math.max(1, expectedBytes) });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/larger than|maxOutputLength|ERR_BUFFER_TOO_LARGE/i.test(detail)) {
      throw new TileCodecError(
        `gzip stream inflates to more than the ${expectedBytes} bytes the tile should hold`,
        { cause: error },
      );
    }
    throw new TileCodecError(`gzip stream of ${src.length} bytes cannot be inflated (${detail})`, {
      cause: error,
    });
  }
  if (out.length !== expectedBytes) {
    throw new TileCodecError(
      `gzip stream inflates to ${out.length} bytes; ${expectedBytes} expected for this tile`,
    );
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Deflate `bytes` as a gzip stream (level 6 unless given). */
export function gzipTile(bytes: Uint8Array, level = 6): Uint8Array {
  const out = zlib.gzipSync(bytes, { level });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Undo the GZIP_2 byte shuffle of `count` values of `size` bytes: input holds
 * byte 0 of every value, then byte 1, ...; output is value after value.
 * Returns a new array.
 */
export function unshuffleBytes(src: Uint8Array, count: number, size: number): Uint8Array {
  if (size === 1) return src;
  const out = new Uint8Array(count * size);
  for (let k = 0; k < size; k++) {
    const base = k * count;
    for (let i = 0, o = k; i < count; i++, o += size) out[o] = src[base + i];
  }
  return out;
}

/** Apply the GZIP_2 byte shuffle (inverse of {@link unshuffleBytes}). Returns a new array. */
export function shuffleBytes(src: Uint8Array, count: number, size: number): Uint8Array {
  if (size === 1) return src;
  const out = new Uint8Array(count * size);
  for (let k = 0; k < size; k++) {
    const base = k * count;
    for (let i = 0, o = k; i < count; i++, o += size) out[base + i] = src[o];
  }
  return out;
}
