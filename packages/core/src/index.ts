/**
 * Shared foundation of the `@astro` SDK: errors and warnings, the `Image` and
 * `TimeSeries` types, the dtype table, byte order and byte building, atomic
 * file writes and seeded random numbers.
 *
 * @packageDocumentation
 */

// Errors and warnings
export { AstroError, describeError, describeLocation, formatErrorMessage, pickLocation } from './errors.js';
export type { AstroErrorOptions, AstroWarning, ErrorLocation } from './errors.js';

// Data types
export type { Image, ImageData, ImageLike, TimeSeries, Progress, ProgressCallback, Logger } from './types.js';
export { silentLogger } from './types.js';
export { DTYPE_ARRAY, DTYPE_SIZE, DTYPES, dtypeOf, isIntegerDtype } from './dtype.js';
export type { ArrayOfDtype, Dtype, DtypeArray, DtypeArrayConstructor, DtypeArrayMap, NumericArray } from './dtype.js';

// Typed arrays and bytes
export { bytesOf, viewAs } from './typed-arrays.js';
export type { TypedArrayConstructor } from './typed-arrays.js';
export { IS_LITTLE_ENDIAN, bytesInOrder, swapBytesInPlace, toNativeOrderInPlace } from './bytes/swap.js';
export type { WordSize } from './bytes/swap.js';
export { ByteBuilder } from './bytes/byte-builder.js';

// Atomic files
export {
  AtomicGroup,
  TEMP_MARKER,
  commitFileAtomic,
  fsyncDirectory,
  fsyncDirectorySync,
  isTempFileName,
  openAtomicFile,
  openAtomicFileSync,
  tempNameFor,
  writeFileAtomic,
  writeFileAtomicSync,
} from './atomic-file.js';
export type {
  AtomicFile,
  AtomicFileOptions,
  AtomicFileSync,
  Durability,
  GroupDurability,
  WriteFileAtomicOptions,
} from './atomic-file.js';

// Timers
export { sleep } from './sleep.js';

// Seeded random numbers
export { gaussianDeviate, poissonDeviate, seededRandom } from './seeded-random.js';
export type { RandomSource } from './seeded-random.js';

// CSV tables
export { CsvError, CsvErrorCode, parseCsv, readCsv } from './csv.js';
export type { CsvOptions, CsvTable } from './csv.js';
