import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Hdf5Error } from './errors.js';
import { createWriter } from './create.js';
import type { CreateHdf5Options, Hdf5Editor, Hdf5Mode, Hdf5Reader, Hdf5Writer, OpenHdf5Options } from './file-handles.js';
import { openWasmFile } from './internal/wasm/open-file.js';

const MODES: readonly Hdf5Mode[] = ['r', 'r+', 'w', 'a'];

/**
 * Open an existing HDF5 file read-only (mode `'r'`, the default): an
 * {@link Hdf5Reader} on h5wasm (the HDF5 C library in WebAssembly).
 *
 * Always close the file (or use {@link withHdf5}). Throws {@link Hdf5Error}
 * (`HDF5_OPEN`) naming the file when it is missing, not HDF5, or corrupt.
 */
export function openHdf5(path: string, options?: OpenHdf5Options & { mode?: 'r' }): Promise<Hdf5Reader>;
/** Open an existing HDF5 file to change it in place (mode `'r+'`): an {@link Hdf5Editor} on h5wasm. */
export function openHdf5(path: string, options: OpenHdf5Options & { mode: 'r+' }): Promise<Hdf5Editor>;
/** Start a new file (mode `'w'`): the same as {@link createHdf5}`(path, options)`, as a promise. */
export function openHdf5(path: string, options: OpenHdf5Options & { mode: 'w' }): Promise<Hdf5Writer>;
/**
 * Mode `'a'`: an {@link Hdf5Editor} when the file exists, else a new file's
 * {@link Hdf5Writer} (as `'w'`). Only the methods both have can be called
 * without narrowing (`'abort' in file` tells a writer).
 */
export function openHdf5(path: string, options: OpenHdf5Options & { mode: 'a' }): Promise<Hdf5Editor | Hdf5Writer>;
/** Any mode, decided at run time. */
export function openHdf5(path: string, options?: OpenHdf5Options): Promise<Hdf5Reader | Hdf5Writer>;
export async function openHdf5(path: string, options: OpenHdf5Options = {}): Promise<Hdf5Reader | Hdf5Writer> {
  const mode = options.mode ?? 'r';
  const file = nodePath.resolve(path);
  if (!MODES.includes(mode)) {
    throw new Hdf5Error(`unknown mode ${JSON.stringify(mode)} (use 'r', 'r+', 'w' or 'a')`, { code: 'HDF5_ARGUMENT', file });
  }
  const writerOptions: CreateHdf5Options = { durability: options.durability };
  if (mode === 'w') return createWriter(file, 'w', writerOptions);
  if (mode === 'a' && !fs.existsSync(file)) return createWriter(file, 'a', writerOptions);
  const handle = await openWasmFile(file, mode);
  // One h5wasm handle class for every mode; the mode decides the type the caller sees.
  return handle as Hdf5Reader;
}

/** Open `path` read-only, run `fn` with the {@link Hdf5Reader} and always close it. */
export function withHdf5<T>(path: string, options: (OpenHdf5Options & { mode?: 'r' }) | undefined, fn: (file: Hdf5Reader) => Promise<T> | T): Promise<T>;
/** Open `path` with mode `'r+'`, run `fn` with the {@link Hdf5Editor} and always close it. */
export function withHdf5<T>(path: string, options: OpenHdf5Options & { mode: 'r+' }, fn: (file: Hdf5Editor) => Promise<T> | T): Promise<T>;
/** Start a new file (mode `'w'`), run `fn` with the {@link Hdf5Writer}, then commit it on success or abort it when `fn` throws. */
export function withHdf5<T>(path: string, options: OpenHdf5Options & { mode: 'w' }, fn: (file: Hdf5Writer) => Promise<T> | T): Promise<T>;
/** Mode `'a'` (see {@link openHdf5}): an editor or a new file's writer. */
export function withHdf5<T>(
  path: string,
  options: OpenHdf5Options & { mode: 'a' },
  fn: (file: Hdf5Editor | Hdf5Writer) => Promise<T> | T,
): Promise<T>;
/** Any mode, decided at run time. */
export function withHdf5<T>(path: string, options: OpenHdf5Options | undefined, fn: (file: Hdf5Reader | Hdf5Writer) => Promise<T> | T): Promise<T>;
/**
 * Open `path`, run `fn` with the file and always close it, also when `fn`
 * throws (the first error wins). A new file ({@link Hdf5Writer}) is
 * committed only when `fn` succeeds; when it throws, the writer is aborted
 * and an earlier file at `path` stays as it was. Returns what `fn` returns.
 */
export async function withHdf5<T>(
  path: string,
  options: OpenHdf5Options | undefined,
  fn: (file: never) => Promise<T> | T,
): Promise<T> {
  const file = await openHdf5(path, options);
  let result: T;
  try {
    result = await (fn as (file: Hdf5Reader | Hdf5Writer) => Promise<T> | T)(file);
  } catch (error) {
    try {
      if ('abort' in file) file.abort();
      else file.close();
    } catch {
      // The error from fn is the one to report; close errors after it are secondary.
    }
    throw error;
  }
  file.close();
  return result;
}
