/**
 * The data unit of a written binary table: TFORMs inferred from the column
 * arrays (or given), rows encoded big-endian, variable-length cells in the
 * heap, and the column keywords.
 */
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import { FitsFormat, padToBlock } from '../format.js';
import type { FitsTypedArray } from '../format.js';
import { parseBinaryTform } from '../binary-table.js';
import type { VlaElementCode } from '../binary-table.js';
import type { BinaryTableHduInput, TableColumnInput } from '../hdu-input.js';
import type { FitsCardInput } from '../header-input.js';
import { asciiBytes } from './encode-header.js';
import type { CardSpec } from './encode-header.js';
import { rint } from './round.js';

interface PlannedColumn {
  tform: string;
  code: string;
  repeat: number;
  width: number;
  /** bytes for every row (nrows * width), big-endian */
  bytes: Uint8Array;
  cards: CardSpec[];
}

function elementCodeOf(v: FitsTypedArray | string): VlaElementCode {
  if (typeof v === 'string') return 'A';
  if (v instanceof Uint8Array) return 'B';
  if (v instanceof Int16Array) return 'I';
  if (v instanceof Int32Array) return 'J';
  if (v instanceof BigInt64Array) return 'K';
  if (v instanceof Float32Array) return 'E';
  if (v instanceof Float64Array) return 'D';
  throw new TypeError(`${v.constructor.name} cannot be stored in a variable-length column (use Uint8, Int16, Int32, BigInt64, Float32 or Float64 arrays, or strings)`);
}

/** Encode values of element `code` as big-endian bytes (typed arrays of the right kind, quantised with tscal/tzero when float into integer). */
function encodeElements(code: VlaElementCode, values: FitsTypedArray | string[] | boolean[], count: number, tscal: number, tzero: number | bigint, loc: FitsLocation): Uint8Array {
  const size = FitsFormat.tform[code].bytes;
  const out = new Uint8Array(count * size);
  const dv = new DataView(out.buffer);
  const z = Number(tzero);
  const isFloat = values instanceof Float32Array || values instanceof Float64Array;
  const get = (i: number): number => Number((values as ArrayLike<number | bigint>)[i]);
  const scaled = (i: number): number => (isFloat && (tscal !== 1 || z !== 0) ? rint((get(i) - z) / tscal) : get(i) - z);
  switch (code) {
    case 'L':
      for (let i = 0; i < count; i++) {
        const v = (values as ArrayLike<number | boolean>)[i];
        out[i] = v === true || v === 1 ? 84 : v === false || v === 0 ? 70 : 0;
      }
      return out;
    case 'B':
      for (let i = 0; i < count; i++) out[i] = scaled(i) & 0xff;
      return out;
    case 'I':
      for (let i = 0; i < count; i++) dv.setInt16(i * 2, scaled(i), false);
      return out;
    case 'J':
      for (let i = 0; i < count; i++) dv.setInt32(i * 4, scaled(i), false);
      return out;
    case 'K': {
      const v = values as ArrayLike<number | bigint>;
      const bz = typeof tzero === 'bigint' ? tzero : BigInt(Math.round(Number(tzero)));
      for (let i = 0; i < count; i++) {
        const x = v[i];
        const b = typeof x === 'bigint' ? x - bz : BigInt(scaled(i));
        dv.setBigInt64(i * 8, BigInt.asIntN(64, b), false);
      }
      return out;
    }
    case 'E':
      for (let i = 0; i < count; i++) dv.setFloat32(i * 4, (get(i) - z) / tscal, false);
      return out;
    case 'D':
      for (let i = 0; i < count; i++) dv.setFloat64(i * 8, (get(i) - z) / tscal, false);
      return out;
    case 'C':
      for (let i = 0; i < 2 * count; i++) dv.setFloat32(i * 4, get(i), false);
      return out;
    case 'M':
      for (let i = 0; i < 2 * count; i++) dv.setFloat64(i * 8, get(i), false);
      return out;
    default:
      throw fitsError(loc, `cannot encode elements of type ${code}`, FitsErrorCode.badValue);
  }
}

function checkRange(code: string, values: FitsTypedArray | string[] | boolean[], tscal: number, tzero: number | bigint, loc: FitsLocation): void {
  const range: Record<string, [number, number]> = { B: [0, 255], I: [-32768, 32767], J: [-2147483648, 2147483647] };
  const r = range[code];
  if (!r || !(values instanceof Float32Array || values instanceof Float64Array || values instanceof Uint32Array || values instanceof Int32Array || values instanceof Uint16Array || values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint8Array)) return;
  const z = Number(tzero);
  const float = values instanceof Float32Array || values instanceof Float64Array;
  for (let i = 0; i < values.length; i++) {
    const q = float ? rint((values[i] - z) / tscal) : values[i] - z;
    if (!(q >= r[0] && q <= r[1])) {
      throw fitsError(loc, `value ${i} = ${values[i]} does not fit TFORM ${code} with TSCAL = ${tscal}, TZERO = ${z}`, FitsErrorCode.badValue);
    }
  }
}

function planColumn(col: TableColumnInput, index: number, nrows: number, loc0: FitsLocation, heap: Uint8Array[], heapSize: { n: number }): PlannedColumn {
  const loc = { ...loc0, column: col.name };
  const d = col.data;
  const n = index + 1;
  const cards: CardSpec[] = [{ key: `TTYPE${n}`, value: col.name }];
  let tzero = col.tzero;
  const tscal = col.tscal ?? 1;
  const isVla = Array.isArray(d) && d.length > 0 && (ArrayBuffer.isView(d[0]) || (col.format !== undefined && /[PQ]/i.test(col.format)));
  let tform = col.format;
  if (isVla || (tform && /[PQ]/i.test(tform))) {
    const rows = d as Array<FitsTypedArray | string>;
    if (rows.length !== nrows) throw fitsError(loc, `has ${rows.length} rows, the table has ${nrows}`, FitsErrorCode.badValue);
    let element: VlaElementCode;
    if (tform) {
      const parsed = parseBinaryTform(tform, { ...loc, card: `TFORM${n}` });
      element = parsed.vla!.element;
    } else {
      const first = rows.find((r) => typeof r === 'string' || r.length > 0) ?? rows[0];
      element = first === undefined ? 'B' : elementCodeOf(first);
    }
    const size = FitsFormat.tform[element].bytes;
    let max = 0;
    const descriptors: Array<[number, number]> = [];
    for (let r = 0; r < nrows; r++) {
      const cell = rows[r];
      let bytes: Uint8Array;
      let len: number;
      if (typeof cell === 'string') {
        bytes = asciiBytes(cell);
        len = bytes.length;
      } else {
        len = element === 'C' || element === 'M' ? cell.length / 2 : cell.length;
        bytes = element === 'B' && cell instanceof Uint8Array && tscal === 1 && (tzero === undefined || Number(tzero) === 0) ? cell : encodeElements(element, cell, len, tscal, tzero ?? 0, { ...loc, row: r });
        void size;
      }
      descriptors.push([len, heapSize.n]);
      heap.push(bytes);
      heapSize.n += bytes.length;
      max = Math.max(max, len);
    }
    const useQ = (tform ? /Q/i.test(tform) : false) || heapSize.n > 0x7fffffff;
    tform = `1${useQ ? 'Q' : 'P'}${element}(${max})`;
    const width = useQ ? 16 : 8;
    const out = new Uint8Array(nrows * width);
    const dv = new DataView(out.buffer);
    descriptors.forEach(([len, off], r) => {
      if (useQ) {
        dv.setBigInt64(r * 16, BigInt(len), false);
        dv.setBigInt64(r * 16 + 8, BigInt(off), false);
      } else {
        dv.setInt32(r * 8, len, false);
        dv.setInt32(r * 8 + 4, off, false);
      }
    });
    cards.push({ key: `TFORM${n}`, value: tform });
    if (col.unit) cards.push({ key: `TUNIT${n}`, value: col.unit });
    if (col.tscal !== undefined) cards.push({ key: `TSCAL${n}`, value: { float: tscal } });
    if (tzero !== undefined) cards.push({ key: `TZERO${n}`, value: typeof tzero === 'bigint' ? tzero : { float: tzero } });
    return { tform, code: useQ ? 'Q' : 'P', repeat: 1, width, bytes: out, cards };
  }
  // fixed-width columns
  let code: string;
  let repeat: number;
  if (tform) {
    const parsed = parseBinaryTform(tform, { ...loc, card: `TFORM${n}` });
    code = parsed.code;
    repeat = parsed.repeat;
  } else if (Array.isArray(d)) {
    if (d.length > 0 && typeof d[0] === 'boolean') {
      code = 'L';
      repeat = nrows === 0 ? 1 : d.length / nrows;
    } else {
      code = 'A';
      repeat = 1;
      for (const s of d as string[]) repeat = Math.max(repeat, s.length);
    }
  } else {
    const v = d as FitsTypedArray;
    repeat = nrows === 0 ? 1 : v.length / nrows;
    if (v instanceof Uint8Array) code = 'B';
    else if (v instanceof Int8Array) {
      code = 'B';
      tzero ??= -128;
    }
    else if (v instanceof Int16Array) code = 'I';
    else if (v instanceof Uint16Array) {
      code = 'I';
      tzero ??= 32768;
    }
    else if (v instanceof Int32Array) code = 'J';
    else if (v instanceof Uint32Array) {
      code = 'J';
      tzero ??= 2147483648;
    }
    else if (v instanceof BigInt64Array) code = 'K';
    else if (v instanceof BigUint64Array) {
      code = 'K';
      tzero ??= 9223372036854775808n;
    }
    else if (v instanceof Float32Array) code = 'E';
    else code = 'D';
  }
  if (!Number.isInteger(repeat) || repeat < 0) {
    throw fitsError(loc, `has ${d.length} values, not a multiple of ${nrows} rows`, FitsErrorCode.badValue);
  }
  tform ??= `${repeat}${code}`;
  let bytes: Uint8Array;
  let width: number;
  if (code === 'A') {
    width = repeat;
    const strings = d as string[];
    if (strings.length !== nrows) throw fitsError(loc, `has ${strings.length} strings, the table has ${nrows} rows`, FitsErrorCode.badValue);
    bytes = new Uint8Array(nrows * width).fill(32);
    strings.forEach((s, r) => {
      const b = asciiBytes(s);
      if (b.length > width) throw fitsError({ ...loc, row: r }, `string of ${b.length} characters does not fit TFORM '${tform}'`, FitsErrorCode.badValue);
      bytes.set(b, r * width);
    });
  } else if (code === 'X') {
    width = Math.ceil(repeat / 8);
    bytes = new Uint8Array(nrows * width);
    const bits = d as ArrayLike<number>;
    if (bits.length !== nrows * repeat) throw fitsError(loc, `has ${bits.length} bits, expected ${nrows * repeat}`, FitsErrorCode.badValue);
    for (let r = 0; r < nrows; r++) for (let b = 0; b < repeat; b++) if (bits[r * repeat + b]) bytes[r * width + (b >> 3)] |= 0x80 >> (b & 7);
  } else {
    const elem = code as VlaElementCode;
    width = repeat * FitsFormat.tform[elem].bytes;
    const values = d as FitsTypedArray | boolean[];
    const expected = nrows * repeat * (elem === 'C' || elem === 'M' ? 2 : 1);
    if (values.length !== expected) throw fitsError(loc, `has ${values.length} values, expected ${expected} for ${nrows} rows of TFORM '${tform}'`, FitsErrorCode.badValue);
    checkRange(elem, values, tscal, tzero ?? 0, loc);
    bytes = encodeElements(elem, values, nrows * repeat, tscal, tzero ?? 0, loc);
  }
  cards.push({ key: `TFORM${n}`, value: tform });
  if (col.unit) cards.push({ key: `TUNIT${n}`, value: col.unit });
  if (col.dim) cards.push({ key: `TDIM${n}`, value: `(${col.dim.join(',')})` });
  if (col.tscal !== undefined) cards.push({ key: `TSCAL${n}`, value: { float: tscal } });
  if (tzero !== undefined) cards.push({ key: `TZERO${n}`, value: typeof tzero === 'bigint' ? tzero : Number.isInteger(tzero) && col.tscal === undefined ? tzero : { float: tzero } });
  if (col.tnull !== undefined) cards.push({ key: `TNULL${n}`, value: col.tnull });
  return { tform, code, repeat, width, bytes, cards };
}

/** What {@link encodeBinaryTableData} returns. */
export interface EncodedTableData {
  /** TTYPEn, TFORMn, TUNITn, TDIMn, TSCALn, TZEROn, TNULLn cards. */
  cards: FitsCardInput[];
  /** The data unit: rows then heap (unpadded). */
  data: Uint8Array;
  /** NAXIS1. */
  rowLength: number;
  /** NAXIS2. */
  nrows: number;
  /** PCOUNT (heap bytes). */
  heapSize: number;
}

/**
 * Encode the data unit of a binary table (rows, then the heap of the
 * variable-length columns) and its column keywords. Used by {@link encodeHdu};
 * exported for writers of compressed images.
 */
export function encodeBinaryTableData(
  hdu: BinaryTableHduInput,
  loc: FitsLocation = {},
): EncodedTableData {
  const first = hdu.columns[0];
  let nrows = hdu.nrows;
  if (nrows === undefined) {
    if (!first) nrows = 0;
    else if (Array.isArray(first.data)) nrows = first.format && /^\s*\d*[LXBIJKEDCM]/i.test(first.format) && !/[PQ]/i.test(first.format) ? first.data.length / (parseBinaryTform(first.format, loc).repeat || 1) : first.data.length;
    else {
      const rep = first.format ? parseBinaryTform(first.format, loc).repeat : 1;
      const per = first.format && /[CM]/i.test(first.format) ? 2 : 1;
      nrows = first.data.length / (rep * per || 1);
    }
  }
  const heap: Uint8Array[] = [];
  const heapSize = { n: 0 };
  const planned = hdu.columns.map((c, i) => planColumn(c, i, nrows, loc, heap, heapSize));
  const rowLength = planned.reduce((a, p) => a + p.width, 0);
  // allocated padded (zeros) so that encodeHdu can use it without a copy
  const full = new Uint8Array(padToBlock(rowLength * nrows + heapSize.n));
  const data = full.subarray(0, rowLength * nrows + heapSize.n);
  let offset = 0;
  for (const p of planned) {
    const w = p.width;
    if (w === rowLength) data.set(p.bytes.subarray(0, w * nrows), 0);
    else if (w >= 32) for (let r = 0; r < nrows; r++) data.set(p.bytes.subarray(r * w, (r + 1) * w), r * rowLength + offset);
    else {
      const src = p.bytes;
      for (let r = 0, s = 0, t = offset; r < nrows; r++, t += rowLength) for (let k = 0; k < w; k++) data[t + k] = src[s++];
    }
    offset += w;
  }
  let at = rowLength * nrows;
  for (const h of heap) {
    data.set(h, at);
    at += h.length;
  }
  return { cards: planned.flatMap((p) => p.cards), data, rowLength, nrows, heapSize: heapSize.n };
}
