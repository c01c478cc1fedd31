import { PhotometryError } from '../errors.js';
import { finishStamp, stampGeometry } from '../internal/psf/stamp.js';
import type { PsfModel, PsfStamp, PsfStampOptions } from './types.js';

/** Options of {@link createMoffatPsf}. */
export interface MoffatPsfOptions {
  /** Full width at half maximum in image pixels (> 0). */
  fwhm: number;
  /** Moffat beta (> 1; 2.5 to 4.765 typical). */
  beta: number;
  /** Gauss-Legendre points per axis per stamp pixel for the pixel integral (default 8). */
  quadrature?: number;
}

// Gauss-Legendre nodes/weights on [-1, 1] by Newton iteration on P_n.
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? z : p1;
      const pnm1 = n === 1 ? 1 : p0;
      dp = (n * (z * pn - pnm1)) / (z * z - 1);
      const dz = pn / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

class MoffatPsf implements PsfModel {
  readonly kind = 'moffat' as const;
  readonly fwhm: number;
  readonly beta: number;
  readonly alpha: number;
  readonly #nodes: { x: Float64Array; w: Float64Array };

  constructor(fwhm: number, beta: number, quadrature: number) {
    this.fwhm = fwhm;
    this.beta = beta;
    this.alpha = fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
    this.#nodes = gaussLegendre(quadrature);
  }

  /** Surface brightness of the unit-flux profile at radius^2 r2 (image pixels). */
  profile(r2: number): number {
    const a2 = this.alpha * this.alpha;
    return ((this.beta - 1) / (Math.PI * a2)) * (1 + r2 / a2) ** -this.beta;
  }

  evaluate(options: PsfStampOptions = {}): PsfStamp {
    const g = stampGeometry(options, 8 * this.fwhm + 1, 'Moffat');
    const o = g.oversampling;
    const { x: nx, w: nw } = this.#nodes;
    const q = nx.length;
    const half = 0.5 / o; // half pixel in image pixels
    const data = new Float64Array(g.width * g.height);
    for (let j = 0; j < g.height; j++) {
      const yc = (j - g.centerY) / o;
      for (let i = 0; i < g.width; i++) {
        const xc = (i - g.centerX) / o;
        let s = 0;
        for (let b = 0; b < q; b++) {
          const yy = yc + half * nx[b];
          for (let a = 0; a < q; a++) {
            const xx = xc + half * nx[a];
            s += nw[a] * nw[b] * this.profile(xx * xx + yy * yy);
          }
        }
        data[j * g.width + i] = s * half * half;
      }
    }
    return finishStamp(data, g, options.normalize);
  }
}

/**
 * A circular Moffat PSF, I(r) = (beta - 1) / (pi alpha^2) (1 + r^2/alpha^2)^-beta
 * with alpha = fwhm / (2 sqrt(2^(1/beta) - 1)); stamps are pixel integrals
 * by Gauss-Legendre quadrature (relative error < 1e-6 for fwhm >= 1 px).
 */
export function createMoffatPsf(options: MoffatPsfOptions): PsfModel {
  const { fwhm, beta } = options;
  const q = options.quadrature ?? 8;
  if (!(fwhm > 0) || !Number.isFinite(fwhm)) {
    throw new PhotometryError(`Moffat PSF: fwhm = ${fwhm} (need a finite value > 0, in image pixels)`);
  }
  if (!(beta > 1) || !Number.isFinite(beta)) {
    throw new PhotometryError(`Moffat PSF: beta = ${beta} (need a finite value > 1)`);
  }
  if (!Number.isInteger(q) || q < 1 || q > 64) {
    throw new PhotometryError(`Moffat PSF: quadrature = ${q} (need an integer in [1, 64])`);
  }
  return new MoffatPsf(fwhm, beta, q);
}
