import type { NumericArray } from '@astro/core';

/** Numeric element types, named after the TypedArray that holds them. */
export type NumericDtype =
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

/**
 * Element type of a dataset: a numeric type, `'string'` (fixed-length or
 * variable-length, see {@link DatasetInfo.stringLength}), `vlen<base>` for
 * variable-length numeric rows, `'compound'` for tables, or `'other'`
 * (references, opaque, arrays, bitfields: listed but not readable).
 */
export type Hdf5Dtype = NumericDtype | 'string' | `vlen<${NumericDtype}>` | 'compound' | 'other';

/** Kind of an object in the file. */
export type Hdf5EntryKind = 'group' | 'dataset' | 'other';

/** One member of a group, as returned by {@link Hdf5File.list}. */
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

/** Shape, type and storage of a dataset, as returned by {@link Hdf5File.info}. */
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

/** Options of {@link Hdf5File.readCompound}. */
export interface ReadCompoundOptions extends RowRange {
  /** Only these members (default: all readable members). */
  columns?: string[];
}

/** Open modes: `'r'` read-only (default), `'r+'` read/write existing, `'w'` create/truncate, `'a'` read/write, create if missing. */
export type Hdf5Mode = 'r' | 'r+' | 'w' | 'a';

/** Options of {@link openHdf5}. */
export interface OpenHdf5Options {
  /** Open mode, default `'r'`. */
  mode?: Hdf5Mode;
}

/** Compression of a written dataset. */
export type Compression = 'gzip' | 'lzf' | 'none';

/** Specification of a new dataset, see {@link Hdf5File.createDataset}. */
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
  /** Byte-shuffle before compression (default false; h5py's `shuffle=True`). Only in files created with mode `'w'`: h5wasm sets one filter per dataset in `'r+'`/`'a'`. */
  shuffle?: boolean;
}

/** Specification of a new variable-length dataset, see {@link Hdf5File.createVlenDataset}. */
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
  /** Maximum number of rows (`null` = unlimited, allows {@link Hdf5File.append}). Default: fixed. */
  maxshape?: (number | null)[];
}

/**
 * An open HDF5 file. Obtain one with {@link openHdf5} (and close it) or use
 * {@link withHdf5}, which always closes. All paths are absolute
 * (`/group/dataset`) or relative to the root. Methods throw {@link Hdf5Error}.
 */
export interface Hdf5File {
  /** Path of the file as given to {@link openHdf5} (resolved to absolute). */
  readonly path: string;
  /** Mode the file was opened with. */
  readonly mode: Hdf5Mode;
  /** Members of a group (default the root), sorted by name. */
  list(group?: string): Hdf5Entry[];
  /** Whether an object (group or dataset) exists at `path`. */
  has(path: string): boolean;
  /** Shape, type and storage of a dataset. */
  info(path: string): DatasetInfo;
  /** Attributes of an object (default the root). Scalars become number/bigint/string; arrays typed arrays or string[]. */
  attrs(path?: string): Record<string, AttrValue>;
  /**
   * Read rows `[start, end)` of a numeric or string dataset. Numeric data come
   * as the TypedArray of the natural type (int64 -> BigInt64Array), flat in C
   * order; strings as string[] with trailing NULs removed (spaces kept). The
   * result is a fresh copy owned by the caller.
   */
  read(path: string, options?: RowRange): NumericArray | string[];
  /** Like {@link Hdf5File.read} for numeric data, widened to Float64Array (int64 beyond 2^53 loses precision). */
  readFloat64(path: string, options?: RowRange): Float64Array;
  /** Read rows `[start, end)` of a vlen numeric dataset as one flat array plus offsets (a copy). */
  readVlen(path: string, options?: RowRange): VlenColumn;
  /** Read rows of a compound dataset into one array per member (decoded from the raw records). */
  readCompound(path: string, options?: ReadCompoundOptions): Record<string, NumericArray | string[]>;
  /** Create a group (and missing parents). */
  createGroup(path: string): void;
  /** Create a dataset (and missing parent groups). */
  createDataset(path: string, spec: CreateDatasetSpec): void;
  /** Create a vlen numeric dataset from rows (an array of TypedArrays, or a {@link VlenColumn}). */
  createVlenDataset(path: string, rows: NumericArray[] | VlenColumn, spec?: CreateVlenDatasetSpec): void;
  /** Append rows along the first axis of a resizable dataset (`data.length` must be a multiple of the row size). */
  append(path: string, data: NumericArray | string[]): void;
  /** Set (create or replace) attributes of an object (default the root). */
  setAttrs(path: string, attrs: Record<string, AttrValue>): void;
  /** Make everything written so far durable on disk. */
  flush(): void;
  /** Flush and close; idempotent. Any later call throws `HDF5_MODE`. */
  close(): void;
}
