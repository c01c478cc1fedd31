/**
 * Image values: the layout of an image header (BITPIX, NAXISn, scaling) and
 * the decoding of stored big-endian values into the physical values astropy
 * returns.
 */
import { IS_LITTLE_ENDIAN, toNativeOrderInPlace } from '@astro/core';
import type { WordSize } from '@astro/core';
import { FitsErrorCode, fitsError } from '../errors.js';
import { FitsFormat, isBitpix } from '../format.js';
import type { FitsDtype, FitsTypedArray } from '../format.js';
import type { FitsHeader } from '../header.js';
import type { ImageLayout } from '../image.js';

/** Read and validate BITPIX, NAXISn, BSCALE, BZERO and BLANK of an image header. */
export function imageLayout(header: FitsHeader, prefix = ''): ImageLayout {
  const loc = header.location;
  const bitpix = header.getInt(`${prefix}BITPIX`);
  if (bitpix === undefined) throw fitsError({ ...loc, card: `${prefix}BITPIX` }, 'mandatory keyword is missing', FitsErrorCode.badKeyword);
  if (!isBitpix(bitpix)) {
    throw fitsError({ ...loc, card: `${prefix}BITPIX` }, `illegal BITPIX = ${bitpix} (expected 8, 16, 32, 64, -32 or -64)`, FitsErrorCode.badKeyword);
  }
  const naxis = header.requireInt(`${prefix}NAXIS`);
  if (naxis < 0 || naxis > 999) throw fitsError({ ...loc, card: `${prefix}NAXIS` }, `NAXIS = ${naxis} is outside 0..999`, FitsErrorCode.badKeyword);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.requireInt(`${prefix}NAXIS${i}`);
    if (n < 0) throw fitsError({ ...loc, card: `${prefix}NAXIS${i}` }, `negative axis length ${n}`, FitsErrorCode.badKeyword);
    axes.push(n);
  }
  const bscale = header.getNumber('BSCALE') ?? 1;
  const bzero = header.getNumber('BZERO') ?? 0;
  let blank: number | bigint | undefined;
  if (bitpix > 0 && header.has('BLANK')) {
    const b = header.get('BLANK');
    if (typeof b === 'number' && Number.isInteger(b)) blank = b;
    else if (typeof b === 'bigint') blank = b;
  }
  return { bitpix, axes, bscale, bzero, blank };
}

/** dtype that `readImage()` returns for a layout (astropy's rules; see docs/fits-io.md). */
export function physicalDtype(layout: Pick<ImageLayout, 'bitpix' | 'bscale' | 'bzero' | 'blank'>, scale = true): FitsDtype {
  const info = FitsFormat.bitpix[layout.bitpix];
  if (!scale) return info.dtype;
  if (layout.bscale === 1 && layout.bzero === 0 && layout.blank === undefined) return info.dtype;
  if (layout.bitpix < 0) return info.dtype;
  if (layout.bscale === 1 && info.unsignedBzero !== undefined && layout.bzero === info.unsignedBzero && info.unsigned) {
    return info.unsigned;
  }
  return info.scaled;
}

/**
 * Decode stored big-endian image values (`bytes` must be owned by the caller
 * and start at an aligned offset; they are swapped in place and viewed, not
 * copied, unless scaling makes floats) into physical values as astropy does.
 */
export function decodeImageValues(bytes: Uint8Array, layout: ImageLayout, scale = true): { data: FitsTypedArray; dtype: FitsDtype } {
  const size = Math.abs(layout.bitpix) / 8;
  const n = Math.floor(bytes.length / size);
  if (bytes.byteOffset % 8 !== 0) {
    const copy = new Uint8Array(n * size);
    copy.set(bytes.subarray(0, n * size));
    bytes = copy;
  }
  toNativeInPlace(bytes, layout, scale);
  return finishImageValues(bytes, layout, scale);
}

/**
 * First step of decoding, in place and chunk by chunk: byte swap to native
 * order and, for the unsigned conventions, flip the sign bit. `chunk` must
 * start at a multiple of 8 bytes of an aligned buffer.
 */
export function toNativeInPlace(chunk: Uint8Array, layout: ImageLayout, scale = true): void {
  const size = Math.abs(layout.bitpix) / 8;
  toNativeOrderInPlace(chunk, size as WordSize, false);
  const dtype = physicalDtype(layout, scale);
  const off = chunk.byteOffset;
  const n = Math.floor(chunk.length / size);
  switch (dtype) {
    case 'int8':
      for (let i = 0; i < chunk.length; i++) chunk[i] ^= 0x80;
      return;
    case 'uint16': {
      const pairs = n >> 1;
      const w = new Uint32Array(chunk.buffer, off, pairs);
      for (let i = 0; i < pairs; i++) w[i] ^= 0x80008000;
      if (n & 1) new Uint16Array(chunk.buffer, off, n)[n - 1] ^= 0x8000;
      return;
    }
    case 'uint32': {
      const w = new Int32Array(chunk.buffer, off, n);
      for (let i = 0; i < n; i++) w[i] ^= 0x80000000;
      return;
    }
    case 'uint64': {
      const words = new Int32Array(chunk.buffer, off, 2 * n);
      for (let i = IS_LITTLE_ENDIAN ? 1 : 0; i < 2 * n; i += 2) words[i] ^= 0x80000000;
      return;
    }
    default:
      return;
  }
}

/** Second step of decoding: view the native bytes as the physical dtype, or scale them to floats. */
export function finishImageValues(bytes: Uint8Array, layout: ImageLayout, scale = true): { data: FitsTypedArray; dtype: FitsDtype } {
  const { bitpix, bscale, bzero, blank } = layout;
  const size = Math.abs(bitpix) / 8;
  const n = Math.floor(bytes.length / size);
  const buffer = bytes.buffer;
  const off = bytes.byteOffset;
  const dtype = physicalDtype(layout, scale);
  switch (bitpix) {
    case 8: {
      const raw = new Uint8Array(buffer, off, n);
      if (dtype === 'uint8') return { data: raw, dtype };
      if (dtype === 'int8') return { data: new Int8Array(buffer, off, n), dtype };
      return { data: scaleToFloat32(raw, bscale, bzero, blank), dtype };
    }
    case 16: {
      const raw = new Int16Array(buffer, off, n);
      if (dtype === 'int16') return { data: raw, dtype };
      if (dtype === 'uint16') return { data: new Uint16Array(buffer, off, n), dtype };
      return { data: scaleToFloat32(raw, bscale, bzero, blank), dtype };
    }
    case 32: {
      const raw = new Int32Array(buffer, off, n);
      if (dtype === 'int32') return { data: raw, dtype };
      if (dtype === 'uint32') return { data: new Uint32Array(buffer, off, n), dtype };
      return { data: scaleToFloat64(raw, bscale, bzero, blank), dtype };
    }
    case 64: {
      const raw = new BigInt64Array(buffer, off, n);
      if (dtype === 'int64') return { data: raw, dtype };
      if (dtype === 'uint64') return { data: new BigUint64Array(buffer, off, n), dtype };
      const out = new Float64Array(n);
      const b = blank === undefined ? undefined : BigInt(blank);
      for (let i = 0; i < n; i++) {
        const v = raw[i];
        out[i] = b !== undefined && v === b ? NaN : Number(v) * bscale + bzero;
      }
      return { data: out, dtype };
    }
    case -32: {
      const raw = new Float32Array(buffer, off, n);
      if (!scale || (bscale === 1 && bzero === 0)) return { data: raw, dtype };
      // astropy: in-place float32 arithmetic with the scalars cast to float32
      const s = Math.fround(bscale);
      const z = Math.fround(bzero);
      for (let i = 0; i < n; i++) raw[i] = Math.fround(Math.fround(raw[i] * s) + z);
      return { data: raw, dtype };
    }
    case -64: {
      const raw = new Float64Array(buffer, off, n);
      if (!scale || (bscale === 1 && bzero === 0)) return { data: raw, dtype };
      for (let i = 0; i < n; i++) raw[i] = raw[i] * bscale + bzero;
      return { data: raw, dtype };
    }
  }
}

/** astropy: np.array(raw, float32); data *= bscale; data += bzero (float32 arithmetic); BLANK -> NaN. */
function scaleToFloat32(raw: Uint8Array | Int16Array, bscale: number, bzero: number, blank: number | bigint | undefined): Float32Array {
  const n = raw.length;
  const out = new Float32Array(n);
  const s = Math.fround(bscale);
  const z = Math.fround(bzero);
  if (bscale === 1 && bzero === 0) for (let i = 0; i < n; i++) out[i] = raw[i];
  else if (bscale === 1) for (let i = 0; i < n; i++) out[i] = raw[i] + z;
  else if (bzero === 0) for (let i = 0; i < n; i++) out[i] = raw[i] * s;
  else for (let i = 0; i < n; i++) out[i] = Math.fround(raw[i] * s) + z;
  if (blank !== undefined) {
    const b = Number(blank);
    for (let i = 0; i < n; i++) if (raw[i] === b) out[i] = NaN;
  }
  return out;
}

function scaleToFloat64(raw: Int32Array, bscale: number, bzero: number, blank: number | bigint | undefined): Float64Array {
  const n = raw.length;
  const out = new Float64Array(n);
  if (bscale === 1) for (let i = 0; i < n; i++) out[i] = raw[i] + bzero;
  else for (let i = 0; i < n; i++) out[i] = raw[i] * bscale + bzero;
  if (blank !== undefined) {
    const b = Number(blank);
    for (let i = 0; i < n; i++) if (raw[i] === b) out[i] = NaN;
  }
  return out;
}
