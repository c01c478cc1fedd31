import { swapBytesInPlace } from '@astro/core';

/**
 * Reverse the byte order of every `word`-byte word in place, using 32-bit
 * lanes when the bytes are aligned (several times faster than a byte loop).
 */
export function swapWordsInPlace(bytes: Uint8Array, word: 1 | 2 | 4 | 8): void {
  if (word === 1) return;
  const n = bytes.length - (bytes.length % word);
  if (n >= 256) {
    // Node's native Buffer swaps (vectorised C++).
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, n);
    if (word === 2) b.swap16();
    else if (word === 4) b.swap32();
    else b.swap64();
    return;
  }
  if (bytes.byteOffset % 4 !== 0 || n % 4 !== 0) {
    swapBytesInPlace(bytes.subarray(0, n), word);
    return;
  }
  const u = new Uint32Array(bytes.buffer, bytes.byteOffset, n >> 2);
  if (word === 2) {
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      u[i] = ((x & 0x00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff);
    }
  } else if (word === 4) {
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      u[i] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
    }
  } else {
    for (let i = 0; i < u.length; i += 2) {
      const a = u[i];
      const b = u[i + 1];
      u[i] = (b << 24) | ((b & 0xff00) << 8) | ((b >>> 8) & 0xff00) | (b >>> 24);
      u[i + 1] = (a << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
    }
  }
}
