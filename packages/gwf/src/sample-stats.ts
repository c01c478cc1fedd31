import * as zlib from 'node:zlib';
import { bytesInOrder } from '@astro/core';
import type { WordSize } from '@astro/core';
import type { GwfSamples } from './format.js';
import { vectTypeOf } from './format.js';

let table: Int32Array | undefined;
/** zlib's CRC-32 (node's `zlib.crc32` where available, Node >= 20.15; a table otherwise). */
function crc32(bytes: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (native) return native(bytes);
  if (!table) {
    table = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
}

/** A sample value for reports: complex samples are `[re, im]`. */
export type GwfStatValue = number | [number, number];

/** Statistics of decoded samples, as printed by `gwf-dump` (FrameL's figures). */
export interface GwfSampleStats {
  /** Number of samples. */
  nData: number;
  /** zlib CRC-32 of the samples as little-endian bytes. */
  crc32: number;
  /** Bytes of the decoded samples. */
  nBytesDecoded: number;
  /** Sequential float64 sum (`[re, im]` for complex). */
  sum: GwfStatValue;
  /** Minimum ignoring NaN (null for complex or empty). */
  min: number | null;
  /** Maximum ignoring NaN (null for complex or empty). */
  max: number | null;
  /** Number of NaN samples (either part for complex). */
  nNaN: number;
  /** Number of infinite samples. */
  nInf: number;
  /** First five samples. */
  first: GwfStatValue[];
  /** Last five samples. */
  last: GwfStatValue[];
}

/**
 * Compute CRC-32, sum, min, max, NaN/Inf counts and the first/last five
 * samples of a decoded vector of FrVect type `type`. Does not copy (except
 * for the byte swap on big-endian machines).
 */
export function computeSampleStats(data: GwfSamples, type: number): GwfSampleStats {
  const vt = vectTypeOf(type);
  const wordBytes = vt?.wordBytes ?? data.BYTES_PER_ELEMENT;
  const complex = vt?.wordsPerSample === 2;
  const bytes = bytesInOrder(data, wordBytes as WordSize, true);
  const n = complex ? data.length / 2 : data.length;
  const val = (i: number): number => Number(data[i]);
  let nNaN = 0;
  let nInf = 0;
  const pick = (i: number): GwfStatValue => (complex ? [val(2 * i), val(2 * i + 1)] : val(i));
  const first: GwfStatValue[] = [];
  const last: GwfStatValue[] = [];
  for (let i = 0; i < Math.min(5, n); i++) first.push(pick(i));
  for (let i = Math.max(0, n - 5); i < n; i++) last.push(pick(i));
  if (complex) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const a = val(2 * i);
      const b = val(2 * i + 1);
      re += a;
      im += b;
      if (Number.isNaN(a) || Number.isNaN(b)) nNaN++;
      else if (!Number.isFinite(a) || !Number.isFinite(b)) nInf++;
    }
    return { nData: n, crc32: crc32(bytes), nBytesDecoded: bytes.length, sum: [re, im], min: null, max: null, nNaN, nInf, first, last };
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let seen = false;
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      sum += v;
      if (v !== v) {
        nNaN++;
        continue;
      }
      if (v === Infinity || v === -Infinity) nInf++;
      if (v < min) min = v;
      if (v > max) max = v;
      seen = true;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = val(i);
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    seen = n > 0;
  }
  return {
    nData: n,
    crc32: crc32(bytes),
    nBytesDecoded: bytes.length,
    sum,
    min: seen ? min : null,
    max: seen ? max : null,
    nNaN,
    nInf,
    first,
    last,
  };
}
