/**
 * The data unit of a written image: stored type and scaling chosen from the
 * array's dtype (or quantised to an integer BITPIX), and the big-endian bytes
 * produced chunk by chunk.
 */
import { dtypeOf, toNativeOrderInPlace } from '@astro/core';
import type { Dtype, WordSize } from '@astro/core';
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import { isBitpix, padToBlock } from '../format.js';
import type { Bitpix, FitsTypedArray } from '../format.js';
import type { ImageHduInput } from '../hdu-input.js';
import type { CardSpec } from './encode-header.js';
import { rint } from './round.js';

/**
 * A data unit produced on demand: `length` bytes (a whole number of blocks),
 * `fill(at, out)` writes bytes [at, at + out.length) into `out`; `at` is a
 * multiple of 8. Lets writeFits stream a big image through one small buffer.
 */
export interface LazyData {
  length: number;
  fill(at: number, out: Uint8Array): void;
}

/** A data unit in memory or produced on demand. */
export type DataPart = Uint8Array | LazyData;

/**
 * The values as a big-endian data unit padded with zeros to a whole number of
 * blocks, produced chunk by chunk; `flip` toggles the sign bit (the unsigned
 * BZERO/TZERO conventions).
 */
export function bigEndianData(values: FitsTypedArray, wordSize: number, flip = false): LazyData {
  const n = values.byteLength;
  const src = new Uint8Array(values.buffer, values.byteOffset, n);
  return {
    length: padToBlock(n),
    fill(at: number, out: Uint8Array): void {
      const end = Math.min(n, at + out.length);
      const used = Math.max(0, end - at);
      if (used > 0) out.set(src.subarray(at, end));
      out.fill(0, used);
      const chunk = out.subarray(0, used);
      toNativeOrderInPlace(chunk, wordSize as WordSize, false); // native -> big-endian is the same swap
      if (flip) for (let i = 0; i < chunk.length; i += wordSize) chunk[i] ^= 0x80;
    },
  };
}

/** The BITPIX (and unsigned BZERO, written by flipping the sign bit) each dtype is stored as. */
const NATURAL: Record<Dtype, { bitpix: Bitpix; bzero?: number | bigint; flip?: boolean }> = {
  uint8: { bitpix: 8 },
  int8: { bitpix: 8, bzero: -128, flip: true },
  int16: { bitpix: 16 },
  uint16: { bitpix: 16, bzero: 32768, flip: true },
  int32: { bitpix: 32 },
  uint32: { bitpix: 32, bzero: 2147483648, flip: true },
  int64: { bitpix: 64 },
  uint64: { bitpix: 64, bzero: 9223372036854775808n, flip: true },
  float32: { bitpix: -32 },
  float64: { bitpix: -64 },
};

const INT_RANGE: Record<number, [number, number]> = {
  8: [0, 255],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
  64: [-9223372036854775808, 9223372036854775807],
};

function quantize(data: FitsTypedArray, bitpix: 8 | 16 | 32 | 64, bscale: number, bzero: number, blank: number | undefined, loc: FitsLocation): FitsTypedArray {
  const n = data.length;
  const [lo, hi] = INT_RANGE[bitpix];
  const out = bitpix === 8 ? new Uint8Array(n) : bitpix === 16 ? new Int16Array(n) : bitpix === 32 ? new Int32Array(n) : new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(data[i]);
    let q: number;
    if (Number.isNaN(v)) {
      if (blank === undefined) throw fitsError(loc, `value ${i} is NaN and no BLANK was given for BITPIX ${bitpix}`, FitsErrorCode.badValue);
      q = blank;
    } else {
      q = rint((v - bzero) / bscale);
      if (!(q >= lo && q <= hi)) {
        throw fitsError(loc, `value ${i} = ${v} is outside the range of BITPIX ${bitpix} with BSCALE = ${bscale}, BZERO = ${bzero}`, FitsErrorCode.badValue);
      }
    }
    if (out instanceof BigInt64Array) out[i] = BigInt(q);
    else out[i] = q;
  }
  return out;
}

/** What {@link planImage} decides. */
export interface ImagePlan {
  bitpix: Bitpix;
  stored: FitsTypedArray;
  /** Flip the sign bit while encoding (unsigned conventions). */
  flip?: boolean;
  scaleCards: CardSpec[];
}

/** Stored values, BITPIX and scaling cards of an image HDU to write. */
export function planImage(hdu: ImageHduInput, loc: FitsLocation): ImagePlan {
  const d = hdu.data;
  const count = hdu.shape.reduce((a, b) => a * b, 1);
  if (hdu.shape.some((n) => !Number.isInteger(n) || n < 0) || count !== d.length) {
    throw fitsError(loc, `shape [${hdu.shape.join(', ')}] holds ${count} values but data has ${d.length}`, FitsErrorCode.badValue);
  }
  const natural = NATURAL[dtypeOf(d) ?? 'float64'];
  const bitpix = hdu.bitpix ?? natural.bitpix;
  if (!isBitpix(bitpix)) throw fitsError({ ...loc, card: 'BITPIX' }, `illegal BITPIX = ${String(bitpix)}`, FitsErrorCode.badValue);
  const floatData = d instanceof Float32Array || d instanceof Float64Array;
  if (bitpix === natural.bitpix && hdu.bscale === undefined && hdu.bzero === undefined) {
    if (!natural.flip) return { bitpix, stored: d, scaleCards: [] };
    // unsigned convention: the sign bit is flipped while encoding
    return {
      bitpix,
      stored: d,
      flip: true,
      scaleCards: [
        { key: 'BSCALE', value: 1 },
        { key: 'BZERO', value: natural.bzero! },
      ],
    };
  }
  if (bitpix < 0) {
    // float output: convert values, optional scaling stored = (v - bzero) / bscale
    const bscale = hdu.bscale ?? 1;
    const bzero = hdu.bzero ?? 0;
    const out = bitpix === -32 ? new Float32Array(d.length) : new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = (Number(d[i]) - bzero) / bscale;
    const cards: CardSpec[] = bscale !== 1 || bzero !== 0 ? [{ key: 'BSCALE', value: { float: bscale } }, { key: 'BZERO', value: { float: bzero } }] : [];
    return { bitpix, stored: out, scaleCards: cards };
  }
  const bscale = hdu.bscale ?? 1;
  const bzero = hdu.bzero ?? 0;
  if (!(bscale !== 0 && Number.isFinite(bscale) && Number.isFinite(bzero))) throw fitsError({ ...loc, card: 'BSCALE' }, `BSCALE = ${bscale}, BZERO = ${bzero} cannot scale data`, FitsErrorCode.badValue);
  let blank = hdu.blank;
  if (blank === undefined && floatData && bitpix !== 8) blank = INT_RANGE[bitpix as 8 | 16 | 32 | 64][0];
  const stored = quantize(d, bitpix as 8 | 16 | 32 | 64, bscale, bzero, floatData ? blank : undefined, loc);
  const cards: CardSpec[] = [];
  if (bscale !== 1 || bzero !== 0) cards.push({ key: 'BSCALE', value: { float: bscale } }, { key: 'BZERO', value: { float: bzero } });
  if (floatData && blank !== undefined) cards.push({ key: 'BLANK', value: blank });
  return { bitpix, stored, scaleCards: cards };
}
