/**
 * Image numerics: robust statistics, filters and ndarray views, on core's
 * `Image` (row-major, x fastest). See docs/image.md for the conventions.
 *
 * @packageDocumentation
 */

// Errors
export { ImageError, ImageErrorCode } from './errors.js';

// Robust statistics
export { MAD_TO_STD, median, medianAbsoluteDeviation, sigmaClip } from './robust-stats.js';
export type { MadOptions, SigmaClipOptions, SigmaClipResult } from './robust-stats.js';

// Filters
export { convolve, convolveRow, matchedFilter, matchedFilterRow } from './convolve.js';
export type { Kernel, MatchedFilterOptions } from './convolve.js';
export { medianFilter } from './median-filter.js';

// ndarray views
export { fromNdarray, toNdarray } from './ndarray.js';
