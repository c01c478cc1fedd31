/**
 * Tile-compressed images (FITS tiled image convention, as cfitsio and astropy
 * write them): a binary table with ZIMAGE = T whose rows hold compressed
 * tiles. This module reads them into the pixels astropy returns and rebuilds
 * the image header from the Z keywords.
 */
import { IS_LITTLE_ENDIAN } from '@astro/core';
import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsLocation } from './errors.js';
import type { Bitpix, FitsDtype, FitsTypedArray } from './format.js';
import { FitsHeader } from './header.js';
import type { FitsCard } from './header.js';
import type { FitsImage, ReadImageOptions } from './image.js';
import { BinaryTable, binaryColumns } from './binary-table.js';
import type { BinaryColumnInfo } from './binary-table.js';
import type { FitsHdu } from './read-fits.js';
import { TileCodecError } from './compression/codec-error.js';
import { riceDecode } from './compression/rice.js';
import { gunzipTile, unshuffleBytes } from './compression/gzip.js';
import { hcompressDecode } from './compression/hcompress.js';
import { plioDecode } from './compression/plio.js';
import { ditherSeedIndex, unquantize } from './compression/quantize.js';
import type { QuantizeMethod } from './compression/quantize.js';

/** Compression algorithms (ZCMPTYPE) this package reads. */
export type CompressionType = 'RICE_1' | 'GZIP_1' | 'GZIP_2' | 'HCOMPRESS_1' | 'PLIO_1' | 'NOCOMPRESS';

const COMPRESSION_TYPES: readonly CompressionType[] = ['RICE_1', 'GZIP_1', 'GZIP_2', 'HCOMPRESS_1', 'PLIO_1', 'NOCOMPRESS'];

/** ZBITPIX -> stored array constructor and bytes per value. */
const STORED = {
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

function card(loc: FitsLocation, key: string): FitsLocation {
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

// ---------------------------------------------------------------------------
// image header

const REMAPPED: Record<string, string> = {
  ZSIMPLE: 'SIMPLE',
  ZTENSION: 'XTENSION',
  ZBITPIX: 'BITPIX',
  ZNAXIS: 'NAXIS',
  ZEXTEND: 'EXTEND',
  ZBLOCKED: 'BLOCKED',
  ZPCOUNT: 'PCOUNT',
  ZGCOUNT: 'GCOUNT',
  ZHECKSUM: 'CHECKSUM',
  ZDATASUM: 'DATASUM',
};
const COMPRESSION_LABELS = new Set([...Object.keys(REMAPPED), 'ZIMAGE', 'ZCMPTYPE', 'ZMASKCMP', 'ZQUANTIZ', 'ZDITHER0']);
const INDEXED_COMPRESSION_LABELS = new Set(['ZNAXIS', 'ZTILE', 'ZNAME', 'ZVAL']);
const TABLE_LABELS = new Set([
  'TTYPE', 'TFORM', 'TUNIT', 'TNULL', 'TSCAL', 'TZERO', 'TDISP', 'TBCOL', 'TDIM',
  'TCTYP', 'TCUNI', 'TCRPX', 'TCRVL', 'TCDLT', 'TRPOS',
]);
const Z_RE = /^(Z[A-Z]*)([1-9][0-9 ]*$)?/i;
const T_RE = /^(T[A-Z]*)([1-9][0-9 ]*)$/i;

/** astropy's CompImageHeader._is_reserved_keyword, quirks included (ZDITHER0 is kept). */
function isReserved(key: string): boolean {
  const k = key.toUpperCase();
  if (k === 'TFIELDS') return true;
  const t = T_RE.exec(k);
  if (t && TABLE_LABELS.has(t[1])) return true;
  const z = Z_RE.exec(k);
  if (z) {
    if (z[2] !== undefined && INDEXED_COMPRESSION_LABELS.has(z[1])) return true;
    if (COMPRESSION_LABELS.has(z[1])) return true;
  }
  return false;
}

/**
 * The header of the uncompressed image, rebuilt from the table header the way
 * astropy 5.2 shows it (`CompImageHDU.header`): table and compression cards
 * removed, XTENSION/BITPIX/NAXIS/NAXISn/PCOUNT/GCOUNT first with values
 * from ZTENSION/ZBITPIX/ZNAXIS/ZNAXISn/ZPCOUNT/ZGCOUNT (SIMPLE from ZSIMPLE),
 * EXTEND/BLOCKED/CHECKSUM/DATASUM from ZEXTEND/ZBLOCKED/ZHECKSUM/ZDATASUM,
 * and EXTNAME dropped when it is the default COMPRESSED_IMAGE. Returns a new
 * header; the table header is not modified.
 */
export function compressedImageHeader(tableHeader: FitsHeader): FitsHeader {
  const th = tableHeader;
  const loc = th.location;
  const zbitpix = th.get('ZBITPIX');
  const znaxis = th.getInt('ZNAXIS');
  if (zbitpix === undefined || znaxis === undefined) {
    throw fitsError(card(loc, zbitpix === undefined ? 'ZBITPIX' : 'ZNAXIS'), 'mandatory keyword of a compressed image is missing', FitsErrorCode.badKeyword);
  }
  const h = new CardList(th.cards.filter((c) => !isReserved(c.key)).map((c) => ({ ...c })));
  const comment = (key: string): string | undefined => (th.has(key) ? (th.comment(key) ?? '') : undefined);
  if (th.has('ZSIMPLE')) {
    h.set('SIMPLE', th.get('ZSIMPLE') ?? true, comment('ZSIMPLE'), { before: 0 });
    h.delete('XTENSION');
  } else {
    h.set('XTENSION', 'IMAGE', comment('ZTENSION'), { before: 0 });
  }
  h.set('BITPIX', zbitpix, comment('ZBITPIX'), { before: 1 });
  h.set('NAXIS', znaxis, comment('ZNAXIS'), { before: 2 });
  let last = 'NAXIS';
  for (let i = 1; i <= znaxis; i++) {
    h.set(`NAXIS${i}`, th.get(`ZNAXIS${i}`) ?? null, comment(`ZNAXIS${i}`), { after: last });
    last = `NAXIS${i}`;
  }
  for (const c of [...h.cards]) {
    const m = /^NAXIS(\d+)$/.exec(c.key.toUpperCase());
    if (m && Number(m[1]) > znaxis) h.delete(c.key);
  }
  h.set('PCOUNT', th.get('ZPCOUNT') ?? 0, comment('ZPCOUNT'), { after: last });
  h.set('GCOUNT', th.get('ZGCOUNT') ?? 1, comment('ZGCOUNT'), { after: 'PCOUNT' });
  const moved: Array<[string, string]> = [
    ['ZEXTEND', 'EXTEND'],
    ['ZBLOCKED', 'BLOCKED'],
    ['ZHECKSUM', 'CHECKSUM'],
    ['ZDATASUM', 'DATASUM'],
  ];
  for (const [from, to] of moved) {
    if (th.has(from)) h.set(to, th.get(from) ?? null, comment(from));
  }
  const extname = h.get('EXTNAME');
  if (typeof extname === 'string' && extname.trim() === 'COMPRESSED_IMAGE') h.delete('EXTNAME');
  if (h.index('SIMPLE') >= 0) {
    h.delete('PCOUNT');
    h.delete('GCOUNT');
  }
  return new FitsHeader(h.cards, { ...loc }, []);
}

const COMMENTARY = new Set(['', 'COMMENT', 'HISTORY']);

/** The few astropy `Header` operations the image header is rebuilt with (same card placement rules). */
class CardList {
  constructor(readonly cards: FitsCard[]) {}

  index(key: string): number {
    const k = key.toUpperCase();
    return this.cards.findIndex((c) => c.key.toUpperCase() === k);
  }

  get(key: string): unknown {
    const i = this.index(key);
    return i < 0 ? undefined : this.cards[i].value;
  }

  delete(key: string): void {
    const k = key.toUpperCase();
    for (let i = this.cards.length - 1; i >= 0; i--) if (this.cards[i].key.toUpperCase() === k) this.cards.splice(i, 1);
  }

  /** astropy Header.set(keyword, value, comment, before=, after=). */
  set(key: string, value: FitsCard['value'], comment: string | undefined, pos?: { before?: number | string; after?: string }): void {
    const i = this.index(key);
    if (i >= 0) {
      const c: FitsCard = { key: this.cards[i].key, value, comment: comment ?? this.cards[i].comment };
      this.cards[i] = c;
      if (pos) this.#relativeInsert(c, pos, true);
    } else if (pos) {
      this.#relativeInsert({ key, value, comment: comment ?? '' }, pos, false);
    } else {
      this.#append({ key, value, comment: comment ?? '' });
    }
  }

  #insertionIndex(pos: { before?: number | string; after?: string }): number {
    const key = pos.before ?? pos.after!;
    let idx = typeof key === 'number' ? key : this.index(key);
    if (pos.before === undefined) idx += 1;
    return idx;
  }

  #relativeInsert(c: FitsCard, pos: { before?: number | string; after?: string }, replace: boolean): void {
    if (replace) {
      const old = this.index(c.key);
      const ins = this.#insertionIndex(pos);
      if (ins >= this.cards.length && old === this.cards.length - 1) return;
      if (pos.before !== undefined) {
        if (old === ins - 1) return;
      } else if (old === ins) {
        return;
      }
      this.cards.splice(old, 1);
    }
    this.cards.splice(this.#insertionIndex(pos), 0, c);
  }

  /** Append after the last non-commentary card (astropy's Header.append default). */
  #append(c: FitsCard): void {
    let idx = this.cards.length - 1;
    const blank = (x: FitsCard) => x.key === '' && (x.value === '' || x.value === null) && x.comment === '';
    while (idx >= 0 && blank(this.cards[idx])) idx--;
    while (idx >= 0 && COMMENTARY.has(this.cards[idx].key.toUpperCase())) idx--;
    this.cards.splice(idx + 1, 0, c);
  }
}

// ---------------------------------------------------------------------------
// reading

interface TileColumns {
  compressed: BinaryColumnInfo;
  gzip?: BinaryColumnInfo;
  uncompressed?: BinaryColumnInfo;
  zscale?: Float64Array;
  zzero?: Float64Array;
  zblank?: Int32Array;
}

const ELEMENT_BYTES: Record<string, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16 };

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

/** Big-endian bytes -> values of `ctor` (a new native-order array). */
function fromBigEndian<T extends StoredPixels>(bytes: Uint8Array, ctor: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, count: number): T {
  const size = ctor.BYTES_PER_ELEMENT;
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(0, count * size));
  if (IS_LITTLE_ENDIAN && size > 1) {
    const buf = Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength);
    if (size === 2) buf.swap16();
    else if (size === 4) buf.swap32();
    else buf.swap64();
  }
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

/** A box of an N-dimensional image: start and size per axis, FITS order (axis 1 first). */
export interface ImageRegion {
  /** Start of the wanted region per axis (FITS order). */
  start: number[];
  /** Size of the wanted region per axis. */
  size: number[];
}

function makeArray(bitpix: Bitpix, n: number): StoredPixels {
  return new STORED[bitpix].ctor(n);
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
  // tile index ranges that intersect the region, per axis
  const lo = grid.map((_, i) => Math.floor(start[i] / tile[i]));
  const hi = grid.map((_, i) => Math.floor((start[i] + size[i] - 1) / tile[i]));
  const scratch = makeArray(layout.bitpix, tilePixels);
  const perTileBlank = layout.bitpix > 0 ? columns.zblank : undefined;
  const blankMask = perTileBlank ? new Uint8Array(total) : undefined;
  const tileMask = perTileBlank ? new Uint8Array(tilePixels) : undefined;
  const g = lo.slice();
  const tdim = new Array<number>(ndim);
  const t0 = new Array<number>(ndim);
  for (;;) {
    let t = 0;
    for (let i = ndim - 1; i >= 0; i--) t = t * grid[i] + g[i];
    let count = 1;
    for (let i = 0; i < ndim; i++) {
      t0[i] = g[i] * tile[i];
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
    // next tile
    let i = 0;
    for (; i < ndim; i++) {
      if (g[i] < hi[i]) {
        g[i]++;
        break;
      }
      g[i] = lo[i];
    }
    if (i === ndim) break;
  }
  return { data, shape: size, ...(blankMask ? { blankMask } : {}) };
}

/**
 * Offset in the region buffer where a tile can be decoded in place: the tile
 * lies inside the region and its pixels are contiguous there (it spans the
 * region on every axis below the first partial one and has length 1 above).
 */
function contiguousOffset(tdim: number[], t0: number[], start: number[], size: number[]): number | undefined {
  const ndim = tdim.length;
  for (let i = 0; i < ndim; i++) {
    if (t0[i] < start[i] || t0[i] + tdim[i] > start[i] + size[i]) return undefined;
  }
  let k = 0;
  while (k < ndim && tdim[k] === size[k]) k++;
  for (let i = k + 1; i < ndim; i++) if (tdim[i] !== 1) return undefined;
  let d = 0;
  for (let i = ndim - 1; i >= 0; i--) d = d * size[i] + (t0[i] - start[i]);
  return d;
}

/** Copy the part of a decoded tile (dims tdim at t0) that lies in the region into `dst`. */
function copyTile(src: StoredPixels, tdim: number[], t0: number[], dst: StoredPixels, start: number[], size: number[]): void {
  const ndim = tdim.length;
  // intersection per axis
  const a = new Array<number>(ndim);
  const b = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    a[i] = Math.max(t0[i], start[i]);
    b[i] = Math.min(t0[i] + tdim[i], start[i] + size[i]);
    if (b[i] <= a[i]) return;
  }
  const rowLen = b[0] - a[0];
  const idx = a.slice();
  for (;;) {
    let s = 0;
    let d = 0;
    for (let i = ndim - 1; i >= 0; i--) {
      s = s * tdim[i] + (idx[i] - t0[i]);
      d = d * size[i] + (idx[i] - start[i]);
    }
    (dst as Float64Array).set((src as Float64Array).subarray(s, s + rowLen), d);
    let i = 1;
    for (; i < ndim; i++) {
      if (idx[i] + 1 < b[i]) {
        idx[i]++;
        break;
      }
      idx[i] = a[i];
    }
    if (i >= ndim) break;
  }
}

/**
 * Physical values as astropy 5.2's CompImageHDU.data gives them: when BSCALE
 * or BZERO is set, integers become uint16/uint32/uint64 for the unsigned
 * convention (BSCALE 1, BZERO 2^(bits-1)), otherwise float32 (BITPIX 8, 16)
 * or float64 (BITPIX 32, 64); when a blank value is known (ZBLANK column or
 * keyword, else BLANK) those pixels become NaN and the result float64.
 */
function physical(
  raw: StoredPixels,
  bitpix: Bitpix,
  bscale: number,
  bzero: number,
  blank: number | undefined,
  blankMask: Uint8Array | undefined,
): { data: FitsTypedArray; dtype: FitsDtype } {
  const storedDtype = STORED[bitpix].dtype as FitsDtype;
  if (bscale === 1 && bzero === 0) return { data: raw, dtype: storedDtype };
  const n = raw.length;
  const hasBlank = blank !== undefined || blankMask !== undefined;
  const isBlank = (i: number, v: number): boolean => (blankMask ? blankMask[i] === 1 : v === blank);
  if (bitpix < 0) {
    const out = raw as Float32Array | Float64Array;
    if (out instanceof Float32Array) {
      const s = Math.fround(bscale);
      const z = Math.fround(bzero);
      for (let i = 0; i < n; i++) out[i] = Math.fround(out[i] * s) + z;
    } else {
      for (let i = 0; i < n; i++) out[i] = out[i] * bscale + bzero;
    }
    return { data: out, dtype: storedDtype };
  }
  const unsignedZero = bitpix === 16 ? 32768 : bitpix === 32 ? 2147483648 : bitpix === 64 ? 2 ** 63 : undefined;
  if (bscale === 1 && unsignedZero !== undefined && bzero === unsignedZero && !hasBlank) {
    if (raw instanceof Int16Array) {
      const u = new Uint16Array(raw.buffer, raw.byteOffset, n);
      for (let i = 0; i < n; i++) u[i] ^= 0x8000;
      return { data: u, dtype: 'uint16' };
    }
    if (raw instanceof Int32Array) {
      const u = new Uint32Array(raw.buffer, raw.byteOffset, n);
      for (let i = 0; i < n; i++) u[i] ^= 0x80000000;
      return { data: u, dtype: 'uint32' };
    }
    const r = raw as BigInt64Array;
    const u = new BigUint64Array(r.buffer, r.byteOffset, n);
    for (let i = 0; i < n; i++) u[i] = BigInt.asUintN(64, r[i] + (1n << 63n));
    return { data: u, dtype: 'uint64' };
  }
  const toFloat32 = bitpix <= 16 && !hasBlank;
  if (toFloat32) {
    const out = new Float32Array(n);
    const s = Math.fround(bscale);
    const z = Math.fround(bzero);
    const src = raw as Uint8Array | Int16Array;
    if (bscale === 1) for (let i = 0; i < n; i++) out[i] = src[i] + z;
    else if (bzero === 0) for (let i = 0; i < n; i++) out[i] = src[i] * s;
    else for (let i = 0; i < n; i++) out[i] = Math.fround(src[i] * s) + z;
    return { data: out, dtype: 'float32' };
  }
  const out = new Float64Array(n);
  if (bitpix <= 16) {
    // float32 arithmetic first (astropy scales in float32), then NaN for blanks in float64
    const s = Math.fround(bscale);
    const z = Math.fround(bzero);
    const src = raw as Uint8Array | Int16Array;
    for (let i = 0; i < n; i++) {
      let v = Math.fround(src[i]);
      if (bscale !== 1) v = Math.fround(v * s);
      if (bzero !== 0) v = Math.fround(v + z);
      out[i] = isBlank(i, src[i]) ? NaN : v;
    }
  } else if (raw instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      const v = Number(raw[i]);
      out[i] = isBlank(i, v) ? NaN : v * bscale + bzero;
    }
  } else {
    const src = raw as Int32Array;
    for (let i = 0; i < n; i++) {
      const v = src[i];
      out[i] = isBlank(i, v) ? NaN : v * bscale + bzero;
    }
  }
  return { data: out, dtype: 'float64' };
}

/**
 * Decompress a tile-compressed image HDU (ZIMAGE = T) into the values astropy
 * returns (`CompImageHDU.data`): integers exactly, quantized floats with the
 * standard subtractive dither, BSCALE/BZERO applied as astropy does. With
 * `section` or `plane`, only the tiles that intersect are read (one
 * positional read per heap cell) and decoded; otherwise the table is read once; the result owns its buffer, or is a view on `into` when given
 * (unless scaling makes floats, which are a new array).
 *
 * Throws {@link FitsFormatError}: FITS_BAD_TILE naming the tile for a corrupt
 * tile, FITS_BAD_KEYWORD / FITS_UNSUPPORTED naming the card for bad Z keywords.
 */
export async function readCompressedImage(hdu: FitsHdu, options: ReadImageOptions = {}): Promise<FitsImage> {
  const layout = compressedImageLayout(hdu.header);
  const { region } = planRegion(layout, options, hdu.header.location);
  const table = region === undefined ? await hdu.readBinaryTable() : await readTilesOnly(hdu, tilesIn(layout, region));
  return decompressImage(table, layout, options);
}

/** The region (and result shape) a read asks for; undefined region = the whole image. */
function planRegion(layout: CompressedImageLayout, options: ReadImageOptions, loc: FitsLocation): { region?: ImageRegion; shape: number[] } {
  const axes = layout.axes;
  const sec = options.section;
  if (sec === undefined && options.plane === undefined) return { shape: [...axes] };
  const nx = axes[0] ?? 0;
  const ny = axes.length > 1 ? axes[1] : 1;
  const planeCount = axes.slice(2).reduce((a, b) => a * b, 1);
  const s = sec ?? { x0: 0, y0: 0, width: nx, height: ny };
  const ok =
    [s.x0, s.y0, s.width, s.height].every((v) => Number.isInteger(v) && v >= 0) && s.x0 + s.width <= nx && s.y0 + s.height <= ny;
  if (!ok) {
    throw fitsError(loc, `section x0=${s.x0} y0=${s.y0} width=${s.width} height=${s.height} is outside the ${nx}x${ny} image`, FitsErrorCode.badRequest);
  }
  if (options.plane !== undefined && (!Number.isInteger(options.plane) || options.plane < 0 || options.plane >= planeCount)) {
    throw fitsError(loc, `plane ${options.plane} is outside 0..${planeCount - 1}`, FitsErrorCode.badRequest);
  }
  const startN = [s.x0, s.y0];
  const sizeN = [s.width, s.height];
  // higher axes: the whole range, or the one plane
  let rest = options.plane ?? 0;
  for (let i = 2; i < axes.length; i++) {
    if (options.plane !== undefined) {
      startN.push(rest % axes[i]);
      sizeN.push(1);
      rest = Math.floor(rest / axes[i]);
    } else {
      startN.push(0);
      sizeN.push(axes[i]);
    }
  }
  const shape = [s.width, s.height, ...(options.plane !== undefined ? [] : axes.slice(2))];
  if (axes.length === 1) shape.splice(1, 1);
  return { region: { start: startN.slice(0, axes.length), size: sizeN.slice(0, axes.length) }, shape };
}

/** Zero-based indices (table rows) of the tiles that intersect a region. */
function tilesIn(layout: CompressedImageLayout, region: ImageRegion): number[] {
  const { axes, tile } = layout;
  const ndim = axes.length;
  if (ndim === 0 || region.size.some((n) => n === 0)) return [];
  const grid = axes.map((n, i) => Math.ceil(n / tile[i]));
  const lo = grid.map((_, i) => Math.floor(region.start[i] / tile[i]));
  const hi = grid.map((_, i) => Math.floor((region.start[i] + region.size[i] - 1) / tile[i]));
  const out: number[] = [];
  const g = lo.slice();
  for (;;) {
    let t = 0;
    for (let i = ndim - 1; i >= 0; i--) t = t * grid[i] + g[i];
    out.push(t);
    let i = 0;
    for (; i < ndim; i++) {
      if (g[i] < hi[i]) {
        g[i]++;
        break;
      }
      g[i] = lo[i];
    }
    if (i === ndim) return out;
  }
}

/**
 * The compressed table with only the heap cells of `tiles` read: the main
 * table is read whole (it is small), then one positional read per cell; the
 * cells are packed into a compact heap and their descriptors rewritten.
 */
async function readTilesOnly(hdu: FitsHdu, tiles: number[]): Promise<BinaryTable> {
  const header = hdu.header;
  const loc = header.location;
  const columns = binaryColumns(header);
  const rowLength = header.requireInt('NAXIS1');
  const nrows = header.requireInt('NAXIS2');
  const heapStart = header.getInt('THEAP') ?? rowLength * nrows;
  const mainBytes = rowLength * nrows;
  const main = await hdu.readData(0, mainBytes);
  const dv = new DataView(main.buffer, main.byteOffset, main.byteLength);
  const heapSize = hdu.dataSize - heapStart;
  const cells: Array<{ at: number; q: boolean; offset: number; length: number }> = [];
  for (const t of tiles) {
    for (const col of columns) {
      if (!col.vla) continue;
      const at = t * rowLength + col.offset;
      const q = col.code === 'Q';
      const len = q ? Number(dv.getBigInt64(at, false)) : dv.getInt32(at, false);
      const off = q ? Number(dv.getBigInt64(at + 8, false)) : dv.getInt32(at + 4, false);
      if (len === 0) continue;
      const bytes = len * (ELEMENT_BYTES[col.vla.element] ?? 1);
      if (len < 0 || off < 0 || off + bytes > heapSize) {
        throw fitsError(
          { ...loc, tile: t },
          `cannot decode tile ${t} (row ${t + 1}): ${col.name} descriptor (${len} elements at heap byte ${off}) lies outside the heap of ${heapSize} bytes`,
          FitsErrorCode.badTile,
        );
      }
      cells.push({ at, q, offset: off, length: bytes });
    }
  }
  const parts = await hdu.readDataRanges(cells.map((c) => ({ offset: heapStart + c.offset, length: c.length })));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Uint8Array(mainBytes + total);
  data.set(main);
  const out = new DataView(data.buffer);
  let pos = 0;
  cells.forEach((c, k) => {
    data.set(parts[k], mainBytes + pos);
    if (c.q) out.setBigInt64(c.at + 8, BigInt(pos), false);
    else out.setInt32(c.at + 4, pos, false);
    pos += c.length;
  });
  // the compact heap follows the main table directly
  const compact = new FitsHeader(header.cards.filter((c) => c.key.toUpperCase() !== 'THEAP'), header.location, header.warnings);
  return new BinaryTable(compact, data, columns);
}

/** The synchronous part of {@link readCompressedImage}, for a table already in memory. */
export function decompressImage(table: BinaryTable, layout: CompressedImageLayout, options: ReadImageOptions = {}): FitsImage {
  const header = table.header;
  const loc = header.location;
  const { region, shape } = planRegion(layout, options, loc);
  const sec = options.section;
  const { data: raw, blankMask } = decompressTiles(table, layout, region, options.into);
  const bscale = header.getNumber('BSCALE') ?? 1;
  const bzero = header.getNumber('BZERO') ?? 0;
  let blank: number | undefined = header.getInt('ZBLANK') ?? header.getInt('BLANK');
  if (layout.bitpix < 0) blank = undefined;
  const base = { shape, bitpix: layout.bitpix, bscale, bzero, blank, ...(sec ? { section: sec } : {}) };
  if (options.scale === false) return { data: raw, dtype: STORED[layout.bitpix].dtype as FitsDtype, ...base };
  // a ZBLANK column gives each tile its own blank value (the mask marks them)
  const { data, dtype } = physical(raw, layout.bitpix, bscale, bzero, blank, blankMask);
  return { data, dtype, ...base };
}
