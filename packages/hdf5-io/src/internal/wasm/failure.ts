/** HDF5 failures inside h5wasm (a thrown value and/or the captured HDF5 error stack) as Hdf5Errors. */
import { Hdf5Error } from '../../errors.js';
import type { Hdf5ErrorCode } from '../../errors.js';
import { summarizeHdf5Stack } from '../module.js';

/** Turn a WASM-side failure (thrown value and/or captured HDF5 stack) into an Hdf5Error. */
export function hdf5Failure(
  code: Hdf5ErrorCode,
  what: string,
  file: string,
  dataset: string | undefined,
  thrown: unknown,
  stack: string,
): Hdf5Error {
  const summary = stack !== '' ? summarizeHdf5Stack(stack) : thrown instanceof Error ? thrown.message : String(thrown);
  let cause: unknown = thrown;
  if (stack !== '') cause = new Error(stack, thrown === undefined ? undefined : { cause: thrown });
  else if (!(thrown instanceof Error)) cause = new Error(String(thrown));
  return new Hdf5Error(`${what}: ${summary}`, { code, file, dataset, cause });
}
