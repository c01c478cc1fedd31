/**
 * The layout of a tile-compressed image (FITS tiled image convention): the Z
 * keywords of the binary table read and validated into a
 * {@link CompressedImageLayout}, and the stored pixel types of ZBITPIX.
 */
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import type { Bitpix } from '../format.js';
import type { FitsHeader } from '../header.js';
import type { QuantizeMethod } from './quantize.js';

/** Compression algorithms (ZCMPTYPE) this package reads. */
export type CompressionType = 'RICE_1' | 'GZIP_1' | 'GZIP_2' | 'HCOMPRESS_1' | 'PLIO_1' | 'NOCOMPRESS';

const COMPRESSION_TYPES: readonly CompressionType[] = ['RICE_1', 'GZIP_1', 'GZIP_2', 'HCOMPRESS_1', 'PLIO_1', 'NOCOMPRESS'];

/** ZBITPIX -> stored array constructor and bytes per value. */
export const STORED = {
  8: { ctor: Uint8Array, bytes: 1, dtype: 'uint8' },
  16: { ctor: Int16Array, bytes: 2, dtype: 'int16' },
  32: { ctor: Int32Array, bytes: 4, dtype: 'int32' },
  64: { ctor: BigInt64Array, bytes: 8, dtype: 'int64' },
  [-32]: { ctor: Float32Array, bytes: 4, dtype: 'float32' },
  [-64]: { ctor: Float64Array, bytes: 8, dtype: 'float64' },
} as const;

/** Stored (unscaled) pixel values of a compressed image: the array type of ZBITPIX. */
export type StoredPixels = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** Everything the Z keywords say about a compressed image (validated). */
export interface CompressedImageLayout {
  /** ZBITPIX: BITPIX of the image. */
  bitpix: Bitpix;
  /** ZNAXISn, FITS order. */
  axes: number[];
  /** ZTILEn, FITS order (defaults: row tiles). */
  tile: number[];
  /** ZCMPTYPE. */
  compression: CompressionType;
  /** RICE_1 BLOCKSIZE (default 32). */
  blockSize: number;
  /** RICE_1 BYTEPIX (default by ZBITPIX: 1, 2, else 4). */
  bytePix: number;
  /** HCOMPRESS_1 SCALE (0 = lossless). */
  hcompressScale: number;
  /** HCOMPRESS_1 SMOOTH on decompression. */
  hcompressSmooth: boolean;
  /** ZQUANTIZ, or 'NONE' for floats stored losslessly; undefined for integer images. */
  quantize?: QuantizeMethod | 'NONE';
  /** ZDITHER0 (dither seed, 1..10000), 0 when absent. */
  ditherSeed: number;
  /** Number of tiles (= NAXIS2 of the table). */
  tileCount: number;
}

/** `loc` with the card `key`. */
export function card(loc: FitsLocation, key: string): FitsLocation {
  return { ...loc, card: key };
}

/** Read and validate the Z keywords of a compressed-image table header. */
export function compressedImageLayout(header: FitsHeader): CompressedImageLayout {
  const loc = header.location;
  const bitpix = header.getInt('ZBITPIX');
  if (bitpix === undefined) throw fitsError(card(loc, 'ZBITPIX'), 'mandatory keyword of a compressed image is missing', FitsErrorCode.badKeyword);
  if (!(bitpix in STORED)) {
    throw fitsError(card(loc, 'ZBITPIX'), `ZBITPIX = ${bitpix} is not a legal BITPIX (8, 16, 32, 64, -32, -64)`, FitsErrorCode.badKeyword);
  }
  const naxis = header.getInt('ZNAXIS');
  if (naxis === undefined) throw fitsError(card(loc, 'ZNAXIS'), 'mandatory keyword of a compressed image is missing', FitsErrorCode.badKeyword);
  if (naxis < 0 || naxis > 999) throw fitsError(card(loc, 'ZNAXIS'), `ZNAXIS = ${naxis} is outside 0..999`, FitsErrorCode.badKeyword);
  const axes: number[] = [];
  const tile: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.getInt(`ZNAXIS${i}`);
    if (n === undefined) throw fitsError(card(loc, `ZNAXIS${i}`), `mandatory keyword is missing (ZNAXIS = ${naxis})`, FitsErrorCode.badKeyword);
    if (n < 0) throw fitsError(card(loc, `ZNAXIS${i}`), `negative axis length ${n}`, FitsErrorCode.badKeyword);
    axes.push(n);
    const t = header.getInt(`ZTILE${i}`) ?? (i === 1 ? n : 1);
    if (t < 1) throw fitsError(card(loc, `ZTILE${i}`), `tile size ${t} is not positive`, FitsErrorCode.badKeyword);
    tile.push(t);
  }
  const rawType = header.getString('ZCMPTYPE');
  if (rawType === undefined) throw fitsError(card(loc, 'ZCMPTYPE'), 'mandatory keyword of a compressed image is missing', FitsErrorCode.badKeyword);
  const alias: Record<string, CompressionType> = { RICE_ONE: 'RICE_1', GZIP_COMPRESSED: 'GZIP_1' };
  const typeName = rawType.trim().toUpperCase();
  const compression = (alias[typeName] ?? typeName) as CompressionType;
  if (!COMPRESSION_TYPES.includes(compression)) {
    throw fitsError(card(loc, 'ZCMPTYPE'), `compression '${rawType}' is not supported (known: ${COMPRESSION_TYPES.join(', ')})`, FitsErrorCode.unsupported);
  }
  // ZNAMEi / ZVALi parameters
  const params = new Map<string, number>();
  for (let i = 1; i < 1000; i++) {
    const name = header.get(`ZNAME${i}`);
    if (name === undefined) break;
    const value = header.get(`ZVAL${i}`);
    if (typeof name === 'string' && typeof value === 'number') params.set(name.trim().toUpperCase(), value);
  }
  const defaultBytePix = bitpix === 8 ? 1 : bitpix === 16 ? 2 : 4;
  const blockSize = params.get('BLOCKSIZE') ?? 32;
  const bytePix = params.get('BYTEPIX') ?? defaultBytePix;
  if (compression === 'RICE_1') {
    if (!Number.isInteger(blockSize) || blockSize < 1) {
      throw fitsError(card(loc, 'ZVAL1'), `RICE_1 BLOCKSIZE = ${blockSize} is not a positive integer`, FitsErrorCode.badKeyword);
    }
    if (bytePix !== 1 && bytePix !== 2 && bytePix !== 4) {
      throw fitsError(card(loc, 'ZVAL2'), `RICE_1 BYTEPIX = ${bytePix} is not supported (1, 2 or 4)`, FitsErrorCode.unsupported);
    }
  }
  let quantize: QuantizeMethod | 'NONE' | undefined;
  if (bitpix < 0) {
    const q = header.getString('ZQUANTIZ')?.trim().toUpperCase();
    const hasScale = header.has('ZSCALE') || hasColumn(header, 'ZSCALE');
    if (q === 'NONE' || !hasScale) quantize = 'NONE';
    else if (q === undefined || q === 'NO_DITHER') quantize = 'NO_DITHER';
    else if (q === 'SUBTRACTIVE_DITHER_1' || q === 'SUBTRACTIVE_DITHER_2') quantize = q;
    else throw fitsError(card(loc, 'ZQUANTIZ'), `quantization '${q}' is not supported (NO_DITHER, SUBTRACTIVE_DITHER_1, SUBTRACTIVE_DITHER_2, NONE)`, FitsErrorCode.unsupported);
  }
  const ditherSeed = header.getInt('ZDITHER0') ?? 0;
  if (quantize === 'SUBTRACTIVE_DITHER_1' || quantize === 'SUBTRACTIVE_DITHER_2') {
    if (ditherSeed < 1 || ditherSeed > 10000) {
      throw fitsError(card(loc, 'ZDITHER0'), `dither seed ${ditherSeed} is outside 1..10000 (needed by ${quantize})`, FitsErrorCode.badKeyword);
    }
  }
  const expectedTiles = axes.reduce((acc, n, i) => acc * Math.ceil(n / tile[i]), 1);
  const rows = header.requireInt('NAXIS2');
  if (naxis > 0 && rows !== expectedTiles) {
    throw fitsError(
      card(loc, 'NAXIS2'),
      `table has ${rows} rows but ZNAXISn / ZTILEn give ${expectedTiles} tiles`,
      FitsErrorCode.badTable,
    );
  }
  return {
    bitpix: bitpix as Bitpix,
    axes,
    tile,
    compression,
    blockSize,
    bytePix,
    hcompressScale: params.get('SCALE') ?? 0,
    hcompressSmooth: (params.get('SMOOTH') ?? 0) !== 0,
    quantize,
    ditherSeed,
    tileCount: naxis > 0 ? expectedTiles : 0,
  };
}

function hasColumn(header: FitsHeader, name: string): boolean {
  const n = header.getInt('TFIELDS') ?? 0;
  for (let i = 1; i <= n; i++) {
    const t = header.get(`TTYPE${i}`);
    if (typeof t === 'string' && t.trim().toUpperCase() === name) return true;
  }
  return false;
}

/** A new array of the stored type of `bitpix` with `n` values. */
export function makeArray(bitpix: Bitpix, n: number): StoredPixels {
  return new STORED[bitpix].ctor(n);
}
