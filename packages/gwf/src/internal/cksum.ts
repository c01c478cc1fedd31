/**
 * POSIX `cksum` CRC (polynomial 0x04C11DB7, MSB first, initial 0, the
 * message length appended little-end-first, result complemented), the
 * checksum of the frame format. Not zlib's CRC-32 (which is bit-reflected).
 * Slice-by-4 tables.
 */
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  T0[i] = c >>> 0;
}
for (let i = 0; i < 256; i++) {
  T1[i] = ((T0[i] << 8) ^ T0[T0[i] >>> 24]) >>> 0;
  T2[i] = ((T1[i] << 8) ^ T0[T1[i] >>> 24]) >>> 0;
  T3[i] = ((T2[i] << 8) ^ T0[T2[i] >>> 24]) >>> 0;
}

/** Raw CRC register update over `bytes` (no length, no complement). */
export function crcUpdate(crc: number, bytes: Uint8Array): number {
  let c = crc >>> 0;
  const n = bytes.length;
  let i = 0;
  const n4 = n - (n % 4);
  for (; i < n4; i += 4) {
    c ^= (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
    c = T3[c >>> 24] ^ T2[(c >>> 16) & 255] ^ T1[(c >>> 8) & 255] ^ T0[c & 255];
  }
  for (; i < n; i++) c = (c << 8) ^ T0[((c >>> 24) ^ bytes[i]) & 255];
  return c >>> 0;
}

/** Finish: append the length (least significant byte first) and complement. */
export function crcFinish(crc: number, length: number): number {
  let c = crc >>> 0;
  let n = length;
  while (n > 0) {
    c = (c << 8) ^ T0[((c >>> 24) ^ (n % 256)) & 255];
    n = Math.floor(n / 256);
  }
  return ~c >>> 0;
}

/** POSIX cksum of `bytes`. */
export function posixCksum(bytes: Uint8Array): number {
  return crcFinish(crcUpdate(0, bytes), bytes.length);
}
