/**
 * Binary tables (BINTABLE): the column model read from TFORMn/TDIMn/TSCALn/
 * TZEROn/TNULLn and {@link BinaryTable}, which decodes columns on demand.
 */
import { IS_LITTLE_ENDIAN, toNativeOrderInPlace } from '@astro/core';
import type { WordSize } from '@astro/core';
import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsLocation } from './errors.js';
import { FitsFormat } from './format.js';
import type { FitsDtype, FitsTypedArray } from './format.js';
import type { FitsHeader } from './header.js';

/** TFORM type letter of a binary-table column. */
export type BinaryTformCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';

/** Element type letter allowed inside a P/Q variable-length descriptor. */
export type VlaElementCode = Exclude<BinaryTformCode, 'P' | 'Q'>;

/**
 * Decoded dtype of a table column: a numeric dtype, `bool` (L, as 0/1 in a
 * Uint8Array), `bit` (X, unpacked to 0/1 in a Uint8Array), `string` (A),
 * `complex64`/`complex128` (C/M, interleaved re, im in Float32/Float64Array).
 */
export type ColumnDtype = FitsDtype | 'bool' | 'bit' | 'string' | 'complex64' | 'complex128';

/** Description of one binary-table column (from TTYPEn, TFORMn, TDIMn, TSCALn, TZEROn, TNULLn, TUNITn). */
export interface BinaryColumnInfo {
  /** Zero-based column index (the FITS column number is index + 1). */
  index: number;
  /** TTYPEn, or `col<n>` when absent. */
  name: string;
  /** TFORMn as written. */
  tform: string;
  /** Type letter (P/Q for variable-length columns). */
  code: BinaryTformCode;
  /** Repeat count r of `rT` (for P/Q: number of descriptors, normally 1). */
  repeat: number;
  /** Byte offset of the column in a row. */
  offset: number;
  /** Bytes the column takes in a row. */
  width: number;
  /** For P/Q columns: element letter and maximum length (from `P<T>(max)`). */
  vla?: { element: VlaElementCode; maxLength?: number };
  /** Element shape per row in FITS order (TDIMn, or [repeat]). */
  dim: number[];
  /** TSCALn (1 when absent). */
  tscal: number;
  /** TZEROn (0 when absent; bigint when beyond 2^53). */
  tzero: number | bigint;
  /** TNULLn (integer columns), undefined when absent. */
  tnull?: number | bigint;
  /** TUNITn ('' when absent). */
  unit: string;
  /** dtype of the values `column()` returns. */
  dtype: ColumnDtype;
}

/** Values of a fixed-width column or of one variable-length cell. */
export type ColumnValues = FitsTypedArray | string[];

/**
 * What `column(name)` returns: a typed array (`nrows * elementsPerRow`
 * values, row-major), `string[]` for A columns, or an array with one entry per
 * row for variable-length (P/Q) columns (typed array, or string for PA).
 * An A column with a multi-dimensional TDIM (`TDIM = '(w, n)'`, as the
 * FITS_LDAC header column) gives one array of `n` strings of width `w` per row.
 */
export type ColumnData = ColumnValues | Array<FitsTypedArray | string> | string[][];

/** A decoded table (binary or ASCII): rows, column names and columns by name. */
export interface FitsTable {
  /** `binary` (BINTABLE) or `ascii` (TABLE). */
  readonly kind: 'binary' | 'ascii';
  /** Number of rows held (NAXIS2, or the length of the row range read). */
  readonly nrows: number;
  /** Index in the HDU of the first row held (0 unless a row range was read). */
  readonly firstRow: number;
  /** Column names (TTYPEn) in order. */
  readonly names: string[];
  /**
   * Values of a column by name (exact, then case-insensitive); decoded on
   * first use and cached. Throws {@link FitsFormatError} for an unknown name.
   */
  column(name: string): ColumnData;
  /**
   * Mask of null cells (1 = null): integer cells equal to TNULLn, NaN float
   * cells, blank ASCII fields.
   */
  nullMask(name: string): Uint8Array;
}

const TFORM_RE = /^\s*(\d*)\s*([LXBIJKAEDCMPQ])\s*(.*?)\s*$/i;
const VLA_RE = /^([LXBIJKAEDCM])\s*(?:\(\s*(\d+)\s*\))?$/i;

/** Parse one binary-table TFORM (throws FITS_BAD_TFORM naming the card). */
export function parseBinaryTform(
  tform: string,
  loc: FitsLocation,
): { code: BinaryTformCode; repeat: number; width: number; vla?: { element: VlaElementCode; maxLength?: number } } {
  const m = TFORM_RE.exec(tform);
  const bad = (why: string): never => {
    throw fitsError(loc, `TFORM ${JSON.stringify(tform)} is not a valid binary-table format (${why}; expected rT with T one of LXBIJKAEDCMPQ, e.g. 1J, 5E, 12A, 1PB(100))`, FitsErrorCode.badTform);
  };
  if (!m) return bad('unknown type letter');
  const code = m[2].toUpperCase() as BinaryTformCode;
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  if (!Number.isSafeInteger(repeat)) return bad('repeat count too large');
  if (code === 'P' || code === 'Q') {
    const v = VLA_RE.exec(m[3]);
    if (!v) return bad('variable-length array needs an element type, e.g. PD(4)');
    if (repeat > 1) return bad('variable-length repeat count must be 0 or 1');
    const element = v[1].toUpperCase() as VlaElementCode;
    return {
      code,
      repeat,
      width: repeat * FitsFormat.tform[code].bytes,
      vla: { element, maxLength: v[2] === undefined ? undefined : Number(v[2]) },
    };
  }
  // astropy accepts trailing text on A columns (rAw), ignore it for others too only if empty
  if (m[3] !== '' && code !== 'A') return bad(`unexpected ${JSON.stringify(m[3])} after the type letter`);
  const width = code === 'X' ? Math.ceil(repeat / 8) : repeat * FitsFormat.tform[code].bytes;
  return { code, repeat, width };
}

function parseTdim(text: string, loc: FitsLocation): number[] {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(text);
  if (!m) throw fitsError(loc, `TDIM ${JSON.stringify(text)} is not of the form (n1,n2,...)`, FitsErrorCode.badTform);
  return m[1].split(',').map((s) => Number(s.trim()));
}

function isUnsignedTzero(code: string, tscal: number, tzero: number | bigint): boolean {
  if (tscal !== 1) return false;
  const target = (FitsFormat.unsignedTzero as Record<string, number>)[code];
  return target !== undefined && Number(tzero) === target;
}

function elementDtype(code: VlaElementCode, tscal: number, tzero: number | bigint): ColumnDtype {
  const scaled = tscal !== 1 || Number(tzero) !== 0;
  switch (code) {
    case 'L':
      return 'bool';
    case 'X':
      return 'bit';
    case 'A':
      return 'string';
    case 'C':
      return 'complex64';
    case 'M':
      return 'complex128';
    case 'B':
      // astropy has no signed-byte convention for tables: TZERO = -128 gives float64
      return scaled ? 'float64' : 'uint8';
    case 'I':
      return isUnsignedTzero(code, tscal, tzero) ? 'uint16' : scaled ? 'float64' : 'int16';
    case 'J':
      return isUnsignedTzero(code, tscal, tzero) ? 'uint32' : scaled ? 'float64' : 'int32';
    case 'K':
      return isUnsignedTzero(code, tscal, tzero) ? 'uint64' : scaled ? 'float64' : 'int64';
    case 'E':
      return scaled ? 'float64' : 'float32';
    case 'D':
      return 'float64';
  }
}

/**
 * Column descriptions of a BINTABLE header (validates TFIELDS, TFORMn and
 * that the columns fill NAXIS1 exactly).
 */
export function binaryColumns(header: FitsHeader): BinaryColumnInfo[] {
  const loc = header.location;
  const tfields = header.requireInt('TFIELDS');
  const rowLen = header.requireInt('NAXIS1');
  if (tfields < 0 || tfields > 999) throw fitsError({ ...loc, card: 'TFIELDS' }, `TFIELDS = ${tfields} is outside 0..999`, FitsErrorCode.badKeyword);
  const cols: BinaryColumnInfo[] = [];
  let offset = 0;
  for (let i = 0; i < tfields; i++) {
    const n = i + 1;
    const tform = header.getString(`TFORM${n}`);
    if (tform === undefined) throw fitsError({ ...loc, card: `TFORM${n}` }, `mandatory keyword is missing (TFIELDS = ${tfields})`, FitsErrorCode.badTform);
    const parsed = parseBinaryTform(tform, { ...loc, card: `TFORM${n}` });
    const tscal = header.getNumber(`TSCAL${n}`) ?? 1;
    const tzeroRaw = header.get(`TZERO${n}`);
    const tzero = typeof tzeroRaw === 'bigint' ? tzeroRaw : (header.getNumber(`TZERO${n}`) ?? 0);
    const tnullRaw = header.get(`TNULL${n}`);
    const tnull = typeof tnullRaw === 'bigint' ? tnullRaw : header.getInt(`TNULL${n}`);
    const tdim = header.getString(`TDIM${n}`);
    const elemCode: VlaElementCode = parsed.vla ? parsed.vla.element : (parsed.code as VlaElementCode);
    let dim = [parsed.repeat];
    if (tdim !== undefined && !parsed.vla) {
      dim = parseTdim(tdim, { ...loc, card: `TDIM${n}` });
      const count = dim.reduce((a, b) => a * b, 1);
      if (count !== parsed.repeat) {
        throw fitsError({ ...loc, card: `TDIM${n}` }, `TDIM ${tdim} holds ${count} elements but TFORM${n} = '${tform}' has repeat ${parsed.repeat}`, FitsErrorCode.badTform);
      }
    }
    cols.push({
      index: i,
      name: header.getString(`TTYPE${n}`) ?? `col${n}`,
      tform,
      code: parsed.code,
      repeat: parsed.repeat,
      offset,
      width: parsed.width,
      vla: parsed.vla,
      dim,
      tscal,
      tzero,
      tnull,
      unit: header.getString(`TUNIT${n}`) ?? '',
      dtype: elementDtype(elemCode, tscal, tzero),
    });
    offset += parsed.width;
  }
  if (offset !== rowLen) {
    throw fitsError(
      { ...loc, card: 'NAXIS1' },
      `NAXIS1 = ${rowLen} but the TFORMn columns add up to ${offset} bytes per row`,
      FitsErrorCode.badTform,
    );
  }
  return cols;
}

// ---------------------------------------------------------------------------
// decoding

/**
 * Read `count` big-endian elements of `size` bytes per row at `offset` of
 * each row into a native-order buffer (one pass, no separate swap).
 */
function gather(data: Uint8Array, nrows: number, rowLen: number, offset: number, size: number, count: number): ArrayBuffer {
  const w = size * count;
  const total = nrows * count;
  const out = new ArrayBuffer(total * size);
  if (!IS_LITTLE_ENDIAN || size === 1) {
    const o = new Uint8Array(out);
    if (w === rowLen) o.set(data.subarray(0, nrows * rowLen));
    else if (w >= 64) for (let r = 0; r < nrows; r++) o.set(data.subarray(r * rowLen + offset, r * rowLen + offset + w), r * w);
    else for (let r = 0, t = 0, s = offset; r < nrows; r++, s += rowLen) for (let k = 0; k < w; k++) o[t++] = data[s + k];
    return out;
  }
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let i = 0;
  if (size === 2) {
    const o = new Uint16Array(out);
    for (let r = 0, s = offset; r < nrows; r++, s += rowLen) for (let k = 0; k < count; k++) o[i++] = dv.getUint16(s + 2 * k, false);
  } else if (size === 4) {
    const o = new Uint32Array(out);
    for (let r = 0, s = offset; r < nrows; r++, s += rowLen) for (let k = 0; k < count; k++) o[i++] = dv.getUint32(s + 4 * k, false);
  } else {
    const o = new Uint32Array(out);
    for (let r = 0, s = offset; r < nrows; r++, s += rowLen) {
      for (let k = 0, a = s; k < count; k++, a += 8) {
        o[i++] = dv.getUint32(a + 4, false);
        o[i++] = dv.getUint32(a, false);
      }
    }
  }
  return out;
}

/** Strings of `width` bytes at `offset` of each row: trailing blanks dropped, cut at the first NUL (as astropy). */
function gatherStrings(data: Uint8Array, nrows: number, rowLen: number, offset: number, width: number, per = 1): string[] {
  const bytes = new Uint8Array(gather(data, nrows, rowLen, offset, 1, width * per));
  const big = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const hasNul = bytes.includes(0);
  const out: string[] = new Array(nrows * per);
  for (let i = 0, start = 0; i < nrows * per; i++, start += width) {
    let end = start + width;
    if (hasNul) {
      const nul = bytes.subarray(start, end).indexOf(0);
      if (nul >= 0) end = start + nul;
    }
    while (end > start && big.charCodeAt(end - 1) === 32) end--;
    out[i] = big.slice(start, end);
  }
  return out;
}

/** Decode `n` contiguous big-endian elements of `code` starting at `bytes[0]` to native raw values. */
function rawFromContiguous(code: VlaElementCode, bytes: Uint8Array, n: number): FitsTypedArray {
  const size = FitsFormat.tform[code].bytes;
  const copy = new Uint8Array(n * size);
  copy.set(bytes.subarray(0, n * size));
  toNativeOrderInPlace(copy, (code === 'C' ? 4 : code === 'M' ? 8 : size) as WordSize, false);
  return makeRaw(code, copy.buffer, n);
}

function makeRaw(code: VlaElementCode, buffer: ArrayBuffer, n: number): FitsTypedArray {
  switch (code) {
    case 'B':
    case 'L':
      return new Uint8Array(buffer, 0, n);
    case 'I':
      return new Int16Array(buffer, 0, n);
    case 'J':
      return new Int32Array(buffer, 0, n);
    case 'K':
      return new BigInt64Array(buffer, 0, n);
    case 'E':
      return new Float32Array(buffer, 0, n);
    case 'D':
      return new Float64Array(buffer, 0, n);
    case 'C':
      return new Float32Array(buffer, 0, 2 * n);
    case 'M':
      return new Float64Array(buffer, 0, 2 * n);
    default:
      throw new Error(`makeRaw: ${code}`);
  }
}

/** Apply TSCAL/TZERO (astropy's rules) to raw native values of an element type. */
function convert(code: VlaElementCode, raw: FitsTypedArray, tscal: number, tzero: number | bigint, dtype: ColumnDtype): FitsTypedArray {
  if (code === 'L') {
    const out = raw as Uint8Array;
    for (let i = 0; i < out.length; i++) out[i] = out[i] === 84 ? 1 : 0; // 'T'
    return out;
  }
  switch (dtype) {
    case 'int8': {
      const u = raw as Uint8Array;
      for (let i = 0; i < u.length; i++) u[i] ^= 0x80;
      return new Int8Array(u.buffer, u.byteOffset, u.length);
    }
    case 'uint16': {
      const s = raw as Int16Array;
      const u = new Uint16Array(s.buffer, s.byteOffset, s.length);
      for (let i = 0; i < u.length; i++) u[i] ^= 0x8000;
      return u;
    }
    case 'uint32': {
      const s = raw as Int32Array;
      const u = new Uint32Array(s.buffer, s.byteOffset, s.length);
      for (let i = 0; i < u.length; i++) u[i] = (u[i] ^ 0x80000000) >>> 0;
      return u;
    }
    case 'uint64': {
      const s = raw as BigInt64Array;
      const words = new Uint32Array(s.buffer, s.byteOffset, s.length * 2);
      const hi = IS_LITTLE_ENDIAN ? 1 : 0;
      for (let i = hi; i < words.length; i += 2) words[i] = (words[i] ^ 0x80000000) >>> 0;
      return new BigUint64Array(s.buffer, s.byteOffset, s.length);
    }
    case 'float64': {
      if (raw instanceof Float64Array && tscal === 1 && Number(tzero) === 0) return raw;
      const out = new Float64Array(raw.length);
      const z = Number(tzero);
      if (raw instanceof BigInt64Array) {
        for (let i = 0; i < raw.length; i++) out[i] = Number(raw[i]) * tscal + z;
      } else {
        const r = raw as Exclude<FitsTypedArray, BigInt64Array | BigUint64Array>;
        if (tscal === 1) for (let i = 0; i < r.length; i++) out[i] = r[i] + z;
        else for (let i = 0; i < r.length; i++) out[i] = r[i] * tscal + z;
      }
      return out;
    }
    default:
      return raw;
  }
}

const latin1 = new TextDecoder('latin1');

function decodeString(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  while (end > 0 && bytes[end - 1] === 32) end--;
  let s = '';
  // fast path for short ASCII strings
  if (end < 64) {
    for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  return latin1.decode(bytes.subarray(0, end));
}

function unpackBits(src: Uint8Array, nbits: number, out: Uint8Array, at: number): void {
  for (let b = 0; b < nbits; b++) out[at + b] = (src[b >> 3] >> (7 - (b & 7))) & 1;
}

/**
 * A binary table read into memory: the main table and the heap, with columns
 * decoded on demand (and cached). Variable-length cells of byte type (`PB`)
 * are views into the heap (no copy); everything else is a fresh native-order
 * array.
 */
export class BinaryTable implements FitsTable {
  readonly kind = 'binary' as const;
  /** Number of rows (NAXIS2). */
  readonly nrows: number;
  /** Bytes per row (NAXIS1). */
  readonly rowLength: number;
  /** Column descriptions in order. */
  readonly columns: BinaryColumnInfo[];
  /** Column names (TTYPEn) in order. */
  readonly names: string[];
  /** The header of the HDU. */
  readonly header: FitsHeader;
  /** The whole data unit as stored (big-endian): main table, gap, heap. */
  readonly data: Uint8Array;
  /** Offset of the heap in `data` (THEAP, default NAXIS1*NAXIS2). */
  readonly heapOffset: number;
  #cache = new Map<string, ColumnData>();

  /** Index in the HDU of the first row held (0 unless a row range was read). */
  readonly firstRow: number;

  /**
   * @param data the data unit as stored, or for a row range: those rows
   *   followed by the heap
   * @param part for a row range: first row, row count and where the heap starts in `data`
   */
  constructor(
    header: FitsHeader,
    data: Uint8Array,
    columns: BinaryColumnInfo[] = binaryColumns(header),
    part?: { firstRow: number; nrows: number; heapOffset: number },
  ) {
    this.header = header;
    this.data = data;
    this.columns = columns;
    this.names = columns.map((c) => c.name);
    this.rowLength = header.requireInt('NAXIS1');
    this.firstRow = part?.firstRow ?? 0;
    this.nrows = part?.nrows ?? header.requireInt('NAXIS2');
    this.heapOffset = part?.heapOffset ?? header.getInt('THEAP') ?? this.rowLength * this.nrows;
    const loc = header.location;
    if (this.data.length < this.rowLength * this.nrows) {
      throw fitsError(loc, `binary table needs ${this.rowLength * this.nrows} bytes, the data unit has ${this.data.length}`, FitsErrorCode.truncated);
    }
    if (this.heapOffset < this.rowLength * this.nrows) {
      throw fitsError({ ...loc, card: 'THEAP' }, `THEAP = ${this.heapOffset} points inside the main table (${this.rowLength * this.nrows} bytes)`, FitsErrorCode.badKeyword);
    }
  }

  /** The heap bytes (big-endian, as stored). */
  get heap(): Uint8Array {
    return this.data.subarray(Math.min(this.heapOffset, this.data.length));
  }

  /** Column description by name (exact, then case-insensitive); throws when absent. */
  info(name: string): BinaryColumnInfo {
    let col = this.columns.find((c) => c.name === name);
    if (!col) {
      const u = name.toUpperCase();
      col = this.columns.find((c) => c.name.toUpperCase() === u);
    }
    if (!col) {
      throw fitsError({ ...this.header.location, column: name }, `no such column (columns: ${this.names.join(', ')})`, FitsErrorCode.badRequest);
    }
    return col;
  }

  /**
   * Raw descriptors of a P/Q column: element count and heap byte offset per
   * row (validated against the heap size).
   */
  descriptors(name: string): { length: Float64Array; offset: Float64Array } {
    const col = this.info(name);
    if (!col.vla) {
      throw fitsError({ ...this.header.location, column: col.name }, `TFORM '${col.tform}' is not a variable-length (P/Q) column`, FitsErrorCode.badRequest);
    }
    const n = this.nrows;
    const length = new Float64Array(n);
    const offset = new Float64Array(n);
    if (col.repeat === 0) return { length, offset };
    const dv = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    const elemBytes = col.vla.element === 'X' ? 1 / 8 : FitsFormat.tform[col.vla.element].bytes;
    const heapSize = this.data.length - this.heapOffset;
    for (let r = 0; r < n; r++) {
      const at = r * this.rowLength + col.offset;
      let len: number;
      let off: number;
      if (col.code === 'P') {
        len = dv.getInt32(at, false);
        off = dv.getInt32(at + 4, false);
      } else {
        len = Number(dv.getBigInt64(at, false));
        off = Number(dv.getBigInt64(at + 8, false));
      }
      const bytes = Math.ceil(len * elemBytes);
      if (len < 0 || off < 0 || off + bytes > heapSize) {
        throw fitsError(
          { ...this.header.location, column: col.name, row: r },
          `variable-length descriptor (${len} elements at heap byte ${off}) lies outside the heap of ${heapSize} bytes`,
          FitsErrorCode.badTable,
        );
      }
      length[r] = len;
      offset[r] = off;
    }
    return { length, offset };
  }

  /** Values of a column; see {@link FitsTable.column}. */
  column(name: string): ColumnData {
    const col = this.info(name);
    const hit = this.#cache.get(col.name);
    if (hit) return hit;
    const values = col.vla ? this.#decodeVla(col) : this.#decodeFixed(col);
    this.#cache.set(col.name, values);
    return values;
  }

  /** Mask of null cells (1 = null): integer raw value equal to TNULLn, or NaN. */
  nullMask(name: string): Uint8Array {
    const col = this.info(name);
    const mask = new Uint8Array(this.nrows * (col.vla ? 1 : Math.max(col.repeat, 0)));
    if (col.vla || col.code === 'A' || col.code === 'L' || col.code === 'X') return mask;
    if (col.code === 'E' || col.code === 'D' || col.code === 'C' || col.code === 'M' || col.tnull === undefined) {
      const values = this.column(col.name) as FitsTypedArray;
      if (values instanceof Float32Array || values instanceof Float64Array) {
        const per = col.code === 'C' || col.code === 'M' ? 2 : 1;
        for (let i = 0; i < mask.length; i++) {
          for (let k = 0; k < per; k++) if (Number.isNaN(values[i * per + k])) mask[i] = 1;
        }
      }
      return mask;
    }
    const size = FitsFormat.tform[col.code].bytes;
    const raw = makeRaw(col.code as VlaElementCode, gather(this.data, this.nrows, this.rowLength, col.offset, size, col.repeat), this.nrows * col.repeat);
    const tnull = col.tnull;
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (typeof v === 'bigint' ? v === BigInt(tnull) : v === Number(tnull)) mask[i] = 1;
    }
    return mask;
  }

  #decodeFixed(col: BinaryColumnInfo): ColumnData {
    const n = this.nrows;
    if (col.code === 'A' && col.dim.length > 1) {
      const w = col.dim[0];
      const per = col.repeat / w;
      const flat = gatherStrings(this.data, n, this.rowLength, col.offset, w, per);
      const out: string[][] = new Array(n);
      for (let r = 0; r < n; r++) out[r] = flat.slice(r * per, (r + 1) * per);
      return out;
    }
    if (col.code === 'A') return gatherStrings(this.data, n, this.rowLength, col.offset, col.repeat);
    if (col.code === 'X') {
      const out = new Uint8Array(n * col.repeat);
      for (let r = 0; r < n; r++) {
        const at = r * this.rowLength + col.offset;
        unpackBits(this.data.subarray(at, at + col.width), col.repeat, out, r * col.repeat);
      }
      return out;
    }
    const code = col.code as VlaElementCode;
    const elemSize = code === 'C' ? 4 : code === 'M' ? 8 : FitsFormat.tform[code].bytes;
    const count = code === 'C' || code === 'M' ? col.repeat * 2 : col.repeat;
    const buffer = gather(this.data, n, this.rowLength, col.offset, elemSize, count);
    const raw = makeRaw(code, buffer, n * col.repeat);
    return convert(code, raw, col.tscal, col.tzero, col.dtype);
  }

  #decodeVla(col: BinaryColumnInfo): ColumnData {
    const { length, offset } = this.descriptors(col.name);
    const heap = this.heap;
    const code = col.vla!.element;
    const out: Array<FitsTypedArray | string> = new Array(this.nrows);
    for (let r = 0; r < this.nrows; r++) {
      const len = length[r];
      const off = offset[r];
      if (code === 'A') {
        out[r] = decodeString(heap.subarray(off, off + len));
      } else if (code === 'X') {
        const bits = new Uint8Array(len);
        unpackBits(heap.subarray(off, off + Math.ceil(len / 8)), len, bits, 0);
        out[r] = bits;
      } else if (code === 'B' && col.dtype === 'uint8') {
        out[r] = heap.subarray(off, off + len);
      } else {
        const raw = rawFromContiguous(code, heap.subarray(off), len);
        out[r] = convert(code, raw, col.tscal, col.tzero, col.dtype);
      }
    }
    return out;
  }
}
