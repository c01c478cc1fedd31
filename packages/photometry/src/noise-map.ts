/** Per-pixel noise of an image (cutout) from the background rms and the Poisson term of the sources. */
import type { ImageData } from '@astro/core';
import { PhotometryError } from './errors.js';

/** Options of {@link noiseMap}. */
export interface NoiseMapOptions {
  /** Background noise (1-sigma, data units): one value or a per-pixel map (e.g. `estimateBackground(...).rms()`). */
  backgroundRms: number | ImageData;
  /**
   * Background level (data units) to remove before the Poisson term (the
   * sky's own noise is already in `backgroundRms`): one value or a map.
   * Default 0, i.e. the data are already background-subtracted.
   */
  background?: number | ImageData;
  /** Detector gain in electrons per data unit (0 or absent: no Poisson term, noise = rms). */
  gain?: number;
  /**
   * Exposure time in seconds when the data are rates (data units per
   * second): the effective gain is `gain * exposureTime`, as Source
   * Extractor does. Default 1 (data are counts).
   */
  exposureTime?: number;
  /** Return variances instead of standard deviations (default false). */
  variance?: boolean;
}

/**
 * Noise map sigma = sqrt(rms^2 + max(data - background, 0) / (gain *
 * exposureTime)) in data units, a new Float64Array. A non-finite data or rms
 * pixel gives Infinity (zero weight). Throws {@link PhotometryError} for a
 * negative gain, exposure time or rms value, or mismatched sizes.
 */
export function noiseMap(image: { data: ImageData; width: number; height: number }, options: NoiseMapOptions): Float64Array {
  const { data, width, height } = image;
  const n = width * height;
  if (data.length !== n) {
    throw new PhotometryError(`noiseMap: image data has ${data.length} values but width x height = ${n}`, { code: 'PHOT_SIZE_MISMATCH' });
  }
  const gain = options.gain ?? 0;
  const exptime = options.exposureTime ?? 1;
  if (!(gain >= 0) || !Number.isFinite(gain)) throw new PhotometryError(`noiseMap: gain = ${gain} (need a finite value >= 0)`);
  if (!(exptime > 0) || !Number.isFinite(exptime)) {
    throw new PhotometryError(`noiseMap: exposureTime = ${exptime} (need a finite value > 0)`);
  }
  const { backgroundRms: rms, background: back = 0 } = options;
  for (const [name, v] of [
    ['backgroundRms', rms],
    ['background', back],
  ] as const) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (name === 'backgroundRms' && v < 0)) {
        throw new PhotometryError(`noiseMap: ${name} = ${v} (need a finite value${name === 'backgroundRms' ? ' >= 0' : ''})`);
      }
    } else if (v.length !== n) {
      throw new PhotometryError(`noiseMap: ${name} map has ${v.length} values, image has ${n}`, { code: 'PHOT_SIZE_MISMATCH' });
    }
  }
  const effGain = gain * exptime;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = typeof rms === 'number' ? rms : rms[i];
    const b = typeof back === 'number' ? back : back[i];
    const s = data[i] - b;
    if (!Number.isFinite(s) || !Number.isFinite(r) || r < 0) {
      out[i] = Infinity;
      continue;
    }
    let v = r * r;
    if (effGain > 0 && s > 0) v += s / effGain;
    out[i] = options.variance ? v : Math.sqrt(v);
  }
  return out;
}
