import { PhotometryError } from '../errors.js';
import { finishStamp, stampGeometry } from '../internal/psf/stamp.js';
import type { PsfModel, PsfStamp, PsfStampOptions } from './types.js';

/** FWHM / sigma of a Gaussian: 2 sqrt(2 ln 2). */
export const GAUSSIAN_FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/** Options of {@link createGaussianPsf}. */
export interface GaussianPsfOptions {
  /** Full width at half maximum in image pixels (> 0). */
  fwhm: number;
}

// erf with |error| < 1.2e-7 would not do for 1e-9 tests: use a series / continued fraction.
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series, converges quickly for |x| < 2.5
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const v = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -v : v;
  }
  // erfc continued fraction (Lentz) for |x| >= 2.5
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? tiny : 1 / d;
    c = ax + an / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  const v = 1 - erfc;
  return x < 0 ? -v : v;
}

/** Fraction of a unit 1-D Gaussian (sigma) between a and b. */
function gaussianInterval(a: number, b: number, sigma: number): number {
  const s = Math.SQRT2 * sigma;
  return 0.5 * (erf(b / s) - erf(a / s));
}

class GaussianPsf implements PsfModel {
  readonly kind = 'gaussian' as const;
  readonly fwhm: number;
  readonly sigma: number;

  constructor(fwhm: number) {
    this.fwhm = fwhm;
    this.sigma = fwhm / GAUSSIAN_FWHM_PER_SIGMA;
  }

  evaluate(options: PsfStampOptions = {}): PsfStamp {
    const g = stampGeometry(options, 8 * this.fwhm + 1, 'Gaussian');
    const o = g.oversampling;
    const wx = new Float64Array(g.width);
    const wy = new Float64Array(g.height);
    // Pixel i covers stamp coordinates [i - 0.5, i + 0.5]; in image pixels relative to the source:
    for (let i = 0; i < g.width; i++) wx[i] = gaussianInterval((i - 0.5 - g.centerX) / o, (i + 0.5 - g.centerX) / o, this.sigma);
    for (let j = 0; j < g.height; j++) wy[j] = gaussianInterval((j - 0.5 - g.centerY) / o, (j + 0.5 - g.centerY) / o, this.sigma);
    const data = new Float64Array(g.width * g.height);
    for (let j = 0; j < g.height; j++) for (let i = 0; i < g.width; i++) data[j * g.width + i] = wx[i] * wy[j];
    return finishStamp(data, g, options.normalize);
  }
}

/**
 * A circular Gaussian PSF of the given FWHM (image pixels). Stamps are
 * exact pixel integrals (error functions), so `normalize: false` gives the
 * flux fraction in each pixel.
 */
export function createGaussianPsf(options: GaussianPsfOptions): PsfModel {
  const { fwhm } = options;
  if (!(fwhm > 0) || !Number.isFinite(fwhm)) {
    throw new PhotometryError(`Gaussian PSF: fwhm = ${fwhm} (need a finite value > 0, in image pixels)`);
  }
  return new GaussianPsf(fwhm);
}
