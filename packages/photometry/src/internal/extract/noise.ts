/** The noise of extractSources: none, a scalar or a per-pixel map, and the thresholds it gives. */
import type { ImageData } from '@astro/core';
import { PhotometryErrorCode } from '../../errors.js';
import { fail } from '../fail.js';

const f32 = Math.fround;

/** Noise and threshold of an extraction, in float32 as SEP holds them. */
export interface NoiseModel {
  /** A noise option was given (scalar or map): pixels carry variance and threshold. */
  hasNoise: boolean;
  /** Per-pixel noise (a float32 copy the data phase may edit), or null. */
  map: Float32Array | null;
  /** `map` holds standard deviations (`err`), else variances (`var`). */
  isStd: boolean;
  /** Scalar noise sigma and variance (0 without scalar noise). */
  pixsig: number;
  pixvar: number;
  /** The threshold as given (relative to sigma with a noise map). */
  relthresh: number;
  /** The absolute threshold without a map (`thresh * sigma` with scalar noise). */
  absThresh: number;
  /** Threshold the matched-filter signal-to-noise instead of the convolved data. */
  matched: boolean;
}

/** The options this phase reads (those of extractSources). */
export interface NoiseOptions {
  err?: number | ImageData;
  var?: number | ImageData;
  filterType?: 'matched' | 'conv';
}

/**
 * Check the noise option and derive the thresholds; copies a noise map to
 * float32 (the caller's array is never modified).
 *
 * @throws PhotometryError for a non-positive scalar, a map of the wrong
 *   type or size, or an unknown filter type.
 */
export function resolveNoise(options: NoiseOptions, thresh: number, filtered: boolean, npix: number): NoiseModel {
  const given = options.err ?? options.var;
  const isStd = options.err !== undefined;
  const name = isStd ? 'err' : 'var';
  let map: Float32Array | null = null;
  let pixsig = 0;
  let pixvar = 0;
  if (typeof given === 'number') {
    if (!Number.isFinite(given) || given <= 0) fail('extractSources', `${name} = ${String(given)} must be a positive finite number`);
    if (isStd) {
      pixsig = f32(given);
      pixvar = f32(pixsig * pixsig);
    } else {
      pixvar = f32(given);
      pixsig = f32(Math.sqrt(pixvar));
    }
  } else if (given !== undefined) {
    if (!(given instanceof Float32Array) && !(given instanceof Float64Array)) {
      fail('extractSources', `${name} must be a number, Float32Array or Float64Array`);
    }
    if (given.length < npix) {
      fail('extractSources', `${name} has ${given.length} values, the image ${npix}`, PhotometryErrorCode.sizeMismatch);
    }
    map = new Float32Array(npix);
    map.set(given.length === npix ? given : given.subarray(0, npix));
  }
  const hasNoise = given !== undefined;
  const relthresh = f32(thresh);
  let absThresh = f32(thresh);
  if (hasNoise && map === null) absThresh = f32(absThresh * pixsig);
  const matched = filtered && map !== null && (options.filterType ?? 'matched') === 'matched';
  if (options.filterType !== undefined && options.filterType !== 'matched' && options.filterType !== 'conv') {
    fail('extractSources', `filterType '${String(options.filterType)}' is not 'matched' or 'conv'`);
  }
  return { hasNoise, map, isStd, pixsig, pixvar, relthresh, absThresh, matched };
}
