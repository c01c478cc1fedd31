import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/**
 * Error codes of {@link Hdf5Error}:
 * - `HDF5_OPEN`: the file is missing, unreadable, not HDF5, truncated or corrupt at open.
 * - `HDF5_NOT_FOUND`: no object at the given path.
 * - `HDF5_READ`: HDF5 failed while reading data or metadata (corrupt chunk, truncated file).
 * - `HDF5_WRITE`: HDF5 failed while writing, or the file could not be saved.
 * - `HDF5_TYPE`: the dataset's type does not fit the call (e.g. `readVlen` on a float column).
 * - `HDF5_ARGUMENT`: an invalid argument (bad row range, shape mismatch, unknown option).
 * - `HDF5_MODE`: a write call on a file opened read-only, or any call after `close()`.
 * - `HDF5_UNSUPPORTED`: a valid request this package cannot do (said which and why).
 */
export type Hdf5ErrorCode =
  | 'HDF5_OPEN'
  | 'HDF5_NOT_FOUND'
  | 'HDF5_READ'
  | 'HDF5_WRITE'
  | 'HDF5_TYPE'
  | 'HDF5_ARGUMENT'
  | 'HDF5_MODE'
  | 'HDF5_UNSUPPORTED';

/** Options of {@link Hdf5Error}: the code, the file, the object path and the cause. */
export interface Hdf5ErrorOptions extends Omit<AstroErrorOptions, 'code'> {
  /** What went wrong, see {@link Hdf5ErrorCode}. */
  code: Hdf5ErrorCode;
}

/**
 * Error thrown by `@astro/hdf5-io`. The message reads
 * `HDF5: <file>: <object path>: <what was found> (<what to do>)`; `location.file`
 * and `location.dataset` hold the file and the object path, and `cause` keeps the
 * underlying error (for HDF5 failures an `Error` whose message is HDF5's own
 * error stack).
 */
export class Hdf5Error extends AstroError {
  override name = 'Hdf5Error';
  declare readonly code: Hdf5ErrorCode;

  constructor(message: string, options: Hdf5ErrorOptions) {
    const where = [options.file, options.dataset].filter((x) => x !== undefined && x !== '').join(': ');
    super(`HDF5: ${where === '' ? '' : `${where}: `}${message}`, options);
  }
}
