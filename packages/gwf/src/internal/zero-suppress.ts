/**
 * FrameL's zero-suppression codec (compression codes 5, 8 and 10), fused
 * with the integration of first differences that follows it.
 *
 * Layout (equal for 2-, 4- and 8-byte words once the words are in
 * little-endian order): the first 16 bits hold the block size; then an
 * LSB-first bit stream of blocks, each a width field (4, 5 or 6 bits holding
 * nBits - 1, where nBits 1 means "all zero, no payload") followed by
 * `blockSize` values of nBits bits, each stored as `delta + (2^(nBits-1) - 1)`.
 */

import { IS_LITTLE_ENDIAN } from '@astro/core';

/** Thrown (and wrapped by the caller) when the stream is malformed. */
export class ZeroSuppressError extends Error {}

const MASK32 = new Int32Array(33);
const WMAX32 = new Int32Array(33);
for (let n = 1; n <= 32; n++) {
  MASK32[n] = n === 32 ? -1 : (1 << n) - 1;
  WMAX32[n] = n >= 2 ? (n === 32 ? 0x7fffffff : (1 << (n - 1)) - 1) : 0;
}

let scratch = new Int32Array(1024);

/**
 * Copy little-endian-ordered bytes into a zero-padded word array. The array
 * is a module-level scratch buffer reused by every call (decoding is
 * synchronous), so no allocation per vector.
 */
function toWords(le: Uint8Array): Int32Array {
  const nWords = (le.length >> 2) + 3;
  if (scratch.length < nWords) scratch = new Int32Array(Math.max(nWords, scratch.length * 2));
  const words = scratch;
  if (IS_LITTLE_ENDIAN) {
    const bytes = new Uint8Array(words.buffer, 0, nWords * 4);
    bytes.set(le);
    bytes.fill(0, le.length);
  } else {
    const padded = new Uint8Array(nWords * 4);
    padded.set(le);
    const dv = new DataView(padded.buffer);
    for (let i = 0; i < nWords; i++) words[i] = dv.getInt32(i * 4, true);
  }
  return words;
}

/**
 * Decode code 5 (fieldBits 4) or code 8 (fieldBits 5) into `out` (Int16Array
 * or Int32Array), integrating: out[i] = out[i-1] + delta[i] with wrap-around.
 * `le` holds the stored bytes with words already in little-endian order.
 */
export function expandZeroSuppressed(le: Uint8Array, out: Int16Array | Int32Array, fieldBits: 4 | 5): void {
  if (out.length === 0) return;
  if (le.length < 2) throw new ZeroSuppressError('the compressed data is shorter than its 2-byte block size');
  const w = toWords(le);
  const bSize = w[0] & 0xffff;
  if (bSize === 0) throw new ZeroSuppressError('block size 0 in the compressed data');
  const done = out instanceof Int16Array ? expand16(w, le.length * 8, bSize, out) : expand32(w, le.length * 8, bSize, out, fieldBits);
  if (done < out.length) {
    throw new ZeroSuppressError(`the zero-suppressed stream (${le.length} bytes) ends after ${done} of ${out.length} samples`);
  }
}

/** Code 5: 4-bit width fields, up to 16-bit values. Returns samples decoded. */
function expand16(w: Int32Array, totalBits: number, bSize: number, out: Int16Array): number {
  const nData = out.length;
  let pos = 16;
  let iOut = 0;
  let prev = 0;
  while (iOut < nData) {
    let wi = pos >>> 5;
    let s = pos & 31;
    let v = w[wi] >>> s;
    if (s > 28) v |= w[wi + 1] << (32 - s);
    let nBits = (v & 15) + 1;
    if (nBits === 1) nBits = 0;
    pos += 4;
    const end = iOut + bSize < nData ? iOut + bSize : nData;
    if (nBits === 0) {
      for (; iOut < end; iOut++) out[iOut] = prev;
    } else {
      if (pos + (end - iOut) * nBits > totalBits) return iOut;
      const mask = MASK32[nBits];
      const wmax = WMAX32[nBits];
      for (; iOut < end; iOut++) {
        wi = pos >>> 5;
        s = pos & 31;
        v = (w[wi] >>> s) | ((w[wi + 1] << 1) << (31 - s));
        prev = ((prev + ((v & mask) - wmax)) << 16) >> 16;
        out[iOut] = prev;
        pos += nBits;
      }
    }
    if (pos > totalBits) return iOut;
  }
  return iOut;
}

/** Code 8: 5-bit width fields, up to 32-bit values. Returns samples decoded. */
function expand32(w: Int32Array, totalBits: number, bSize: number, out: Int32Array, fieldBits: number): number {
  const nData = out.length;
  const fieldMask = (1 << fieldBits) - 1;
  const maxBits = fieldBits === 4 ? 16 : 32;
  let pos = 16;
  let iOut = 0;
  let prev = 0;
  while (iOut < nData) {
    let wi = pos >>> 5;
    let s = pos & 31;
    let v = w[wi] >>> s;
    if (s + fieldBits > 32) v |= w[wi + 1] << (32 - s);
    let nBits = (v & fieldMask) + 1;
    if (nBits === 1) nBits = 0;
    if (nBits > maxBits) throw new ZeroSuppressError(`block width ${nBits} bits exceeds the ${maxBits}-bit word`);
    pos += fieldBits;
    const end = iOut + bSize < nData ? iOut + bSize : nData;
    if (nBits === 0) {
      for (; iOut < end; iOut++) out[iOut] = prev;
    } else {
      if (pos + (end - iOut) * nBits > totalBits) return iOut;
      const mask = MASK32[nBits];
      const wmax = WMAX32[nBits];
      // Branch-free extraction (crossing a word boundary is data dependent and
      // would mispredict): (hi << 1) << (31 - s) is hi << (32 - s), and 0 when s = 0.
      for (; iOut < end; iOut++) {
        wi = pos >>> 5;
        s = pos & 31;
        const x = (w[wi] >>> s) | ((w[wi + 1] << 1) << (31 - s));
        prev = (prev + ((x & mask) - wmax)) | 0;
        out[iOut] = prev;
        pos += nBits;
      }
    }
    if (pos > totalBits) return iOut;
  }
  return iOut;
}

/** Decode code 10 (8-byte words, 6-bit width fields) into `out`, integrating. */
export function expandZeroSuppressed64(le: Uint8Array, out: BigInt64Array): void {
  const nData = out.length;
  if (nData === 0) return;
  const totalBits = le.length * 8;
  if (totalBits < 16) throw new ZeroSuppressError('the compressed data is shorter than its 2-byte block size');
  const w = toWords(le);
  const bSize = w[0] & 0xffff;
  if (bSize === 0) throw new ZeroSuppressError('block size 0 in the compressed data');
  let pos = 16;
  const read = (n: number): number => {
    // n <= 32
    const wi = pos >>> 5;
    const s = pos & 31;
    let v = w[wi] >>> s;
    if (s + n > 32) v |= w[wi + 1] << (32 - s);
    pos += n;
    return n === 32 ? v >>> 0 : (v & ((1 << n) - 1)) >>> 0;
  };
  let iOut = 0;
  let prev = 0n;
  while (iOut < nData) {
    let nBits = read(6) + 1;
    if (nBits === 1) nBits = 0;
    const end = Math.min(nData, iOut + bSize);
    if (pos + (end - iOut) * nBits > totalBits) break;
    const wmax = nBits >= 2 ? (1n << BigInt(nBits - 1)) - 1n : 0n;
    for (; iOut < end; iOut++) {
      let u = 0n;
      if (nBits > 0) {
        const lo = read(Math.min(nBits, 32));
        const hi = nBits > 32 ? read(nBits - 32) : 0;
        u = (BigInt(hi) << 32n) | BigInt(lo);
      }
      prev = BigInt.asIntN(64, prev + (u - wmax));
      out[iOut] = prev;
    }
  }
  if (iOut < nData || pos > totalBits) {
    throw new ZeroSuppressError(
      `the zero-suppressed stream (${le.length} bytes) ends after ${iOut} of ${nData} samples`,
    );
  }
}

/** Bit writer, LSB first, 32-bit little-endian words. */
class BitWriter {
  words: Uint32Array;
  pos = 16;
  constructor(capacityBits: number, bSize: number) {
    this.words = new Uint32Array((capacityBits >>> 5) + 4);
    this.words[0] = bSize & 0xffff;
  }
  put(value: number, n: number): void {
    if (n === 0) return;
    const wi = this.pos >>> 5;
    const s = this.pos & 31;
    const v = n === 32 ? value >>> 0 : (value & ((1 << n) - 1)) >>> 0;
    this.words[wi] |= v << s;
    if (s + n > 32) this.words[wi + 1] |= v >>> (32 - s);
    this.pos += n;
  }
  /** The stream as little-endian bytes, rounded up to whole words. */
  bytes(wordBytes: number): Uint8Array {
    const nBytes = Math.ceil(this.pos / (wordBytes * 8)) * wordBytes;
    if (IS_LITTLE_ENDIAN) return new Uint8Array(this.words.buffer, 0, nBytes).slice();
    const out = new Uint8Array(nBytes);
    const dv = new DataView(out.buffer);
    for (let i = 0; i * 4 < nBytes; i++) {
      const w = this.words[i];
      for (let b = 0; b < 4 && i * 4 + b < nBytes; b++) dv.setUint8(i * 4 + b, (w >>> (8 * b)) & 255);
    }
    return out;
  }
}

/**
 * Encode first differences of `data` (Int16Array: code 5, Int32Array: code 8)
 * with FrameL's block layout, words little-endian. Returns undefined when a
 * difference equals the most negative value (not representable), as FrameL.
 */
export function compressZeroSuppressed(data: Int16Array | Int32Array, bSize: number): Uint8Array | undefined {
  const n = data.length;
  const is16 = data instanceof Int16Array;
  const fieldBits = is16 ? 4 : 5;
  const minValue = is16 ? -32768 : -2147483648;
  const deltas = new Int32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const d = is16 ? ((data[i] - prev) << 16) >> 16 : (data[i] - prev) | 0;
    if (d === minValue) return undefined;
    deltas[i] = d;
    prev = data[i];
  }
  const bw = new BitWriter(16 + n * (is16 ? 16 : 32) + Math.ceil(n / bSize) * fieldBits + 64, bSize);
  for (let i0 = 0; i0 < n; i0 += bSize) {
    const end = Math.min(n, i0 + bSize);
    let max = 0;
    for (let i = i0; i < end; i++) max |= deltas[i] < 0 ? -deltas[i] : deltas[i];
    const nBits = max === 0 ? 1 : 32 - Math.clz32(max) + 1;
    bw.put(nBits - 1, fieldBits);
    if (nBits > 1) {
      const wmax = WMAX32[nBits];
      for (let i = i0; i < end; i++) bw.put((deltas[i] + wmax) | 0, nBits);
    }
  }
  return bw.bytes(is16 ? 2 : 4);
}

/**
 * Encode first differences of 64-bit integers with FrameL's code-10 layout
 * (16-bit block size, 6-bit width fields, values biased by 2^(n-1) - 1),
 * words little-endian. Returns undefined when a difference is -2^63.
 */
export function compressZeroSuppressed64(data: BigInt64Array, bSize: number): Uint8Array | undefined {
  const n = data.length;
  const deltas = new BigInt64Array(n);
  let prev = 0n;
  for (let i = 0; i < n; i++) {
    const d = BigInt.asIntN(64, data[i] - prev);
    if (d === -(1n << 63n)) return undefined;
    deltas[i] = d;
    prev = data[i];
  }
  const bw = new BitWriter(16 + n * 64 + Math.ceil(n / bSize) * 6 + 128, bSize);
  const put64 = (u: bigint, bits: number): void => {
    if (bits <= 32) bw.put(Number(u & 0xffffffffn), bits);
    else {
      bw.put(Number(u & 0xffffffffn), 32);
      bw.put(Number((u >> 32n) & 0xffffffffn), bits - 32);
    }
  };
  for (let i0 = 0; i0 < n; i0 += bSize) {
    const end = Math.min(n, i0 + bSize);
    let max = 0n;
    for (let i = i0; i < end; i++) max |= deltas[i] < 0n ? -deltas[i] : deltas[i];
    const nBits = max === 0n ? 1 : max.toString(2).length + 1;
    bw.put(nBits - 1, 6);
    if (nBits > 1) {
      const wmax = (1n << BigInt(nBits - 1)) - 1n;
      for (let i = i0; i < end; i++) put64(BigInt.asUintN(64, deltas[i] + wmax), nBits);
    }
  }
  return bw.bytes(8);
}
