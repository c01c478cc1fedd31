import { promises as fsp } from 'node:fs';
import { IS_LITTLE_ENDIAN, tempNameFor } from '@astro/core';
import { CHUNK_BYTES, allocUninitialized } from './internal/source.js';
import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsLocation } from './errors.js';
import { FitsFormat, isBitpix, padToBlock } from './format.js';
import type { Bitpix, FitsTypedArray } from './format.js';
import { COMMENTARY_KEYWORDS, FitsHeader, formatCard } from './header.js';
import type { FitsCard, FitsFloatHint, FitsValue } from './header.js';
import { parseBinaryTform } from './binary-table.js';
import type { VlaElementCode } from './binary-table.js';
import { encodeChecksum, onesComplementSum } from './checksum.js';
import { encodeAsciiTableData } from './write-ascii-table.js';
import type { AsciiTableHduInput } from './write-ascii-table.js';

/** Header cards to write: a header read before, a card list, or a `{ KEY: value }` record. */
export type FitsHeaderInput = FitsHeader | FitsCardInput[] | Record<string, FitsValue>;

/** An image HDU to write. */
export interface ImageHduInput {
  /** Discriminator. */
  kind: 'image';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Physical pixel values, x fastest (`data[y * shape[0] + x]`), native byte order. */
  data: FitsTypedArray;
  /** Shape in FITS order `[NAXIS1, NAXIS2, ...]`; its product must equal `data.length`. */
  shape: number[];
  /** Extra header cards (mandatory and scaling keywords are computed and override these). */
  header?: FitsHeaderInput;
  /**
   * Stored type. Default: from the array type (Uint8 8, Int8 8 + BZERO -128,
   * Int16 16, Uint16 16 + BZERO 32768, Int32 32, Uint32 32 + BZERO 2^31,
   * BigInt64 64, BigUint64 64 + BZERO 2^63, Float32 -32, Float64 -64).
   * An integer BITPIX with float data quantises: stored = round((value - bzero) / bscale).
   */
  bitpix?: Bitpix;
  /** BSCALE for quantising float data to an integer BITPIX (default 1). */
  bscale?: number;
  /** BZERO for quantising float data to an integer BITPIX (default 0). */
  bzero?: number;
  /** BLANK: stored value for NaN when quantising float data (default: the type's minimum; required for BITPIX 8). */
  blank?: number;
}

/** A header-only HDU (primary without data, or an IMAGE extension with NAXIS = 0). */
export interface EmptyHduInput {
  /** Discriminator. */
  kind: 'empty';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Extra header cards. */
  header?: FitsHeaderInput;
}

/**
 * One binary-table column to write. The TFORM is inferred from `data` unless
 * `format` is given: typed arrays give B, B+TZERO -128 (Int8), I, I+TZERO
 * 32768 (Uint16), J, J+TZERO 2^31 (Uint32), K, K+TZERO 2^63 (BigUint64), E, D
 * with repeat `data.length / nrows`; `string[]` gives `wA` (w = longest);
 * `boolean[]` gives L; an array of typed arrays or strings (one per row) gives
 * a variable-length `P<T>(max)` column (Q when the heap exceeds 2 GiB).
 * Give `format` for L from 0/1 Uint8Array, X bits (0/1 per bit), C/M
 * complex (interleaved re, im), or to quantise floats into an integer column
 * with `tscal`/`tzero`.
 */
export interface TableColumnInput {
  /** TTYPEn. */
  name: string;
  /** Values, row-major (`nrows * repeat` elements), or one entry per row for variable-length columns. */
  data: FitsTypedArray | string[] | boolean[] | Array<FitsTypedArray | string>;
  /** TFORMn, e.g. `1J`, `5E`, `12A`, `1PB(100)`, `8X`, `C`. */
  format?: string;
  /** TUNITn. */
  unit?: string;
  /** TDIMn in FITS order. */
  dim?: number[];
  /** TSCALn: float values are stored as round((value - tzero) / tscal). */
  tscal?: number;
  /** TZEROn (the unsigned offsets are set automatically for unsigned arrays). */
  tzero?: number | bigint;
  /** TNULLn for integer columns. */
  tnull?: number;
}

/** A binary-table HDU to write. */
export interface BinaryTableHduInput {
  /** Discriminator. */
  kind: 'binary-table';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Columns in order. */
  columns: TableColumnInput[];
  /** Number of rows (default: inferred from the first column; needed for tables without columns). */
  nrows?: number;
  /** Extra header cards written after the column keywords (e.g. the Z keywords of a compressed image). */
  header?: FitsHeaderInput;
}

/** Any HDU that {@link toFitsBytes} and {@link writeFits} accept. */
export type FitsHduInput = ImageHduInput | EmptyHduInput | BinaryTableHduInput | AsciiTableHduInput;

/** Options of {@link toFitsBytes}, {@link writeFits} and {@link encodeHdu}. */
export interface WriteFitsOptions {
  /** Write CHECKSUM and DATASUM in every HDU (default false). */
  checksum?: boolean;
  /** File name used in error messages (writeFits passes its path). */
  name?: string;
}

/** A card to write; `{ float: x }` forces a float representation of an integral value. */
export interface FitsCardInput {
  /** Keyword (longer than 8 characters or with spaces: written as HIERARCH). */
  key: string;
  /** Value. */
  value: FitsValue | FitsFloatHint;
  /** Comment. */
  comment?: string;
}

type CardSpec = FitsCardInput;

const RESERVED = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|T(TYPE|FORM|UNIT|DIM|SCAL|ZERO|NULL|BCOL)\d+|CHECKSUM|DATASUM|END|CONTINUE)$/;

function userCards(input: FitsHeaderInput | undefined, skip: RegExp[] = []): CardSpec[] {
  if (!input) return [];
  let cards: CardSpec[];
  if (input instanceof FitsHeader) cards = input.cards.map((c: FitsCard) => ({ ...c }));
  else if (Array.isArray(input)) cards = input.map((c) => ({ key: c.key, value: c.value, comment: c.comment }));
  else cards = Object.entries(input).map(([key, value]) => ({ key, value }));
  return cards.filter((c) => {
    const k = c.key.toUpperCase();
    if (COMMENTARY_KEYWORDS.has(k)) return true;
    if (RESERVED.test(k)) return false;
    return !skip.some((re) => re.test(k));
  });
}

function cardsToText(cards: CardSpec[], loc: FitsLocation): string {
  const lines: string[] = [];
  for (const c of cards) {
    try {
      lines.push(...formatCard(c.key, c.value, c.comment ?? ''));
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'FitsFormatError') throw fitsError({ ...loc, card: c.key }, cause.message.replace(/^FITS [^:]*: (card [^:]*: )?/, ''), FitsErrorCode.badValue, cause);
      throw fitsError({ ...loc, card: c.key }, `cannot format value: ${(cause as Error).message}`, FitsErrorCode.badValue, cause);
    }
  }
  lines.push('END'.padEnd(80));
  const text = lines.join('');
  return text.padEnd(padToBlock(text.length), ' ');
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

/**
 * A data unit produced on demand: `length` bytes (a whole number of blocks),
 * `fill(at, out)` writes bytes [at, at + out.length) into `out`; `at` is a
 * multiple of 8. Lets writeFits stream a big image through one small buffer.
 */
interface LazyData {
  length: number;
  fill(at: number, out: Uint8Array): void;
}

type DataPart = Uint8Array | LazyData;

/**
 * The values as a big-endian data unit padded with zeros to a whole number of
 * blocks, produced chunk by chunk; `flip` toggles the sign bit (the unsigned
 * BZERO/TZERO conventions).
 */
function bigEndianData(values: FitsTypedArray, wordSize: number, flip = false): LazyData {
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
      if (IS_LITTLE_ENDIAN && wordSize > 1) {
        const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (wordSize === 2) buf.swap16();
        else if (wordSize === 4) buf.swap32();
        else buf.swap64();
      }
      if (flip) for (let i = 0; i < chunk.length; i += wordSize) chunk[i] ^= 0x80;
    },
  };
}

/** Ones' complement sum of a data part, chunk by chunk. */
function partSum(part: DataPart): number {
  if (part instanceof Uint8Array) return onesComplementSum(part);
  const buf = allocUninitialized(Math.min(CHUNK_BYTES, part.length));
  let sum = 0;
  for (let at = 0; at < part.length; at += buf.length) {
    const chunk = buf.subarray(0, Math.min(buf.length, part.length - at));
    part.fill(at, chunk);
    sum = onesComplementSum(chunk, sum);
  }
  return sum;
}

function rint(x: number): number {
  // round half to even, as numpy.around
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

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

interface ImagePlan {
  bitpix: Bitpix;
  stored: FitsTypedArray;
  /** Flip the sign bit while encoding (unsigned conventions). */
  flip?: boolean;
  scaleCards: CardSpec[];
}

function planImage(hdu: ImageHduInput, loc: FitsLocation): ImagePlan {
  const d = hdu.data;
  const count = hdu.shape.reduce((a, b) => a * b, 1);
  if (hdu.shape.some((n) => !Number.isInteger(n) || n < 0) || count !== d.length) {
    throw fitsError(loc, `shape [${hdu.shape.join(', ')}] holds ${count} values but data has ${d.length}`, FitsErrorCode.badValue);
  }
  const natural: { bitpix: Bitpix; bzero?: number | bigint; flip?: boolean } =
    d instanceof Uint8Array ? { bitpix: 8 }
    : d instanceof Int8Array ? { bitpix: 8, bzero: -128, flip: true }
    : d instanceof Int16Array ? { bitpix: 16 }
    : d instanceof Uint16Array ? { bitpix: 16, bzero: 32768, flip: true }
    : d instanceof Int32Array ? { bitpix: 32 }
    : d instanceof Uint32Array ? { bitpix: 32, bzero: 2147483648, flip: true }
    : d instanceof BigInt64Array ? { bitpix: 64 }
    : d instanceof BigUint64Array ? { bitpix: 64, bzero: 9223372036854775808n, flip: true }
    : d instanceof Float32Array ? { bitpix: -32 }
    : { bitpix: -64 };
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

/** Header bytes and the padded data unit of one HDU (whole blocks, zero padding). */
function finishHdu(cards: CardSpec[], padded: DataPart, loc: FitsLocation, checksum: boolean): [Uint8Array, DataPart] {
  let headerText: string;
  if (checksum) {
    const dsum = partSum(padded);
    const withSums = [
      ...cards,
      { key: 'CHECKSUM', value: '0000000000000000', comment: 'HDU checksum' },
      { key: 'DATASUM', value: String(dsum), comment: 'data unit checksum' },
    ];
    headerText = cardsToText(withSums, loc);
    const hsum = onesComplementSum(asciiBytes(headerText), dsum);
    const encoded = encodeChecksum(hsum);
    headerText = headerText.replace("CHECKSUM= '0000000000000000'", `CHECKSUM= '${encoded}'`);
  } else {
    headerText = cardsToText(cards, loc);
  }
  return [asciiBytes(headerText), padded];
}

function concat(parts: DataPart[]): Uint8Array {
  const out = allocUninitialized(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    if (p instanceof Uint8Array) out.set(p, at);
    else for (let k = 0; k < p.length; k += CHUNK_BYTES) p.fill(k, out.subarray(at + k, at + Math.min(p.length, k + CHUNK_BYTES)));
    at += p.length;
  }
  return out;
}

/**
 * Encode one HDU (header and padded data unit) as bytes. `primary` makes it
 * the primary HDU (SIMPLE, EXTEND); otherwise an IMAGE or BINTABLE extension.
 * Mandatory keywords are written first in fixed format.
 */
export function encodeHdu(hdu: FitsHduInput, options: WriteFitsOptions & { primary?: boolean; index?: number } = {}): Uint8Array {
  return concat(encodeHduParts(hdu, options));
}

function encodeHduParts(hdu: FitsHduInput, options: WriteFitsOptions & { primary?: boolean; index?: number }): [Uint8Array, DataPart] {
  const primary = options.primary ?? false;
  const loc: FitsLocation = { file: options.name, hdu: options.index };
  const checksum = options.checksum ?? false;
  const nameCard: CardSpec[] = hdu.name !== undefined ? [{ key: 'EXTNAME', value: hdu.name }] : [];
  const skipName = hdu.name !== undefined ? [/^EXTNAME$/] : [];
  if (hdu.kind === 'ascii-table') {
    if (primary) throw fitsError(loc, 'an ASCII table cannot be the primary HDU', FitsErrorCode.badRequest);
    const { cards: colCards, data, rowLength, nrows } = encodeAsciiTableData(hdu, loc);
    const cards: CardSpec[] = [
      { key: 'XTENSION', value: 'TABLE', comment: 'ASCII table extension' },
      { key: 'BITPIX', value: 8, comment: 'array data type' },
      { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
      { key: 'NAXIS1', value: rowLength, comment: 'length of dimension 1' },
      { key: 'NAXIS2', value: nrows, comment: 'length of dimension 2' },
      { key: 'PCOUNT', value: 0, comment: 'number of group parameters' },
      { key: 'GCOUNT', value: 1, comment: 'number of groups' },
      { key: 'TFIELDS', value: hdu.columns.length, comment: 'number of table fields' },
      ...colCards,
      ...nameCard,
      ...userCards(hdu.header, skipName),
    ];
    return finishHdu(cards, data, loc, checksum);
  }
  if (hdu.kind === 'binary-table') {
    if (primary) throw fitsError(loc, 'a binary table cannot be the primary HDU', FitsErrorCode.badRequest);
    const { cards: colCards, data, rowLength, nrows, heapSize } = encodeBinaryTableData(hdu, loc);
    const cards: CardSpec[] = [
      { key: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' },
      { key: 'BITPIX', value: 8, comment: 'array data type' },
      { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
      { key: 'NAXIS1', value: rowLength, comment: 'length of dimension 1' },
      { key: 'NAXIS2', value: nrows, comment: 'length of dimension 2' },
      { key: 'PCOUNT', value: heapSize, comment: 'number of group parameters' },
      { key: 'GCOUNT', value: 1, comment: 'number of groups' },
      { key: 'TFIELDS', value: hdu.columns.length, comment: 'number of table fields' },
      ...colCards,
      ...nameCard,
      ...userCards(hdu.header, skipName),
    ];
    // encodeBinaryTableData allocated the data unit padded and zeroed
    return finishHdu(cards, new Uint8Array(data.buffer, data.byteOffset, padToBlock(data.length)), loc, checksum);
  }
  const head: CardSpec[] = primary
    ? [{ key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' }]
    : [{ key: 'XTENSION', value: 'IMAGE', comment: 'Image extension' }];
  if (hdu.kind === 'empty') {
    head.push({ key: 'BITPIX', value: 8, comment: 'array data type' }, { key: 'NAXIS', value: 0, comment: 'number of array dimensions' });
    if (primary) head.push({ key: 'EXTEND', value: true });
    else head.push({ key: 'PCOUNT', value: 0, comment: 'number of parameters' }, { key: 'GCOUNT', value: 1, comment: 'number of groups' });
    return finishHdu([...head, ...nameCard, ...userCards(hdu.header, [...skipName, /^(BSCALE|BZERO|BLANK)$/])], new Uint8Array(0), loc, checksum);
  }
  const plan = planImage(hdu, loc);
  head.push({ key: 'BITPIX', value: plan.bitpix, comment: 'array data type' }, { key: 'NAXIS', value: hdu.shape.length, comment: 'number of array dimensions' });
  hdu.shape.forEach((n, i) => head.push({ key: `NAXIS${i + 1}`, value: n }));
  if (primary) head.push({ key: 'EXTEND', value: true });
  else head.push({ key: 'PCOUNT', value: 0, comment: 'number of parameters' }, { key: 'GCOUNT', value: 1, comment: 'number of groups' });
  const cards = [...head, ...nameCard, ...plan.scaleCards, ...userCards(hdu.header, [...skipName, /^(BSCALE|BZERO|BLANK)$/])];
  const data = bigEndianData(plan.stored, Math.abs(plan.bitpix) / 8, plan.flip);
  return finishHdu(cards, data, loc, checksum);
}

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

/**
 * Encode HDUs as a FITS file in memory. When the first HDU is a table, an
 * empty primary HDU is put before it.
 */
export function toFitsBytes(hdus: FitsHduInput[], options: WriteFitsOptions = {}): Uint8Array {
  return concat(encodeAll(hdus, options));
}

function encodeAll(hdus: FitsHduInput[], options: WriteFitsOptions): DataPart[] {
  const list = hdus.length === 0 || hdus[0].kind === 'binary-table' || hdus[0].kind === 'ascii-table' ? [{ kind: 'empty' } as EmptyHduInput, ...hdus] : hdus;
  return list.flatMap((h, i) => encodeHduParts(h, { ...options, primary: i === 0, index: i }));
}

/**
 * Write HDUs to `path` atomically (temporary file in the same directory,
 * fsync, rename): a reader never sees a partial file, and a failure leaves the
 * old file in place. The HDUs are written part by part (not concatenated).
 */
export async function writeFits(path: string, hdus: FitsHduInput[], options: WriteFitsOptions = {}): Promise<void> {
  const parts = encodeAll(hdus, { ...options, name: options.name ?? path });
  const temp = tempNameFor(path);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(temp, 'w', 0o644);
    // big data units go through one 4 MB buffer (no copy of the whole image)
    const buffer = allocUninitialized(CHUNK_BYTES);
    for (const part of parts) {
      for (let at = 0; at < part.length; ) {
        let chunk: Uint8Array;
        if (part instanceof Uint8Array) chunk = part.subarray(at, Math.min(part.length, at + CHUNK_BYTES));
        else {
          chunk = buffer.subarray(0, Math.min(CHUNK_BYTES, part.length - at));
          part.fill(at, chunk);
        }
        for (let done = 0; done < chunk.length; ) {
          const { bytesWritten } = await handle.write(chunk, done, chunk.length - done);
          done += bytesWritten;
        }
        at += chunk.length;
      }
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(temp, path);
  } catch (cause) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
    throw fitsError({ file: path }, `cannot write: ${(cause as Error).message}`, FitsErrorCode.io, cause);
  }
}
