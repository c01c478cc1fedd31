/**
 * Typed HDF5 reads and chunked writes for Node.js: numeric and string
 * columns, variable-length (vlen) columns as one flat array plus offsets,
 * compound tables decoded from raw records, attributes, resizable datasets.
 *
 * Three kinds of open file, each with only the methods its engine supports:
 * `openHdf5(path)` gives an {@link Hdf5Reader} and `openHdf5(path, { mode:
 * 'r+' })` an {@link Hdf5Editor}, both on h5wasm (the HDF5 C library compiled
 * to WebAssembly); `createHdf5(path)` gives an {@link Hdf5Writer}, this
 * package's own serializer, which writes vlen numeric datasets and shuffle +
 * gzip and commits the file atomically. See docs/hdf5-io.md for the dtype
 * table, copy behaviour and errors.
 *
 * @packageDocumentation
 */

// Opening and creating files
export { openHdf5, withHdf5 } from './open.js';
export { createHdf5 } from './create.js';
export type { CreateHdf5Options, Hdf5Mode, OpenHdf5Options } from './file-handles.js';

// The three kinds of open file
export type { Hdf5Contents, Hdf5Editor, Hdf5File, Hdf5Reader, Hdf5Writer } from './file-handles.js';

// What goes in and out: dtypes, dataset descriptions, data
export type {
  AttrValue,
  CompoundMemberInfo,
  DatasetInfo,
  FilterName,
  Hdf5Dtype,
  Hdf5Entry,
  Hdf5EntryKind,
  NumericDtype,
  ReadCompoundOptions,
  RowRange,
  VlenColumn,
} from './types.js';

// Dataset specifications for writing
export type { Compression, CreateDatasetSpec, CreateVlenDatasetSpec, EditorDatasetSpec } from './types.js';

// Errors
export { Hdf5Error, Hdf5ErrorCode } from './errors.js';
export type { Hdf5ErrorOptions } from './errors.js';
