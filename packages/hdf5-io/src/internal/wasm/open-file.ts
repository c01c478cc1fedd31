/** Open an existing HDF5 file through h5wasm: check the file, then H5Fopen with HDF5's own diagnosis on failure. */
import * as fs from 'node:fs';
import { Hdf5Error } from '../../errors.js';
import { clearCaptured, loadModule, takeCaptured } from '../module.js';
import { WasmEditor } from './editor.js';
import { hdf5Failure } from './failure.js';

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
 * Open the existing file `file` (absolute) read-only (`'r'`) or for writing in
 * place (`'r+'`, `'a'`). Throws Hdf5Error HDF5_OPEN naming the file when it is
 * missing, not writable for a write mode, not HDF5, or corrupt.
 */
export async function openWasmFile(file: string, mode: 'r' | 'r+' | 'a'): Promise<WasmEditor> {
  const M = await loadModule();
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
  return new WasmEditor(M, file, mode, fid);
}
