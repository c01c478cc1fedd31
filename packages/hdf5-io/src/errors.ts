import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/**
 * Error codes of {@link Hdf5Error}, described once:
 * - `HDF5_OPEN`: the file is missing, unreadable, not HDF5, truncated or corrupt at open.
 * - `HDF5_NOT_FOUND`: no object at the given path.
 * - `HDF5_READ`: HDF5 failed while reading data or metadata (corrupt chunk, truncated file).
 * - `HDF5_WRITE`: HDF5 failed while writing, or the file could not be saved.
 * - `HDF5_TYPE`: the dataset's type does not fit the call (e.g. `readVlen` on a float column).
 * - `HDF5_ARGUMENT`: an invalid argument (bad row range, shape mismatch, unknown option).
 * - `HDF5_MODE`: a write call on a file opened read-only, or any call after `close()`.
 * - `HDF5_UNSUPPORTED`: a valid request this package cannot do (said which and why).
 */
export const Hdf5ErrorCode = {
  OPEN: 'HDF5_OPEN',
  NOT_FOUND: 'HDF5_NOT_FOUND',
  READ: 'HDF5_READ',
  WRITE: 'HDF5_WRITE',
  TYPE: 'HDF5_TYPE',
  ARGUMENT: 'HDF5_ARGUMENT',
  MODE: 'HDF5_MODE',
  UNSUPPORTED: 'HDF5_UNSUPPORTED',
} as const;

/** One of the {@link Hdf5ErrorCode} values (`'HDF5_OPEN'`, `'HDF5_READ'`, ...). */
export type Hdf5ErrorCode = (typeof Hdf5ErrorCode)[keyof typeof Hdf5ErrorCode];

/** Options of {@link Hdf5Error}: the code, the file, the object path and the cause. */
export interface Hdf5ErrorOptions extends Omit<AstroErrorOptions, 'code' | 'format' | 'head' | 'place'> {
  /** What went wrong, see {@link Hdf5ErrorCode}. */
  code: Hdf5ErrorCode;
}

/**
 * Error thrown by `@astro/hdf5-io`. The message is rendered by core's
 * `formatErrorMessage` (format `'HDF5'`) in this package's words:
 * `HDF5: <file>: <object path>: <what was found> (<what to do>)`;
 * `location.file` and `location.dataset` hold the file and the object path,
 * and `cause` keeps the underlying error (for HDF5 failures an `Error` whose
 * message is HDF5's own error stack).
 */
export class Hdf5Error extends AstroError {
  override name = 'Hdf5Error';
  declare readonly code: Hdf5ErrorCode;

  constructor(message: string, options: Hdf5ErrorOptions) {
    const file = options.file === '' ? undefined : options.file;
    const dataset = options.dataset === '' ? undefined : options.dataset;
    super(message, {
      ...options,
      file,
      dataset,
      format: 'HDF5',
      head: file === undefined ? 'HDF5' : `HDF5: ${file}`,
      place: dataset ?? '',
    });
  }
}
