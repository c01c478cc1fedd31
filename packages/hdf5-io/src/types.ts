import type { Dtype, NumericArray } from '@astro/core';

/**
 * Numeric element types, named after the TypedArray that holds them: core's
 * {@link Dtype} (`'int8'` ... `'float64'`), under this package's older name.
 */
export type NumericDtype = Dtype;

/**
 * Element type of a dataset: a numeric type, `'string'` (fixed-length or
 * variable-length, see {@link DatasetInfo.stringLength}), `vlen<base>` for
 * variable-length numeric rows, `'compound'` for tables, or `'other'`
 * (references, opaque, arrays, bitfields: listed but not readable).
 */
export type Hdf5Dtype = NumericDtype | 'string' | `vlen<${NumericDtype}>` | 'compound' | 'other';

/** Kind of an object in the file. */
export type Hdf5EntryKind = 'group' | 'dataset' | 'other';

/** One member of a group, as returned by `list()`. */
export interface Hdf5Entry {
  /** Name inside the group. */
  name: string;
  /** Absolute path, e.g. `/timeSeries/hfad_mag`. */
  path: string;
  /** Group, dataset, or other (named datatype, soft/external link). */
  kind: Hdf5EntryKind;
}

/** One member of a compound type (see {@link DatasetInfo.members}). */
export interface CompoundMemberInfo {
  /** Member name. */
  name: string;
  /** Member type (numeric or fixed `'string'` can be read; others are `'other'`). */
  dtype: Hdf5Dtype;
  /** Byte offset of the member inside one record. */
  offset: number;
  /** Size of the member in bytes. */
  size: number;
  /** For fixed-length string members, the length in bytes. */
  stringLength?: number;
}

/** Filters in a chunked dataset's pipeline, by name (`'shuffle'`, `'deflate'`, `'lzf'`, ...). */
export type FilterName = string;

/** Shape, type and storage of a dataset, as returned by `info()`. */
export interface DatasetInfo {
  /** Absolute object path. */
  path: string;
  /** Dimensions, slowest first (C order, as h5py). `[]` for a scalar. */
  shape: number[];
  /** Element type. */
  dtype: Hdf5Dtype;
  /** For `vlen<...>` datasets, the base type of the row values. */
  vlen?: { base: NumericDtype };
  /** For fixed-length strings, the length in bytes; undefined for variable-length strings. */
  stringLength?: number;
  /** For strings, how HDF5 pads them. */
  stringPadding?: 'nullterm' | 'nullpad' | 'spacepad';
  /** For strings, the declared character set. */
  charset?: 'ascii' | 'utf-8';
  /** Members of a compound type, in file order. */
  members?: CompoundMemberInfo[];
  /** Size of one element in memory, bytes (for vlen: the descriptor size). */
  elementSize: number;
  /** Chunk shape of a chunked dataset. */
  chunks?: number[];
  /** Maximum shape; `null` marks an unlimited dimension. */
  maxshape?: (number | null)[];
  /** `'gzip'` (deflate), `'lzf'` or another filter name when the data is compressed. */
  compression?: string;
  /** Whether the byte-shuffle filter is applied. */
  shuffle?: boolean;
  /** All filters of the pipeline, in order. */
  filters?: FilterName[];
}

/** Value of an attribute: numbers, bigints (64-bit integers), strings, typed arrays or string arrays. */
export type AttrValue = number | bigint | string | NumericArray | string[];

/** Row range along the first axis: rows `[start, end)`. */
export interface RowRange {
  /** First row (default 0). */
  start?: number;
  /** One past the last row (default: the number of rows; clamped to it). */
  end?: number;
}

/**
 * A variable-length column in flat form: ONE typed array with the values of
 * every row back to back, and `offsets` (length `nrows + 1`) such that the
 * values of row `i` (relative to `start`) are
 * `values.subarray(offsets[i], offsets[i + 1])`. `offsets[0]` is 0.
 */
export interface VlenColumn<T extends NumericArray = NumericArray> {
  /** All values of rows `[start, start + nrows)`, native byte order. */
  values: T;
  /** Row boundaries into `values`, length `nrows + 1` (Float64Array: exact up to 2^53). */
  offsets: Float64Array;
  /** Number of rows. */
  nrows: number;
  /** Index in the dataset of the first row. */
  start: number;
}

/** Options of `readCompound()`. */
export interface ReadCompoundOptions extends RowRange {
  /** Only these members (default: all readable members). */
  columns?: string[];
}

/** Compression of a written dataset. */
export type Compression = 'gzip' | 'lzf' | 'none';

/** Specification of a new dataset in a new file, see `Hdf5Writer.createDataset`. */
export interface CreateDatasetSpec {
  /** Initial data (flat, C order). Omit to create an empty (e.g. appendable) dataset. */
  data?: NumericArray | string[];
  /** Element type; default from `data` (TypedArray type, or `'string'` for string[]). */
  dtype?: NumericDtype | 'string';
  /** For fixed-length strings, the length in bytes (default: the longest UTF-8 string, at least 1). */
  stringLength?: number;
  /** Dimensions; default `[data.length]`. */
  shape?: number[];
  /** Maximum shape, `null` = unlimited (needs chunks; default: chosen). Default: equal to shape. */
  maxshape?: (number | null)[];
  /** Chunk shape; default: none (contiguous) unless compression, shuffle or maxshape need it. */
  chunks?: number[];
  /** Compression (default `'none'`; `'gzip'` recommended). */
  compression?: Compression;
  /** gzip level 0-9 (default 4, as h5py). */
  level?: number;
  /** Byte-shuffle before compression (default false; h5py's `shuffle=True`). */
  shuffle?: boolean;
}

/** Specification of a new variable-length dataset, see `Hdf5Writer.createVlenDataset`. */
export interface CreateVlenDatasetSpec {
  /** Base type of the values; default from the rows' TypedArray type. */
  dtype?: NumericDtype;
  /** Chunk length in rows (default: chosen, ~64 KiB of descriptors). */
  chunks?: number[];
  /** Compression of the row descriptors (default `'gzip'`). The values live in the global heap, uncompressed, as h5py writes them. */
  compression?: Compression;
  /** gzip level (default 4). */
  level?: number;
  /** Byte-shuffle the row descriptors (default true when compressing). */
  shuffle?: boolean;
  /** Maximum number of rows (`null` = unlimited, allows `append`). Default: fixed. */
  maxshape?: (number | null)[];
}

/**
 * Specification of a dataset added to an existing file (`Hdf5Editor.createDataset`):
 * as {@link CreateDatasetSpec}, without what h5wasm cannot write in place
 * (it sets one filter per dataset, so no shuffle, and it has no lzf encoder).
 */
export interface EditorDatasetSpec extends Omit<CreateDatasetSpec, 'compression' | 'shuffle'> {
  /** Compression (default `'none'`): gzip or none. */
  compression?: 'gzip' | 'none';
  /** Shuffle cannot be added in place; only `false` is accepted. */
  shuffle?: false;
}
