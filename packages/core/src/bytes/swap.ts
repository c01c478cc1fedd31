/** True when this machine stores multi-byte numbers little-endian. */
export const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Size in bytes of a word whose byte order can be reversed. */
export type WordSize = 1 | 2 | 4 | 8 | 16;

/**
 * Reverse the byte order of every `wordSize`-byte word of `bytes` in place
 * (wordSize 1 is a no-op; a trailing partial word is left alone). Long runs
 * use Node's vectorised `Buffer.swap16/32/64`; short aligned runs 32-bit
 * lanes; the rest a byte loop. The one byte swap of the SDK: formats call it
 * once at their I/O edge.
 */
export function swapBytesInPlace(bytes: Uint8Array, wordSize: WordSize): void {
  if (wordSize === 1) return;
  const n = bytes.length - (bytes.length % wordSize);
  if (n >= 256 && wordSize !== 16) {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, n);
    if (wordSize === 2) b.swap16();
    else if (wordSize === 4) b.swap32();
    else b.swap64();
    return;
  }
  if (wordSize !== 16 && bytes.byteOffset % 4 === 0 && n % 4 === 0) {
    swapLanes(new Uint32Array(bytes.buffer, bytes.byteOffset, n >> 2), wordSize);
    return;
  }
  const half = wordSize >> 1;
  for (let i = 0; i < n; i += wordSize) {
    for (let j = 0; j < half; j++) {
      const a = bytes[i + j];
      bytes[i + j] = bytes[i + wordSize - 1 - j];
      bytes[i + wordSize - 1 - j] = a;
    }
  }
}

function swap32(x: number): number {
  return (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

function swapLanes(u: Uint32Array, wordSize: 2 | 4 | 8): void {
  if (wordSize === 2) {
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      u[i] = ((x & 0x00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff);
    }
  } else if (wordSize === 4) {
    for (let i = 0; i < u.length; i++) u[i] = swap32(u[i]);
  } else {
    for (let i = 0; i < u.length; i += 2) {
      const a = u[i];
      u[i] = swap32(u[i + 1]);
      u[i + 1] = swap32(a);
    }
  }
}

/**
 * Bring `bytes`, stored with the given byte order, to native order in place
 * (a no-op when they already are). Returns `bytes`.
 */
export function toNativeOrderInPlace(bytes: Uint8Array, wordSize: WordSize, littleEndian: boolean): Uint8Array {
  if (littleEndian !== IS_LITTLE_ENDIAN) swapBytesInPlace(bytes, wordSize);
  return bytes;
}

/**
 * The bytes of a native typed array in the requested byte order: a view of
 * `view` when the orders agree (no copy), otherwise a swapped copy (`view` is
 * never modified).
 */
export function bytesInOrder(view: ArrayBufferView, wordSize: WordSize, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  if (littleEndian === IS_LITTLE_ENDIAN || wordSize === 1) return bytes;
  const copy = bytes.slice();
  swapBytesInPlace(copy, wordSize);
  return copy;
}
