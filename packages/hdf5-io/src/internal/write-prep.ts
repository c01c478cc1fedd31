/**
 * Validation and byte preparation shared by both engines (h5wasm for existing
 * files, this package's serializer for new files). Errors are returned as strings
 * so the caller can raise them with its file and dataset path.
 */
import type { NumericArray } from '@astro/core';
import { DTYPE_SIZE, IS_LITTLE_ENDIAN, bytesOf, dtypeOf, swapBytesInPlace } from '@astro/core';
import type { AttrValue, Compression, CreateDatasetSpec, NumericDtype, RowRange } from '../types.js';
import { H5T, H5_NUMERIC, isNumericDtype, newArrayOf, toDtype } from './dtype.js';
import { encodeFixedStrings, maxUtf8Length } from './strings.js';

/** h5wasm write metadata (without shape fields). */
export interface H5TypeMeta {
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  vlen: boolean;
  cset?: number;
}

/** A validated dataset creation request. */
export interface PreparedDataset {
  dtype: NumericDtype | 'string';
  stringLength?: number;
  h5: H5TypeMeta;
  shape: number[];
  maxshape: (number | null)[];
  chunks?: number[];
  compression: Compression;
  level: number;
  shuffle: boolean;
  /** Little-endian element bytes (fixed strings NUL-padded). */
  bytes: Uint8Array;
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
const isDim = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;

/** Rows [start, end) along the first axis of a dataset of `shape` (`end` clamped to the row count; a scalar is the one row 0 and takes no range), or the problem. */
export function resolveRange(shape: readonly number[], range: RowRange | undefined): { start: number; end: number } | string {
  if (shape.length === 0) {
    if (range?.start !== undefined || range?.end !== undefined) return 'is a scalar dataset: a row range does not apply';
    return { start: 0, end: 1 };
  }
  const nrows = shape[0];
  const start = range?.start ?? 0;
  let end = range?.end ?? nrows;
  if (!Number.isSafeInteger(start) || start < 0) return `invalid start row ${String(start)} (expected an integer >= 0)`;
  if (!Number.isSafeInteger(end) || end < 0) return `invalid end row ${String(end)} (expected an integer >= 0)`;
  if (end > nrows) end = nrows;
  if (start > nrows) return `start row ${start} is beyond the ${nrows} rows of the dataset`;
  if (start > end) return `start row ${start} is after end row ${end}`;
  return { start, end };
}

/** Little-endian bytes of a numeric array (a view when the host is little-endian). */
export function leBytes(data: NumericArray): Uint8Array {
  const bytes = bytesOf(data);
  if (IS_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapBytesInPlace(copy, data.BYTES_PER_ELEMENT as 2 | 4 | 8);
  return copy;
}

/** h5wasm type metadata of a numeric dtype. */
export function numericMeta(dtype: NumericDtype): H5TypeMeta {
  const code = H5_NUMERIC[dtype];
  return { type: code.h5class, size: DTYPE_SIZE[dtype], signed: code.signed, littleEndian: true, vlen: false };
}

/** Default chunk shape: whole trailing dimensions, ~256 KiB per chunk along the first axis. */
export function defaultChunks(shape: number[], maxshape: (number | null)[], elementSize: number): number[] {
  if (shape.length === 0) return [];
  const rest = shape.slice(1).map((d) => Math.max(1, d));
  const rowBytes = Math.max(1, elementSize * product(rest));
  let rows = Math.max(1, Math.floor((256 * 1024) / rowBytes));
  const max0 = maxshape[0];
  const cap = max0 === null ? Math.max(shape[0], rows) : Math.max(1, max0);
  if (shape[0] > 0) rows = Math.min(rows, Math.max(shape[0], max0 === null ? rows : 1));
  rows = Math.min(rows, cap);
  return [Math.max(1, rows), ...rest];
}

/** Validate compression/level/shuffle/maxshape/chunks common to all dataset kinds. */
export function prepareStorage(
  shape: number[],
  elementSize: number,
  spec: { maxshape?: (number | null)[]; chunks?: number[]; compression?: Compression; level?: number; shuffle?: boolean },
  defaultCompression: Compression,
): Pick<PreparedDataset, 'maxshape' | 'chunks' | 'compression' | 'level' | 'shuffle'> | string {
  const compression = spec.compression ?? defaultCompression;
  if (compression !== 'gzip' && compression !== 'lzf' && compression !== 'none') {
    return `unknown compression ${JSON.stringify(compression)} (use 'gzip', 'lzf' or 'none')`;
  }
  const level = spec.level ?? 4;
  if (!Number.isInteger(level) || level < 0 || level > 9) return `gzip level ${String(level)} is not an integer 0..9`;
  const shuffle = spec.shuffle ?? false;
  const maxshape = spec.maxshape ?? shape;
  if (maxshape.length !== shape.length) return `maxshape [${maxshape.join(', ')}] and shape [${shape.join(', ')}] differ in rank`;
  for (let i = 0; i < shape.length; i++) {
    const m = maxshape[i];
    if (m !== null && (!isDim(m) || m < shape[i])) return `maxshape [${maxshape.join(', ')}] is smaller than shape [${shape.join(', ')}]`;
  }
  const resizable = maxshape.some((m, i) => m !== shape[i]);
  let chunks = spec.chunks;
  if (chunks !== undefined) {
    if (chunks.length !== shape.length || !chunks.every((c) => isDim(c) && c > 0)) {
      return `chunks [${chunks.join(', ')}] must be ${shape.length} positive integers`;
    }
    for (let i = 0; i < shape.length; i++) {
      const m = maxshape[i];
      if (m !== null && chunks[i] > m && m > 0) return `chunk dimension ${chunks[i]} exceeds maxshape ${m}`;
    }
  } else if (compression !== 'none' || shuffle || resizable) {
    if (shape.length === 0) return 'a scalar dataset cannot be chunked, compressed or resizable';
    chunks = defaultChunks(shape, maxshape, elementSize);
  }
  if (chunks !== undefined && shape.length === 0) return 'a scalar dataset cannot be chunked';
  return { maxshape, chunks, compression, level, shuffle };
}

/** Validate a {@link CreateDatasetSpec} and produce its bytes. */
export function prepareDataset(spec: CreateDatasetSpec): PreparedDataset | string {
  const data = spec.data;
  let dtype: NumericDtype | 'string';
  if (Array.isArray(data)) {
    if (spec.dtype !== undefined && spec.dtype !== 'string') return `string data cannot be stored as ${spec.dtype}`;
    if (!data.every((s) => typeof s === 'string')) return 'data array must hold only strings';
    dtype = 'string';
  } else if (data !== undefined) {
    const own = dtypeOf(data);
    if (own === undefined) return 'data must be a TypedArray or a string[]';
    dtype = spec.dtype ?? own;
  } else {
    dtype = spec.dtype ?? 'float64';
  }
  if (dtype !== 'string' && !isNumericDtype(dtype)) return `unknown dtype ${JSON.stringify(dtype)}`;
  const length = data?.length ?? 0;
  const shape = spec.shape ?? (data === undefined ? [0] : [length]);
  if (!Array.isArray(shape) || !shape.every(isDim)) return `invalid shape ${JSON.stringify(shape)}`;
  if (product(shape) !== length) return `shape [${shape.join(', ')}] holds ${product(shape)} values but data has ${length}`;

  let h5: H5TypeMeta;
  let bytes: Uint8Array;
  let stringLength: number | undefined;
  if (dtype === 'string') {
    const strings = (data ?? []) as string[];
    stringLength = spec.stringLength ?? maxUtf8Length(strings);
    if (!Number.isSafeInteger(stringLength) || stringLength < 1) return `invalid stringLength ${String(spec.stringLength)}`;
    const enc = encodeFixedStrings(strings, stringLength);
    if (enc.tooLong >= 0) {
      return `string ${enc.tooLong} (${JSON.stringify(strings[enc.tooLong])}) is longer than stringLength ${stringLength} bytes`;
    }
    bytes = enc.bytes;
    h5 = { type: H5T.STRING, size: stringLength, signed: false, littleEndian: true, vlen: false, cset: 0 };
  } else {
    const typed = data === undefined ? newArrayOf(dtype, 0) : toDtype(data as NumericArray, dtype);
    bytes = leBytes(typed);
    h5 = numericMeta(dtype);
  }
  const storage = prepareStorage(shape, h5.size, spec, 'none');
  if (typeof storage === 'string') return storage;
  const out: PreparedDataset = { dtype, h5, shape, bytes, ...storage };
  if (stringLength !== undefined) out.stringLength = stringLength;
  return out;
}

/** A validated attribute. */
export interface PreparedAttr {
  h5: H5TypeMeta;
  shape: number[];
  bytes: Uint8Array;
  /** Set for (variable-length UTF-8) string attributes. */
  strings?: string[];
  dtype: NumericDtype | 'string';
}

/**
 * Attribute encoding, as h5py does: strings -> variable-length UTF-8; integer
 * numbers -> int64; other numbers -> float64; bigint -> int64 (uint64 above
 * 2^63-1); typed arrays keep their type.
 */
export function prepareAttr(value: AttrValue): PreparedAttr | string {
  const stringMeta: H5TypeMeta = { type: H5T.STRING, size: 4, signed: false, littleEndian: true, vlen: true, cset: 1 };
  if (typeof value === 'string') return { h5: stringMeta, shape: [], bytes: new Uint8Array(0), strings: [value], dtype: 'string' };
  if (Array.isArray(value)) {
    if (!value.every((s) => typeof s === 'string')) return 'arrays must be typed arrays or string[]';
    return { h5: stringMeta, shape: [value.length], bytes: new Uint8Array(0), strings: [...value], dtype: 'string' };
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { h5: numericMeta('int64'), shape: [], bytes: leBytes(new BigInt64Array([BigInt(value)])), dtype: 'int64' };
    return { h5: numericMeta('float64'), shape: [], bytes: leBytes(new Float64Array([value])), dtype: 'float64' };
  }
  if (typeof value === 'bigint') {
    if (value >= -(2n ** 63n) && value < 2n ** 63n) return { h5: numericMeta('int64'), shape: [], bytes: leBytes(new BigInt64Array([value])), dtype: 'int64' };
    if (value >= 0n && value < 2n ** 64n) return { h5: numericMeta('uint64'), shape: [], bytes: leBytes(new BigUint64Array([value])), dtype: 'uint64' };
    return `bigint ${value} does not fit in 64 bits`;
  }
  const dtype = dtypeOf(value);
  if (dtype !== undefined) {
    const typed = value as NumericArray;
    return { h5: numericMeta(dtype), shape: [typed.length], bytes: leBytes(typed).slice(), dtype };
  }
  return `unsupported attribute value of type ${typeof value}`;
}
