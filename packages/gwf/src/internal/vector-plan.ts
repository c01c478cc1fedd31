/**
 * How one channel's samples are stored: the FrVect type from the array, the
 * compression actually used (FrameL's rules: tiny vectors raw, codes a type
 * cannot take fall back to zlib, anything that does not shrink stays raw)
 * and the payload bytes in the file's byte order.
 */
import { deflateSync } from 'node:zlib';
import { bytesInOrder, swapBytesInPlace } from '@astro/core';
import { GwfFormat } from '../format.js';
import type { GwfSamples } from '../format.js';
import { GwfFormatError } from '../errors.js';
import type { GwfCompression, GwfWriteChannel } from '../writer-types.js';
import { compressZeroSuppressed, compressZeroSuppressed64 } from './zero-suppress.js';

/** What {@link planVector} decided for one channel. */
export interface VectorPlan {
  type: number;
  compress: number;
  payload: Uint8Array;
  nData: number;
  bytesPerSample: number;
}

function typeOf(c: GwfWriteChannel): number {
  const d = c.data;
  if (c.complex) {
    if (d instanceof Float32Array) return 6;
    if (d instanceof Float64Array) return 7;
    throw new GwfFormatError(`channel "${c.name}": complex data must be Float32Array or Float64Array`, { code: 'GWF_WRITE', channel: c.name });
  }
  if (d instanceof Float64Array) return 2;
  if (d instanceof Float32Array) return 3;
  if (d instanceof Int32Array) return 4;
  if (d instanceof Int16Array) return 1;
  if (d instanceof Int8Array) return 0;
  if (d instanceof Uint8Array) return 12;
  if (d instanceof Uint16Array) return 9;
  if (d instanceof Uint32Array) return 10;
  if (d instanceof BigInt64Array) return 5;
  if (d instanceof BigUint64Array) return 11;
  throw new GwfFormatError(`channel "${c.name}": unsupported sample array`, { code: 'GWF_WRITE', channel: c.name });
}

/** First differences with wrap-around, in the vector's integer type (FrameL's FrVectDiff). */
function differences(data: GwfSamples): GwfSamples {
  const ctor = data.constructor as new (n: number) => GwfSamples;
  const out = ctor === Float32Array ? new Int32Array(data.length) : new ctor(data.length);
  const src = data instanceof Float32Array ? new Int32Array(data.buffer, data.byteOffset, data.length) : data;
  const o = out as Int32Array;
  const s = src as Int32Array;
  if (o.length > 0) o[0] = s[0];
  for (let i = 1; i < s.length; i++) o[i] = s[i] - s[i - 1];
  return out;
}

export function planVector(c: GwfWriteChannel, compression: GwfCompression, level: number, bigEndian: boolean): VectorPlan {
  const type = typeOf(c);
  const vt = GwfFormat.vectTypes[type];
  const nData = c.data.length / vt.wordsPerSample;
  // Payload words in the file's byte order; the 0x100 bit says "little-endian words".
  const order = (le: Uint8Array, copy: boolean): Uint8Array => {
    if (!bigEndian || vt.wordBytes === 1) return le;
    const out = copy ? le.slice() : le;
    swapBytesInPlace(out, vt.wordBytes);
    return out;
  };
  const leBit = bigEndian ? 0 : 0x100;
  const native = bytesInOrder(c.data, vt.wordBytes, true);
  const raw = order(native, native.buffer === c.data.buffer);
  const rawPlan: VectorPlan = { type, compress: leBit, payload: raw, nData, bytesPerSample: vt.bytesPerSample };
  let mode = compression;
  if (nData < 8) mode = 'raw'; // FrameL does not compress tiny vectors
  if (mode === 'diff-zlib' && ![0, 12, 1, 9, 4, 10].includes(type)) mode = 'zlib';
  if (mode === 'zero-suppress' && ![1, 9, 4, 10, 3, 5, 11].includes(type)) mode = 'zlib';
  if (mode === 'raw') return rawPlan;
  if (mode === 'zlib' || mode === 'diff-zlib') {
    const src = mode === 'zlib' ? raw : order(bytesInOrder(differences(c.data), vt.wordBytes, true), false);
    const z = deflateSync(src, { level });
    if (z.length >= raw.length) return rawPlan;
    return { ...rawPlan, compress: leBit | (mode === 'zlib' ? 1 : 3), payload: z };
  }
  if (vt.wordBytes === 8) {
    const z = compressZeroSuppressed64(new BigInt64Array(c.data.buffer, c.data.byteOffset, c.data.length), 8);
    if (z && bigEndian) swapBytesInPlace(z, 8);
    return z ? { ...rawPlan, compress: leBit | 10, payload: z } : rawPlan;
  }
  const words =
    vt.wordBytes === 2
      ? new Int16Array(c.data.buffer, c.data.byteOffset, c.data.length)
      : new Int32Array(c.data.buffer, c.data.byteOffset, c.data.length);
  const z = compressZeroSuppressed(words, vt.wordBytes === 2 ? 12 : 8);
  if (!z) return rawPlan;
  if (bigEndian) swapBytesInPlace(z, vt.wordBytes as 2 | 4);
  return { ...rawPlan, compress: leBit | (vt.wordBytes === 2 ? 5 : 8), payload: z };
}
