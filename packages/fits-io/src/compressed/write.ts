/**
 * Writing tile-compressed images: builds the binary-table HDU (COMPRESSED_DATA
 * rows plus Z keywords) that `writeFits` / `toFitsBytes` write and that
 * astropy and cfitsio read back.
 */
import { bytesInOrder } from '@astro/core';
import type { WordSize } from '@astro/core';
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import type { Bitpix, FitsTypedArray } from '../format.js';
import { FitsHeader } from '../header.js';
import type { FitsCard, FitsValue } from '../header.js';
import type { BinaryTableHduInput, TableColumnInput } from '../hdu-input.js';
import type { FitsCardInput, FitsHeaderInput } from '../header-input.js';
import { riceEncode } from './codecs/rice.js';
import { gzipTile, shuffleBytes } from './codecs/gzip.js';
import { NULL_VALUE, ditherSeedIndex, quantizeTile } from './quantize.js';
import type { QuantizeMethod } from './quantize.js';

/** Compression algorithms {@link compressImage} writes. */
export type WritableCompression = 'RICE_1' | 'GZIP_1' | 'GZIP_2';

/** Options of {@link compressImage}. */
export interface CompressImageOptions {
  /** Algorithm (default RICE_1). */
  compression?: WritableCompression;
  /** Tile shape in FITS order (default `[NAXIS1, 1, ...]`: one row per tile). Edge tiles may be partial. */
  tileShape?: number[];
  /**
   * Float images: how pixels are quantized (default SUBTRACTIVE_DITHER_1).
   * `NONE` stores floats losslessly (GZIP_1 / GZIP_2 only).
   */
  quantizeMethod?: QuantizeMethod | 'NONE';
  /**
   * Float images: quantization level q (default 16). q > 0: step = noise / q,
   * the noise estimated per tile; q < 0: step = -q in data units.
   */
  quantizeLevel?: number;
  /**
   * Float images: what to do with a tile holding NaN. `lossless` (default)
   * stores it unquantized in GZIP_COMPRESSED_DATA, so every reader (astropy
   * 5.2 included, which ignores ZBLANK for floats) gets NaN back; `blank`
   * quantizes it with NaN as ZBLANK = -2147483647 (smaller; cfitsio/funpack and
   * this package read NaN, astropy 5.2 reads a number).
   */
  nanTiles?: 'lossless' | 'blank';
  /** Dither seed ZDITHER0 in 1..10000 (default: derived from the first tile's bytes, reproducible). */
  ditherSeed?: number;
  /** RICE_1 block size (default 32). */
  blockSize?: number;
  /** gzip level 1..9 for GZIP_1/GZIP_2 and lossless tiles (default 6). */
  gzipLevel?: number;
  /** EXTNAME of the HDU (default none; astropy then names it COMPRESSED_IMAGE). */
  name?: string;
  /**
   * Cards of the image header (WCS, OBJECT, BSCALE/BZERO of integer data ...).
   * Structural keywords (SIMPLE, XTENSION, BITPIX, NAXISn, PCOUNT, GCOUNT,
   * EXTEND, CHECKSUM, DATASUM) and Z/T table keywords are ignored.
   */
  header?: FitsHeaderInput;
}

const IMAGE_STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|EXTEND|GROUPS|CHECKSUM|DATASUM|END|TFIELDS|THEAP|T(TYPE|FORM|UNIT|DIM|SCAL|ZERO|NULL|BCOL|DISP)\d+|Z(IMAGE|CMPTYPE|BITPIX|NAXIS\d*|TILE\d+|NAME\d+|VAL\d+|QUANTIZ|DITHER0|SIMPLE|TENSION|EXTEND|BLOCKED|PCOUNT|GCOUNT|HECKSUM|DATASUM|MASKCMP|BLANK|SCALE|ZERO))$/;

function headerCards(input: FitsHeaderInput | undefined): FitsCardInput[] {
  if (!input) return [];
  let cards: FitsCardInput[];
  if (input instanceof FitsHeader) cards = input.cards.map((c: FitsCard) => ({ key: c.key, value: c.value, comment: c.comment }));
  else if (Array.isArray(input)) cards = input.map((c) => ({ ...c }));
  else cards = Object.entries(input).map(([key, value]: [string, FitsValue]) => ({ key, value }));
  return cards.filter((c) => !IMAGE_STRUCTURAL.test(c.key.toUpperCase()));
}

interface Plan {
  bitpix: Bitpix;
  /** Stored integer values (integer images) or float values. */
  values: FitsTypedArray;
  scaleCards: FitsCardInput[];
}

function planValues(data: FitsTypedArray, loc: FitsLocation): Plan {
  if (data instanceof Uint8Array) return { bitpix: 8, values: data, scaleCards: [] };
  if (data instanceof Int16Array) return { bitpix: 16, values: data, scaleCards: [] };
  if (data instanceof Int32Array) return { bitpix: 32, values: data, scaleCards: [] };
  if (data instanceof Float32Array) return { bitpix: -32, values: data, scaleCards: [] };
  if (data instanceof Float64Array) return { bitpix: -64, values: data, scaleCards: [] };
  if (data instanceof Uint16Array) {
    const v = new Int16Array(data.length);
    for (let i = 0; i < data.length; i++) v[i] = data[i] ^ 0x8000;
    return { bitpix: 16, values: v, scaleCards: [{ key: 'BSCALE', value: 1 }, { key: 'BZERO', value: 32768 }] };
  }
  if (data instanceof Uint32Array) {
    const v = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) v[i] = data[i] ^ 0x80000000;
    return { bitpix: 32, values: v, scaleCards: [{ key: 'BSCALE', value: 1 }, { key: 'BZERO', value: 2147483648 }] };
  }
  if (data instanceof Int8Array) {
    const v = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) v[i] = (data[i] ^ 0x80) & 0xff;
    return { bitpix: 8, values: v, scaleCards: [{ key: 'BSCALE', value: 1 }, { key: 'BZERO', value: -128 }] };
  }
  throw fitsError(loc, `${data.constructor.name} images cannot be tile-compressed (use Uint8, Int8, Int16, Uint16, Int32, Uint32, Float32 or Float64)`, FitsErrorCode.badValue);
}

/** The big-endian bytes of `count` values from `start` (a swapped copy, or a view on a big-endian host). */
function bigEndianBytes(values: FitsTypedArray, start: number, count: number): Uint8Array {
  return bytesInOrder(values.subarray(start, start + count), values.BYTES_PER_ELEMENT as WordSize, false);
}

/** Gather the pixels of one tile into a contiguous array of the same type. */
function gatherTile(values: FitsTypedArray, axes: number[], t0: number[], tdim: number[], count: number): FitsTypedArray {
  const ndim = axes.length;
  // contiguous when the tile spans every axis below its first partial axis and has length 1 above
  let k = 0;
  while (k < ndim && tdim[k] === axes[k]) k++;
  let contiguous = true;
  for (let i = k + 1; i < ndim; i++) if (tdim[i] !== 1) contiguous = false;
  let base = 0;
  for (let i = ndim - 1; i >= 0; i--) base = base * axes[i] + t0[i];
  if (contiguous) return values.subarray(base, base + count) as FitsTypedArray;
  const ctor = values.constructor as { new (n: number): FitsTypedArray };
  const out = ctor === undefined ? values.slice(0, 0) : new ctor(count);
  const idx = t0.slice();
  let o = 0;
  for (;;) {
    let s = 0;
    for (let i = ndim - 1; i >= 0; i--) s = s * axes[i] + idx[i];
    (out as Float64Array).set((values as Float64Array).subarray(s, s + tdim[0]), o);
    o += tdim[0];
    let i = 1;
    for (; i < ndim; i++) {
      if (idx[i] + 1 < t0[i] + tdim[i]) {
        idx[i]++;
        break;
      }
      idx[i] = t0[i];
    }
    if (i >= ndim) break;
  }
  return out;
}

/**
 * Tile-compress an image into a binary-table HDU for `writeFits` /
 * `toFitsBytes` (put an empty primary HDU first). Integers are stored
 * losslessly (RICE_1 with BYTEPIX 1/2/4, or GZIP); unsigned arrays use the
 * BZERO convention. Floats are quantized with dithering (or stored losslessly
 * with `quantizeMethod: 'NONE'` and GZIP); a tile that cannot be quantized
 * (constant, infinite values) or holds NaN (see `nanTiles`) is stored
 * losslessly in GZIP_COMPRESSED_DATA. astropy reads the result back.
 * `shape` is in FITS order and must multiply to `data.length`.
 */
export function compressImage(data: FitsTypedArray, shape: number[], options: CompressImageOptions = {}): BinaryTableHduInput {
  const loc: FitsLocation = {};
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || shape.some((n) => !Number.isInteger(n) || n < 1) || count !== data.length) {
    throw fitsError(loc, `shape [${shape.join(', ')}] holds ${count} values but data has ${data.length}`, FitsErrorCode.badValue);
  }
  const compression = options.compression ?? 'RICE_1';
  if (!['RICE_1', 'GZIP_1', 'GZIP_2'].includes(compression)) {
    throw fitsError(loc, `compression '${compression}' cannot be written (RICE_1, GZIP_1, GZIP_2)`, FitsErrorCode.unsupported);
  }
  const ndim = shape.length;
  const tile = options.tileShape ?? shape.map((n, i) => (i === 0 ? n : 1));
  if (tile.length !== ndim || tile.some((t) => !Number.isInteger(t) || t < 1)) {
    throw fitsError(loc, `tileShape [${tile.join(', ')}] must have ${ndim} positive integers`, FitsErrorCode.badValue);
  }
  const plan = planValues(data, loc);
  const isFloat = plan.bitpix < 0;
  const method = options.quantizeMethod ?? 'SUBTRACTIVE_DITHER_1';
  if (isFloat && method === 'NONE' && compression === 'RICE_1') {
    throw fitsError(loc, 'lossless floats (quantizeMethod NONE) need GZIP_1 or GZIP_2; RICE_1 codes integers only', FitsErrorCode.badValue);
  }
  const quantized = isFloat && method !== 'NONE';
  const level = options.quantizeLevel ?? 16;
  const blockSize = options.blockSize ?? 32;
  const gzipLevel = options.gzipLevel ?? 6;
  const bytePix = quantized ? 4 : Math.abs(plan.bitpix) / 8;
  if (compression === 'RICE_1' && bytePix === 8) {
    throw fitsError(loc, 'RICE_1 cannot store 64-bit values', FitsErrorCode.badValue);
  }
  const grid = shape.map((n, i) => Math.ceil(n / tile[i]));
  const nTiles = grid.reduce((a, b) => a * b, 1);
  const tilePixels = tile.reduce((a, b) => a * b, 1);
  const compressed: Uint8Array[] = [];
  const lossless: Uint8Array[] = [];
  const zscale = new Float64Array(nTiles);
  const zzero = new Float64Array(nTiles);
  let anyLossless = false;
  let anyNull = false;
  let seed = options.ditherSeed;
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 1 || seed > 10000)) {
    throw fitsError(loc, `ditherSeed ${seed} is outside 1..10000`, FitsErrorCode.badValue);
  }
  const ints = new Int32Array(tilePixels);
  const g = new Array<number>(ndim).fill(0);
  const t0 = new Array<number>(ndim);
  const tdim = new Array<number>(ndim);
  for (let t = 0; t < nTiles; t++) {
    let n = 1;
    for (let i = 0; i < ndim; i++) {
      t0[i] = g[i] * tile[i];
      tdim[i] = Math.min(tile[i], shape[i] - t0[i]);
      n *= tdim[i];
    }
    const values = gatherTile(plan.values, shape, t0, tdim, n);
    if (quantized) {
      if (seed === undefined) {
        const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
        let sum = 0;
        for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]) % 10000;
        seed = sum + 1;
      }
      const q = options.nanTiles !== 'blank' && hasNaN(values) ? undefined : quantizeTile(values as Float32Array | Float64Array, tdim[0], n / tdim[0], level, method as QuantizeMethod, ditherSeedIndex(t, seed));
      if (q === undefined) {
        compressed.push(new Uint8Array(0));
        lossless.push(gzipTile(bigEndianBytes(values, 0, n), gzipLevel));
        anyLossless = true;
        zscale[t] = 1;
        zzero[t] = 0;
      } else {
        if (q.hasNull) anyNull = true;
        zscale[t] = q.scale;
        zzero[t] = q.zero;
        lossless.push(new Uint8Array(0));
        compressed.push(encodeInts(q.values, n, compression, 4, blockSize, gzipLevel));
      }
    } else if (isFloat) {
      compressed.push(encodeBytes(bigEndianBytes(values, 0, n), n, compression, plan.bitpix === -32 ? 4 : 8, gzipLevel));
      lossless.push(new Uint8Array(0));
    } else if (compression === 'RICE_1') {
      ints.set(values as Int32Array | Int16Array | Uint8Array);
      compressed.push(riceEncode(ints, n, blockSize, bytePix));
      lossless.push(new Uint8Array(0));
    } else {
      compressed.push(encodeBytes(bigEndianBytes(values, 0, n), n, compression, bytePix, gzipLevel));
      lossless.push(new Uint8Array(0));
    }
    for (let i = 0; i < ndim; i++) {
      if (++g[i] < grid[i]) break;
      g[i] = 0;
    }
  }
  const columns: TableColumnInput[] = [{ name: 'COMPRESSED_DATA', data: compressed }];
  if (quantized) {
    if (anyLossless) columns.push({ name: 'GZIP_COMPRESSED_DATA', data: lossless });
    columns.push({ name: 'ZSCALE', data: zscale }, { name: 'ZZERO', data: zzero });
  }
  const cards: FitsCardInput[] = [
    { key: 'ZIMAGE', value: true, comment: 'extension contains compressed image' },
    { key: 'ZTENSION', value: 'IMAGE', comment: 'Image extension' },
    { key: 'ZBITPIX', value: plan.bitpix, comment: 'data type of original image' },
    { key: 'ZNAXIS', value: ndim, comment: 'dimension of original image' },
    ...shape.map((n, i) => ({ key: `ZNAXIS${i + 1}`, value: n, comment: 'length of original image axis' })),
    { key: 'ZPCOUNT', value: 0, comment: 'number of parameters' },
    { key: 'ZGCOUNT', value: 1, comment: 'number of groups' },
    ...tile.map((n, i) => ({ key: `ZTILE${i + 1}`, value: n, comment: 'size of tiles to be compressed' })),
    { key: 'ZCMPTYPE', value: compression, comment: 'compression algorithm' },
  ];
  if (compression === 'RICE_1') {
    cards.push(
      { key: 'ZNAME1', value: 'BLOCKSIZE', comment: 'compression block size' },
      { key: 'ZVAL1', value: blockSize, comment: 'pixels per block' },
      { key: 'ZNAME2', value: 'BYTEPIX', comment: 'bytes per pixel (1, 2, 4, or 8)' },
      { key: 'ZVAL2', value: bytePix, comment: 'bytes per pixel (1, 2, 4, or 8)' },
    );
  }
  if (quantized) {
    const k = compression === 'RICE_1' ? 3 : 1;
    cards.push(
      { key: `ZNAME${k}`, value: 'NOISEBIT', comment: 'floating point quantization level' },
      { key: `ZVAL${k}`, value: { float: level }, comment: 'floating point quantization level' },
      { key: 'ZQUANTIZ', value: method, comment: 'Pixel Quantization Algorithm' },
    );
    if (method !== 'NO_DITHER') cards.push({ key: 'ZDITHER0', value: seed ?? 1, comment: 'dithering offset when quantizing floats' });
    if (anyNull) cards.push({ key: 'ZBLANK', value: NULL_VALUE, comment: 'null value in the compressed integer array' });
  } else if (isFloat) {
    cards.push({ key: 'ZQUANTIZ', value: 'NONE', comment: 'Lossless compression without quantization' });
  }
  if (options.name !== undefined) cards.push({ key: 'EXTNAME', value: options.name, comment: 'name of this binary table extension' });
  const user = headerCards(options.header).filter((c) => !(plan.scaleCards.length > 0 && /^(BSCALE|BZERO)$/i.test(c.key)) && !(c.key.toUpperCase() === 'EXTNAME' && options.name !== undefined));
  cards.push(...plan.scaleCards, ...user);
  return { kind: 'binary-table', columns, nrows: nTiles, header: cards };
}

function hasNaN(values: FitsTypedArray): boolean {
  const v = values as Float32Array | Float64Array;
  for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) return true;
  return false;
}

function encodeBytes(be: Uint8Array, n: number, compression: WritableCompression, size: number, level: number): Uint8Array {
  const bytes = compression === 'GZIP_2' ? shuffleBytes(be, n, size) : be;
  return gzipTile(bytes, level);
}

function encodeInts(values: Int32Array, n: number, compression: WritableCompression, bytePix: number, blockSize: number, level: number): Uint8Array {
  if (compression === 'RICE_1') return riceEncode(values, n, blockSize, bytePix);
  return encodeBytes(bigEndianBytes(values, 0, n), n, compression, 4, level);
}
