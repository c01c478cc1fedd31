import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Hdf5Error } from './errors.js';
import type { CreateHdf5Options, Hdf5Writer } from './file-handles.js';
import { SerializingWriter } from './internal/writer/serializing-writer.js';

/**
 * Start a new HDF5 file at `path` with this package's own writer, which
 * writes what h5wasm cannot (vlen numeric datasets, shuffle + gzip, lzf).
 * The content is built in memory and committed atomically by `close()` (or
 * a complete snapshot by `flush()`): written to a temporary name beside
 * `path`, made durable per `options.durability` (default `'fsync'`), then
 * renamed over `path`. Until then an existing file at `path` is untouched;
 * `abort()` leaves it so.
 *
 * Throws {@link Hdf5Error} `HDF5_OPEN` when the directory is missing or not
 * writable, or `path` is a directory.
 */
export function createHdf5(path: string, options: CreateHdf5Options = {}): Hdf5Writer {
  return createWriter(nodePath.resolve(path), 'w', options);
}

/** The writer for `file` (absolute), after checking that it can be committed there. */
export function createWriter(file: string, mode: 'w' | 'a', options: CreateHdf5Options): Hdf5Writer {
  const durability = options.durability ?? 'fsync';
  if (durability !== 'fsync' && durability !== 'none') {
    throw new Hdf5Error(`unknown durability ${JSON.stringify(durability)} (use 'fsync' or 'none')`, { code: 'HDF5_ARGUMENT', file });
  }
  const dir = nodePath.dirname(file);
  if (!fs.existsSync(dir)) throw new Hdf5Error(`directory ${dir} does not exist`, { code: 'HDF5_OPEN', file });
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new Hdf5Error(`directory ${dir} is not writable`, { code: 'HDF5_OPEN', file, cause: error });
  }
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new Hdf5Error('is a directory', { code: 'HDF5_OPEN', file });
  }
  return new SerializingWriter(file, mode, durability);
}
