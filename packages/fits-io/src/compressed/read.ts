/**
 * Reading a tile-compressed image (astropy's `CompImageHDU.data` and
 * `.section`): only the heap cells of the tiles a region touches are read,
 * the tiles decoded, and BSCALE/BZERO/blanks applied as astropy does.
 */
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsDtype, FitsTypedArray, Bitpix } from '../format.js';
import { FitsHeader } from '../header.js';
import type { FitsImage, ReadImageOptions } from '../image.js';
import { BinaryTable, binaryColumns } from '../binary-table.js';
import { STORED, compressedImageLayout } from './layout.js';
import type { CompressedImageLayout, StoredPixels } from './layout.js';
import { planRegion, tilesIn } from './section.js';
import { ELEMENT_BYTES, decompressTiles } from './tiles.js';

/**
 * What reading a compressed image needs of its HDU (a `FitsHdu` is one): the
 * header, the size of the data unit and positional reads of it.
 */
export interface CompressedHdu {
  /** The binary-table header with the Z keywords. */
  readonly header: FitsHeader;
  /** Size of the data unit in bytes. */
  readonly dataSize: number;
  /** `length` bytes from `offset` of the data unit. */
  readData(offset?: number, length?: number): Promise<Uint8Array>;
  /** Several byte ranges of the data unit with one open of the file. */
  readDataRanges(ranges: Array<{ offset: number; length: number }>): Promise<Uint8Array[]>;
  /** The whole binary table. */
  readBinaryTable(): Promise<BinaryTable>;
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
export async function readCompressedImage(hdu: CompressedHdu, options: ReadImageOptions = {}): Promise<FitsImage> {
  const layout = compressedImageLayout(hdu.header);
  const { region } = planRegion(layout, options, hdu.header.location);
  const table = region === undefined ? await hdu.readBinaryTable() : await readTilesOnly(hdu, tilesIn(layout, region));
  return decompressImage(table, layout, options);
}

/**
 * The compressed table with only the heap cells of `tiles` read: the main
 * table is read whole (it is small), then one positional read per cell; the
 * cells are packed into a compact heap and their descriptors rewritten.
 */
async function readTilesOnly(hdu: CompressedHdu, tiles: number[]): Promise<BinaryTable> {
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
