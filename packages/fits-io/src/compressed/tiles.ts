/**
 * Tile decoding of a tile-compressed image (astropy's
 * `_tiled_compression.py`): the heap cell of each tile through its codec
 * (RICE_1, GZIP_1/2, HCOMPRESS_1, PLIO_1, NOCOMPRESS, or the GZIP/UNCOMPRESSED
 * fallbacks), unquantized when floats, and the loop that decodes the tiles
 * of a region into one buffer.
 */
import { IS_LITTLE_ENDIAN, toNativeOrderInPlace } from '@astro/core';
import type { WordSize } from '@astro/core';
import { FitsErrorCode, fitsError } from '../errors.js';
import type { BinaryTable } from '../binary-table.js';
import type { BinaryColumnInfo } from '../binary-table.js';
import { STORED, makeArray } from './layout.js';
import type { CompressedImageLayout, StoredPixels } from './layout.js';
import { contiguousOffset, copyTile, tilesIn } from './section.js';
import type { ImageRegion } from './section.js';
import { TileCodecError } from './codecs/codec-error.js';
import { riceDecode } from './codecs/rice.js';
import { gunzipTile, unshuffleBytes } from './codecs/gzip.js';
import { hcompressDecode } from './codecs/hcompress.js';
import { plioDecode } from './codecs/plio.js';
import { ditherSeedIndex, unquantize } from './quantize.js';
import type { QuantizeMethod } from './quantize.js';

interface TileColumns {
  compressed: BinaryColumnInfo;
  gzip?: BinaryColumnInfo;
  uncompressed?: BinaryColumnInfo;
  zscale?: Float64Array;
  zzero?: Float64Array;
  zblank?: Int32Array;
}

/** Bytes per element of each TFORM letter (heap cells). */
export const ELEMENT_BYTES: Record<string, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16 };

function numericColumn(table: BinaryTable, info: BinaryColumnInfo | undefined): Float64Array | undefined {
  if (!info || info.vla || info.repeat < 1) return undefined;
  const rows = table.nrows;
  const dv = new DataView(table.data.buffer, table.data.byteOffset, table.data.byteLength);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const at = r * table.rowLength + info.offset;
    switch (info.code) {
      case 'D':
        out[r] = dv.getFloat64(at, false);
        break;
      case 'E':
        out[r] = dv.getFloat32(at, false);
        break;
      case 'J':
        out[r] = dv.getInt32(at, false);
        break;
      case 'I':
        out[r] = dv.getInt16(at, false);
        break;
      case 'K':
        out[r] = Number(dv.getBigInt64(at, false));
        break;
      case 'B':
        out[r] = dv.getUint8(at);
        break;
      default:
        return undefined;
    }
  }
  return out;
}

/** Big-endian bytes -> values of `ctor` (a new native-order array of `count` values). */
function fromBigEndian<T extends StoredPixels>(bytes: Uint8Array, ctor: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, count: number): T {
  const size = ctor.BYTES_PER_ELEMENT;
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(0, count * size));
  toNativeOrderInPlace(copy, size as WordSize, false);
  return new ctor(copy.buffer, 0, count);
}

/**
 * Decode `count` big-endian values of `size` bytes (GZIP_2: `shuffled`, all
 * first bytes, then all second bytes ...) straight into `out` in native order,
 * without intermediate copies. `out` must hold elements of `size` bytes.
 */
function readBigEndianInto(src: Uint8Array, size: number, shuffled: boolean, out: StoredPixels, count: number): void {
  if (size === 1) {
    (out as Uint8Array).set(src.subarray(0, count));
    return;
  }
  if (!IS_LITTLE_ENDIAN) {
    const bytes = shuffled ? unshuffleBytes(src, count, size) : src;
    new Uint8Array(out.buffer, out.byteOffset, count * size).set(bytes.subarray(0, count * size));
    return;
  }
  if (size === 2) {
    const o = out as Int16Array;
    if (shuffled) for (let i = 0; i < count; i++) o[i] = (src[i] << 8) | src[count + i];
    else for (let i = 0, j = 0; i < count; i++, j += 2) o[i] = (src[j] << 8) | src[j + 1];
    return;
  }
  const words = new Int32Array(out.buffer, out.byteOffset, (count * size) >> 2);
  if (size === 4) {
    if (shuffled) {
      const c2 = 2 * count;
      const c3 = 3 * count;
      for (let i = 0; i < count; i++) words[i] = (src[i] << 24) | (src[count + i] << 16) | (src[c2 + i] << 8) | src[c3 + i];
    } else {
      for (let i = 0, j = 0; i < count; i++, j += 4) words[i] = (src[j] << 24) | (src[j + 1] << 16) | (src[j + 2] << 8) | src[j + 3];
    }
    return;
  }
  // size 8, little-endian host: low word first
  for (let i = 0; i < count; i++) {
    let hi = 0;
    let lo = 0;
    for (let k = 0; k < 4; k++) {
      hi = (hi << 8) | (shuffled ? src[k * count + i] : src[i * 8 + k]);
      lo = (lo << 8) | (shuffled ? src[(k + 4) * count + i] : src[i * 8 + k + 4]);
    }
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
  }
}

/** Bytes of one heap cell described by (length, offset) of a P/Q column. */
const views = new WeakMap<Uint8Array, DataView>();

function cell(table: BinaryTable, info: BinaryColumnInfo, row: number): Uint8Array | undefined {
  let dv = views.get(table.data);
  if (dv === undefined) {
    dv = new DataView(table.data.buffer, table.data.byteOffset, table.data.byteLength);
    views.set(table.data, dv);
  }
  const at = row * table.rowLength + info.offset;
  let len: number;
  let off: number;
  if (info.code === 'P') {
    len = dv.getInt32(at, false);
    off = dv.getInt32(at + 4, false);
  } else {
    len = Number(dv.getBigInt64(at, false));
    off = Number(dv.getBigInt64(at + 8, false));
  }
  if (len === 0) return undefined;
  const elem = ELEMENT_BYTES[info.vla!.element] ?? 1;
  const bytes = len * elem;
  const heapSize = table.data.length - table.heapOffset;
  if (len < 0 || off < 0 || off + bytes > heapSize) {
    throw new TileCodecError(
      `${info.name} descriptor (${len} elements at heap byte ${off}) lies outside the heap of ${heapSize} bytes`,
    );
  }
  const start = table.heapOffset + off;
  return table.data.subarray(start, start + bytes);
}

/** Decoder state shared by the tiles of one image. */
interface TileContext {
  layout: CompressedImageLayout;
  table: BinaryTable;
  columns: TileColumns;
  zscaleKey?: number;
  zzeroKey?: number;
  zblankKey?: number;
  ints: Int32Array;
}

/** Decode tile `t` (count pixels) into `out` (stored type of ZBITPIX, length >= count). */
function decodeTile(ctx: TileContext, t: number, count: number, out: StoredPixels): void {
  const { layout, table, columns } = ctx;
  const stored = STORED[layout.bitpix];
  const quantized = layout.quantize !== undefined && layout.quantize !== 'NONE';
  const compressed = cell(table, columns.compressed, t);
  if (compressed === undefined) {
    const gz = columns.gzip ? cell(table, columns.gzip, t) : undefined;
    if (gz !== undefined) {
      readBigEndianInto(gunzipTile(gz, count * stored.bytes), stored.bytes, false, out, count);
      return;
    }
    const un = columns.uncompressed ? cell(table, columns.uncompressed, t) : undefined;
    if (un !== undefined) {
      const el = columns.uncompressed!.vla!.element;
      const ctor = { B: Uint8Array, I: Int16Array, J: Int32Array, K: BigInt64Array, E: Float32Array, D: Float64Array }[el as 'B'];
      if (ctor === undefined) throw new TileCodecError(`UNCOMPRESSED_DATA element type ${el} is not numeric`);
      const n = Math.floor(un.length / ctor.BYTES_PER_ELEMENT);
      if (n !== count) throw new TileCodecError(`UNCOMPRESSED_DATA holds ${n} values; ${count} expected`);
      const values = fromBigEndian(un, ctor as never, count) as StoredPixels;
      if ((values instanceof BigInt64Array) !== (out instanceof BigInt64Array)) {
        throw new TileCodecError(`UNCOMPRESSED_DATA type ${el} does not fit ZBITPIX ${layout.bitpix}`);
      }
      out.set(values as never);
      return;
    }
    throw new TileCodecError('no data in COMPRESSED_DATA (nor in GZIP_COMPRESSED_DATA or UNCOMPRESSED_DATA)');
  }
  const ints = ctx.ints;
  // Integer (or quantized) values of the tile: either in `ints` or directly in `out`.
  let inInts = true;
  switch (layout.compression) {
    case 'RICE_1': {
      riceDecode(compressed, ints, count, layout.blockSize, layout.bytePix);
      const natural = quantized ? 4 : stored.bytes;
      if (layout.bytePix < natural) {
        if (layout.bytePix === 1) for (let i = 0; i < count; i++) ints[i] &= 0xff;
        else for (let i = 0; i < count; i++) ints[i] = (ints[i] << 16) >> 16;
      }
      break;
    }
    case 'GZIP_1':
    case 'GZIP_2': {
      const size = quantized ? 4 : stored.bytes;
      const raw = gunzipTile(compressed, count * size);
      readBigEndianInto(raw, size, layout.compression === 'GZIP_2', quantized ? ints : out, count);
      inInts = quantized;
      break;
    }
    case 'NOCOMPRESS': {
      const size = quantized ? 4 : stored.bytes;
      if (compressed.length !== count * size) throw new TileCodecError(`NOCOMPRESS tile holds ${compressed.length} bytes; ${count * size} expected`);
      if (quantized) ints.set(fromBigEndian(compressed, Int32Array, count));
      else {
        out.set(fromBigEndian(compressed, stored.ctor as never, count) as never);
        inInts = false;
      }
      break;
    }
    case 'HCOMPRESS_1': {
      const { values } = hcompressDecode(compressed, count, layout.hcompressSmooth);
      for (let i = 0; i < count; i++) ints[i] = values[i];
      break;
    }
    case 'PLIO_1': {
      const words = fromBigEndian(compressed, Int16Array, compressed.length >> 1);
      plioDecode(words, ints, count);
      break;
    }
  }
  if (!inInts) return;
  if (quantized) {
    if (!(out instanceof Float32Array || out instanceof Float64Array)) throw new TileCodecError('quantized tile in an integer image');
    const scale = columns.zscale ? columns.zscale[t] : ctx.zscaleKey;
    const zero = columns.zzero ? columns.zzero[t] : ctx.zzeroKey;
    if (scale === undefined || zero === undefined) throw new TileCodecError('quantized tile without ZSCALE/ZZERO (column or keyword)');
    const blank = columns.zblank ? columns.zblank[t] : ctx.zblankKey;
    unquantize(ints, count, out, scale, zero, layout.quantize as QuantizeMethod, ditherSeedIndex(t, layout.ditherSeed), blank);
    return;
  }
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < count; i++) out[i] = BigInt(ints[i]);
    return;
  }
  // Codecs that produce 32-bit values for a narrower image (HCOMPRESS, PLIO,
  // RICE with a wider BYTEPIX): values outside the pixel type are an error, as
  // cfitsio's overflow check makes them, never a silent wrap.
  const wide = layout.compression === 'HCOMPRESS_1' || layout.compression === 'PLIO_1' || (layout.compression === 'RICE_1' && layout.bytePix > stored.bytes);
  if (wide && stored.bytes < 4) {
    const lo = layout.bitpix === 8 ? 0 : -32768;
    const hi = layout.bitpix === 8 ? 255 : 32767;
    for (let i = 0; i < count; i++) {
      const v = ints[i];
      if (v < lo || v > hi) throw new TileCodecError(`decoded value ${v} at pixel ${i} of the tile is outside the range of BITPIX ${layout.bitpix} (${lo}..${hi})`);
    }
  }
  out.set(ints.subarray(0, count));
}

/** Pixels of a compressed image plus what was applied. */
export interface DecompressedImage {
  /** Stored values (type of ZBITPIX), x fastest. */
  data: StoredPixels;
  /** Shape of `data` in FITS order. */
  shape: number[];
  /**
   * Integer images with a ZBLANK column: 1 where the stored value equals its
   * tile's ZBLANK (undefined otherwise).
   */
  blankMask?: Uint8Array;
}

/**
 * Decompress the tiles of a compressed-image table that intersect `region`
 * (default: the whole image) into stored values (before BSCALE/BZERO).
 * Errors name the file, the HDU and the tile.
 */
export function decompressTiles(table: BinaryTable, layout: CompressedImageLayout, region?: ImageRegion, into?: ArrayBufferView): DecompressedImage {
  const header = table.header;
  const loc = header.location;
  const { axes, tile } = layout;
  const ndim = axes.length;
  const start = region?.start ?? axes.map(() => 0);
  const size = region?.size ?? [...axes];
  const total = size.reduce((a, b) => a * b, 1);
  let data: StoredPixels;
  if (into !== undefined && ndim > 0) {
    const info = STORED[layout.bitpix];
    if (into.byteLength < total * info.bytes || into.byteOffset % 8 !== 0) {
      throw fitsError(loc, `'into' has ${into.byteLength} bytes at offset ${into.byteOffset}; ${total * info.bytes} bytes at an offset that is a multiple of 8 are needed`, FitsErrorCode.badRequest);
    }
    data = new info.ctor(into.buffer as ArrayBuffer, into.byteOffset, total);
  } else {
    data = makeArray(layout.bitpix, ndim === 0 ? 0 : total);
  }
  if (ndim === 0 || total === 0) return { data, shape: size };
  const find = (name: string): BinaryColumnInfo | undefined => table.columns.find((c) => c.name.trim().toUpperCase() === name);
  const compressedCol = find('COMPRESSED_DATA');
  if (!compressedCol || !compressedCol.vla) {
    throw fitsError({ ...loc, column: 'COMPRESSED_DATA' }, 'compressed image has no variable-length COMPRESSED_DATA column', FitsErrorCode.badTable);
  }
  const vlaOrUndefined = (c: BinaryColumnInfo | undefined): BinaryColumnInfo | undefined => (c && c.vla ? c : undefined);
  const zblankCol = numericColumn(table, find('ZBLANK'));
  const columns: TileColumns = {
    compressed: compressedCol,
    gzip: vlaOrUndefined(find('GZIP_COMPRESSED_DATA')),
    uncompressed: vlaOrUndefined(find('UNCOMPRESSED_DATA')),
    zscale: numericColumn(table, find('ZSCALE')),
    zzero: numericColumn(table, find('ZZERO')),
    zblank: zblankCol ? Int32Array.from(zblankCol) : undefined,
  };
  const tilePixels = tile.reduce((a, b) => a * b, 1);
  const ctx: TileContext = {
    layout,
    table,
    columns,
    zscaleKey: header.getNumber('ZSCALE'),
    zzeroKey: header.getNumber('ZZERO'),
    zblankKey: header.getInt('ZBLANK'),
    ints: new Int32Array(tilePixels),
  };
  const grid = axes.map((n, i) => Math.ceil(n / tile[i]));
  const scratch = makeArray(layout.bitpix, tilePixels);
  const perTileBlank = layout.bitpix > 0 ? columns.zblank : undefined;
  const blankMask = perTileBlank ? new Uint8Array(total) : undefined;
  const tileMask = perTileBlank ? new Uint8Array(tilePixels) : undefined;
  const tdim = new Array<number>(ndim);
  const t0 = new Array<number>(ndim);
  for (const t of tilesIn(layout, { start, size })) {
    let count = 1;
    for (let i = 0, rest = t; i < ndim; i++) {
      t0[i] = (rest % grid[i]) * tile[i];
      rest = Math.floor(rest / grid[i]);
      tdim[i] = Math.min(tile[i], axes[i] - t0[i]);
      count *= tdim[i];
    }
    const at = contiguousOffset(tdim, t0, start, size);
    const target = at === undefined ? scratch : data.subarray(at, at + count);
    try {
      decodeTile(ctx, t, count, target);
    } catch (error) {
      if (error instanceof TileCodecError) {
        throw fitsError({ ...loc, tile: t }, `cannot decode ${layout.compression} tile ${t} (row ${t + 1}): ${error.message}`, FitsErrorCode.badTile, error);
      }
      throw error;
    }
    if (at === undefined) copyTile(scratch, tdim, t0, data, start, size);
    if (perTileBlank && blankMask && tileMask) {
      const zb = perTileBlank[t];
      for (let k = 0; k < count; k++) tileMask[k] = Number(target[k]) === zb ? 1 : 0;
      if (at === undefined) copyTile(tileMask, tdim, t0, blankMask, start, size);
      else blankMask.set(tileMask.subarray(0, count), at);
    }
  }
  return { data, shape: size, ...(blankMask ? { blankMask } : {}) };
}
