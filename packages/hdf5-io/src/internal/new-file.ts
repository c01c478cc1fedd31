import { Hdf5Error } from '../errors.js';
import type { Hdf5File, Hdf5Mode } from '../types.js';

/** Create a new file (TypeScript writer). */
export function createNewFile(file: string, mode: Hdf5Mode): Hdf5File {
  throw new Hdf5Error(`creating new files (mode '${mode}') is not implemented yet`, { code: 'HDF5_UNSUPPORTED', file });
}
