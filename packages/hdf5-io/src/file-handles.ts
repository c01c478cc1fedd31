/**
 * The three kinds of open HDF5 file. Each has only the methods its engine
 * really supports, so the compiler rejects what would fail at run time:
 *
 * - {@link Hdf5Reader} (`openHdf5(path)` / mode `'r'`): reads, on h5wasm;
 * - {@link Hdf5Editor} (mode `'r+'`): reads and the in-place writes h5wasm
 *   supports (groups, plain or gzip datasets, appends, attributes);
 * - {@link Hdf5Writer} (`createHdf5(path)`, mode `'w'`): a new file built by
 *   this package's serializer (vlen datasets, shuffle, lzf), committed
 *   atomically.
 */
import type { Durability, NumericArray } from '@astro/core';
import type {
  AttrValue,
  CreateDatasetSpec,
  CreateVlenDatasetSpec,
  DatasetInfo,
  EditorDatasetSpec,
  Hdf5Entry,
  ReadCompoundOptions,
  RowRange,
  VlenColumn,
} from './types.js';

/**
 * Open modes: `'r'` read-only (default), `'r+'` read/write an existing file,
 * `'w'` create (replace at commit), `'a'` read/write, create if missing.
 */
export type Hdf5Mode = 'r' | 'r+' | 'w' | 'a';

/** Options of `createHdf5` (and of `openHdf5` with mode `'w'`). */
export interface CreateHdf5Options {
  /**
   * How hard the commit works to survive a crash (core's atomic file rule):
   * `'fsync'` (default) syncs the file before the rename and the directory
   * after it; `'none'` syncs nothing (scratch files, tests), the rename is
   * still atomic.
   */
  durability?: Durability;
}

/** Options of `openHdf5`. */
export interface OpenHdf5Options extends CreateHdf5Options {
  /** Open mode, default `'r'`. `durability` applies to the new files of modes `'w'` and `'a'`. */
  mode?: Hdf5Mode;
}

/**
 * What every open file answers: its structure, attributes and data as they
 * are now. All paths are absolute (`/group/dataset`) or relative to the root.
 * Methods throw `Hdf5Error`.
 */
export interface Hdf5Contents {
  /** Path of the file as given (resolved to absolute). */
  readonly path: string;
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
  /** Like {@link Hdf5Contents.read} for numeric data, widened to Float64Array (int64 beyond 2^53 loses precision). */
  readFloat64(path: string, options?: RowRange): Float64Array;
  /** Read rows `[start, end)` of a vlen numeric dataset as one flat array plus offsets (a copy). */
  readVlen(path: string, options?: RowRange): VlenColumn;
}

/**
 * An existing file opened read-only (`openHdf5(path)`, mode `'r'`), read
 * through h5wasm (the HDF5 C library in WebAssembly). Close it, or use
 * `withHdf5`, which always closes.
 */
export interface Hdf5Reader extends Hdf5Contents {
  /** Mode the file was opened with. */
  readonly mode: 'r' | 'r+' | 'a';
  /** Read rows of a compound dataset into one array per member (decoded from the raw records). */
  readCompound(path: string, options?: ReadCompoundOptions): Record<string, NumericArray | string[]>;
  /** Close (flushing first when writable); idempotent. Any later call throws `HDF5_MODE`. */
  close(): void;
}

/**
 * An existing file opened for writing in place (mode `'r+'`), through
 * h5wasm: everything an {@link Hdf5Reader} does, plus the writes HDF5 makes
 * in place. Not atomic: a crash in the middle of a write can damage the
 * file (as with h5py); durable after `flush()` / `close()`.
 */
export interface Hdf5Editor extends Hdf5Reader {
  /** Mode the file was opened with. */
  readonly mode: 'r+' | 'a';
  /** Create a group (and missing parents). */
  createGroup(path: string): void;
  /** Create a dataset (and missing parent groups): gzip or no compression, no shuffle. */
  createDataset(path: string, spec: EditorDatasetSpec): void;
  /** Append rows along the first axis of a resizable dataset (`data.length` must be a multiple of the row size). */
  append(path: string, data: NumericArray | string[]): void;
  /** Set (create or replace) attributes of an object (default the root). */
  setAttrs(path: string, attrs: Record<string, AttrValue>): void;
  /** Make everything written so far durable on disk. */
  flush(): void;
}

/**
 * A new file (`createHdf5`, or mode `'w'`), built in memory by this
 * package's own HDF5 serializer, which writes what h5wasm cannot (vlen
 * numeric datasets, shuffle + gzip, lzf). Nothing is on disk until a commit:
 * `close()` (or `flush()`, which commits a complete snapshot and keeps the
 * file open) serialises the whole file to a temporary name beside the
 * target and renames it over the target, so a reader sees the previous file
 * or the whole new one, never a half-written one. `abort()` discards it.
 * The contents read back from memory.
 */
export interface Hdf5Writer extends Hdf5Contents {
  /** Mode the file was created with (`'a'` when `openHdf5(path, { mode: 'a' })` found no file). */
  readonly mode: 'w' | 'a';
  /** Create a group (and missing parents). */
  createGroup(path: string): void;
  /** Create a dataset (and missing parent groups), with any compression and shuffle. */
  createDataset(path: string, spec: CreateDatasetSpec): void;
  /** Create a vlen numeric dataset from rows (an array of TypedArrays, or a {@link VlenColumn}). */
  createVlenDataset(path: string, rows: NumericArray[] | VlenColumn, spec?: CreateVlenDatasetSpec): void;
  /** Append rows along the first axis of a resizable (non-vlen) dataset. */
  append(path: string, data: NumericArray | string[]): void;
  /** Set (create or replace) attributes of an object (default the root). */
  setAttrs(path: string, attrs: Record<string, AttrValue>): void;
  /** Commit a complete snapshot of the file now (atomically, per the durability option); the writer stays open. */
  flush(): void;
  /** Commit (as `flush()`) and close; idempotent. Any later call throws `HDF5_MODE`. */
  close(): void;
  /** Close without committing what was not flushed; the file on disk stays as it was. Idempotent. */
  abort(): void;
}

/**
 * Any open file.
 * @deprecated Use {@link Hdf5Reader}, {@link Hdf5Editor} or {@link Hdf5Writer}: what `openHdf5` returns for the mode.
 */
export type Hdf5File = Hdf5Reader | Hdf5Editor | Hdf5Writer;
