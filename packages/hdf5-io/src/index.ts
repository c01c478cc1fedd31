/**
 * Typed HDF5 reads and chunked writes for Node.js: numeric and string
 * columns, variable-length (vlen) columns as one flat array plus offsets,
 * compound tables decoded from raw records, attributes, resizable datasets.
 *
 * Reads and in-place writes go through h5wasm (the HDF5 C library compiled to
 * WebAssembly); new files are assembled by this package's own HDF5 writer so
 * that vlen numeric datasets and shuffle + gzip can be written. See
 * docs/hdf5-io.md for the dtype table, copy behaviour and errors.
 *
 * @packageDocumentation
 */
export { openHdf5, withHdf5 } from './open.js';
export { Hdf5Error } from './errors.js';
export type { Hdf5ErrorCode, Hdf5ErrorOptions } from './errors.js';
export type {
  AttrValue,
  CompoundMemberInfo,
  Compression,
  CreateDatasetSpec,
  CreateVlenDatasetSpec,
  DatasetInfo,
  FilterName,
  Hdf5Dtype,
  Hdf5Entry,
  Hdf5EntryKind,
  Hdf5File,
  Hdf5Mode,
  NumericDtype,
  OpenHdf5Options,
  ReadCompoundOptions,
  RowRange,
  VlenColumn,
} from './types.js';
