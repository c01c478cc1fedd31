import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Hdf5Error } from './errors.js';
import { loadModule, clearCaptured, takeCaptured } from './internal/module.js';
import { WasmHdf5File, hdf5Failure } from './internal/wasm-file.js';
import { createNewFile } from './internal/new-file.js';
import type { Hdf5File, Hdf5Mode, OpenHdf5Options } from './types.js';

const MODES: readonly Hdf5Mode[] = ['r', 'r+', 'w', 'a'];
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Check that `file` exists, is a regular readable file and carries the HDF5
 * signature (at byte 0, 512, 1024, 2048, ... as the format allows a user block).
 */
function checkHdf5File(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : `cannot access file (${code ?? String(error)})`;
    throw new Hdf5Error(what, { code: 'HDF5_OPEN', file, cause: error });
  }
  if (!stat.isFile()) throw new Hdf5Error('is not a regular file', { code: 'HDF5_OPEN', file });
  if (stat.size < SIGNATURE.length) {
    throw new Hdf5Error(`is not an HDF5 file (${stat.size} bytes, too short for the signature)`, { code: 'HDF5_OPEN', file });
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(SIGNATURE.length);
    for (let at = 0; at + SIGNATURE.length <= stat.size; at = at === 0 ? 512 : at * 2) {
      fs.readSync(fd, buf, 0, SIGNATURE.length, at);
      if (SIGNATURE.every((b, i) => buf[i] === b)) return;
    }
  } catch (error) {
    throw new Hdf5Error(`cannot read file (${(error as Error).message})`, { code: 'HDF5_OPEN', file, cause: error });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  throw new Hdf5Error('is not an HDF5 file (no HDF5 signature at byte 0, 512, 1024, ...)', { code: 'HDF5_OPEN', file });
}

/**
 * Open an HDF5 file. Modes: `'r'` read-only (default); `'r+'` read/write an
 * existing file; `'w'` create (truncating any existing file); `'a'` read/write,
 * creating the file if missing.
 *
 * Existing files are read and modified through h5wasm (the HDF5 C library).
 * New files (`'w'`, or `'a'` on a missing file) are assembled in memory by this
 * package's own HDF5 writer, which supports what h5wasm cannot create
 * (variable-length numeric datasets, shuffle + gzip), and are written to disk
 * atomically (temporary file + rename) by `flush()` / `close()`.
 *
 * Always close the file (or use {@link withHdf5}). Throws {@link Hdf5Error}
 * (`HDF5_OPEN`) naming the file when it is missing, not HDF5, or corrupt.
 */
export async function openHdf5(path: string, options: OpenHdf5Options = {}): Promise<Hdf5File> {
  const mode = options.mode ?? 'r';
  const file = nodePath.resolve(path);
  if (!MODES.includes(mode)) {
    throw new Hdf5Error(`unknown mode ${JSON.stringify(mode)} (use 'r', 'r+', 'w' or 'a')`, { code: 'HDF5_ARGUMENT', file });
  }
  const M = await loadModule();
  if (mode === 'w' || (mode === 'a' && !fs.existsSync(file))) {
    const dir = nodePath.dirname(file);
    if (!fs.existsSync(dir)) throw new Hdf5Error(`directory ${dir} does not exist`, { code: 'HDF5_OPEN', file });
    return createNewFile(file, mode);
  }
  checkHdf5File(file);
  if (mode !== 'r') {
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch (error) {
      throw new Hdf5Error(`file is not writable (mode '${mode}')`, { code: 'HDF5_OPEN', file, cause: error });
    }
  }
  clearCaptured();
  let fid: bigint;
  try {
    fid = M.open(file, mode === 'r' ? M.H5F_ACC_RDONLY : M.H5F_ACC_RDWR, false, -1, -1);
  } catch (error) {
    throw hdf5Failure('HDF5_OPEN', 'cannot open', file, undefined, error, takeCaptured());
  }
  const stack = takeCaptured();
  if (fid < 0n || stack !== '') {
    if (fid >= 0n) M.close_file(fid);
    takeCaptured();
    throw hdf5Failure('HDF5_OPEN', 'cannot open (truncated or corrupt?)', file, undefined, undefined, stack || `H5Fopen returned ${fid}`);
  }
  return new WasmHdf5File(M, file, mode, fid);
}

/**
 * Open `path`, run `fn` with the file and always close it, also when `fn`
 * throws (the first error wins). Returns what `fn` returns.
 */
export async function withHdf5<T>(
  path: string,
  options: OpenHdf5Options | undefined,
  fn: (file: Hdf5File) => Promise<T> | T,
): Promise<T> {
  const file = await openHdf5(path, options);
  let result: T;
  try {
    result = await fn(file);
  } catch (error) {
    try {
      file.close();
    } catch {
      // The error from fn is the one to report; close errors after it are secondary.
    }
    throw error;
  }
  file.close();
  return result;
}
