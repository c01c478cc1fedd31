/**
 * Shared foundation of the `@astro` SDK: the error base class, the `Image` and
 * `TimeSeries` types, typed-array helpers and atomic file writes.
 *
 * @packageDocumentation
 */
export { AstroError, describeError } from './errors.js';
export type { AstroErrorOptions, ErrorLocation } from './errors.js';
export type {
  Image,
  ImageData,
  NumericArray,
  TimeSeries,
  Progress,
  ProgressCallback,
  Logger,
} from './types.js';
export { silentLogger } from './types.js';
export { IS_LITTLE_ENDIAN, bytesOf, viewAs, swapBytesInPlace } from './typed-arrays.js';
export type { TypedArrayConstructor } from './typed-arrays.js';
export {
  TEMP_MARKER,
  tempNameFor,
  isTempFileName,
  writeFileAtomic,
  fsyncDirectory,
} from './atomic-file.js';
export type { WriteFileAtomicOptions } from './atomic-file.js';
