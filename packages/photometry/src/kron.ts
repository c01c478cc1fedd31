/**
 * Kron radius, FLUX_AUTO, flux radius and windowed positions, with SEP's
 * algorithms (kron_radius, flux_radius, winpos) and flags.
 */
import { PhotometryError } from './errors.js';
import { sumEllipse } from './aperture.js';
import { checkSubpix, pixelSource } from './internal/pixel-source.js';
import type { ApertureImage, ApertureOptions, PerSource } from './aperture.js';
import {
  APER_ALLMASKED,
  APER_HASMASKED,
  APER_ILLEGAL,
  APER_NONPOSITIVE,
  APER_TRUNC,
  boxExtent,
  ellipseBoxHalfSize,
  ellipseCoefficients,
} from './internal/aperture-core.js';
import type { Box } from './internal/aperture-core.js';
import { broadcastLength, scalarAt } from './internal/broadcast.js';
import { circOverlap } from './internal/overlap.js';

/** Mask options shared by the shape measurements. */
export interface MaskOptions {
  /** Mask, same layout as the data; a pixel is masked when its value is > `maskThresh`. */
  mask?: Uint8Array;
  /** Mask threshold (default 0). */
  maskThresh?: number;
}

/** Result of {@link kronRadius}. */
export interface KronRadiusResult {
  /** Kron radius in units of a and b (0 when flagged NONPOSITIVE or ALLMASKED). */
  kronRadius: Float64Array;
  /** ApertureFlag bits: TRUNC, HASMASKED, ALLMASKED, NONPOSITIVE, ILLEGAL. */
  flags: Uint16Array;
}

const box: Box = { xmin: 0, xmax: 0, ymin: 0, ymax: 0, truncated: false };

function validEllipse(a: number, b: number, theta: number): boolean {
  return b > 0 && a >= b && Number.isFinite(a) && theta >= -Math.PI / 2 && theta <= Math.PI / 2;
}

/**
 * Kron radius sum(r_i I_i) / sum(I_i) over the pixels whose centres are in
 * the ellipse (a, b, theta) scaled by `r` (SEP's `kron_radius`; SExtractor
 * uses r = 6). r_i is the elliptical radius in units of a, b. Masked,
 * NaN/Inf and < -1e30 pixels are skipped (HASMASKED). Never throws for a
 * single source.
 */
export function kronRadius(
  image: ApertureImage,
  x: PerSource,
  y: PerSource,
  a: PerSource,
  b: PerSource,
  theta: PerSource,
  r: PerSource,
  options: MaskOptions = {},
): KronRadiusResult {
  const fn = 'kronRadius';
  const n = broadcastLength(fn, { x, y, a, b, theta, r });
  const src = pixelSource(image, options, fn);
  const { data, width, height, mask, maskThresh } = src;
  const kr = new Float64Array(n);
  const flags = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const xi = scalarAt(x, i);
    const yi = scalarAt(y, i);
    const ai = scalarAt(a, i);
    const bi = scalarAt(b, i);
    const ti = scalarAt(theta, i);
    const ri = scalarAt(r, i);
    if (!validEllipse(ai, bi, ti) || !(ri >= 0) || !Number.isFinite(xi) || !Number.isFinite(yi) || !Number.isFinite(ri)) {
      kr[i] = NaN;
      flags[i] = APER_ILLEGAL;
      continue;
    }
    const { cxx, cyy, cxy } = ellipseCoefficients(ai, bi, ti);
    const [rx, ry] = ellipseBoxHalfSize(cxx, cyy, cxy, ri);
    boxExtent(xi, yi, rx, ry, width, height, box);
    let flag = box.truncated ? APER_TRUNC : 0;
    const r2 = ri * ri;
    let r1 = 0;
    let v1 = 0;
    let area = 0;
    for (let iy = box.ymin; iy < box.ymax; iy++) {
      const dy = iy - yi;
      for (let ix = box.xmin; ix < box.xmax; ix++) {
        const dx = ix - xi;
        const rpix2 = cxx * dx * dx + cyy * dy * dy + cxy * dx * dy;
        if (!(rpix2 <= r2)) continue;
        const k = iy * width + ix;
        const pix = Math.fround(data[k]);
        if (!Number.isFinite(pix) || pix < -1e30 || (mask !== undefined && mask[k] > maskThresh)) {
          flag |= APER_HASMASKED;
        } else {
          r1 += Math.sqrt(rpix2) * pix;
          v1 += pix;
          area++;
        }
      }
    }
    if (area === 0) {
      flag |= APER_ALLMASKED;
      kr[i] = 0;
    } else if (r1 <= 0 || v1 <= 0) {
      flag |= APER_NONPOSITIVE;
      kr[i] = 0;
    } else {
      kr[i] = r1 / v1;
    }
    flags[i] = flag;
  }
  return { kronRadius: kr, flags };
}

/** Options of {@link fluxAuto}. */
export interface FluxAutoOptions extends ApertureOptions {
  /** Kron factor k (SExtractor PHOT_AUTOPARAMS first value, default 2.5). */
  kronFactor?: number;
  /** Minimum scale of the ellipse in units of a, b (PHOT_AUTOPARAMS second value, default 3.5). */
  minRadius?: number;
  /** Scale of the ellipse in which the Kron radius is measured (default 6, SExtractor's). */
  kronAperture?: number;
}

/** Result of {@link fluxAuto}. */
export interface FluxAutoResult {
  /** FLUX_AUTO: sum in the ellipse of scale `max(kronFactor * kronRadius, minRadius)`. */
  flux: Float64Array;
  /** Its 1-sigma error. */
  fluxErr: Float64Array;
  /** Kron radius (units of a, b). */
  kronRadius: Float64Array;
  /** Scale of the ellipse used for the sum (units of a, b). */
  radius: Float64Array;
  /** ApertureFlag bits of the Kron radius and of the sum, ORed. */
  flags: Uint16Array;
}

/**
 * Source Extractor's FLUX_AUTO: Kron radius within `kronAperture` (6) times
 * the ellipse, then the sum in the ellipse scaled by `max(kronFactor *
 * kronRadius, minRadius)` (2.5, 3.5). The sum uses `subpix` (default 5).
 * A Kron radius flagged NONPOSITIVE / ALLMASKED falls back to `minRadius`.
 */
export function fluxAuto(
  image: ApertureImage,
  x: PerSource,
  y: PerSource,
  a: PerSource,
  b: PerSource,
  theta: PerSource,
  options: FluxAutoOptions = {},
): FluxAutoResult {
  const k = options.kronFactor ?? 2.5;
  const rmin = options.minRadius ?? 3.5;
  const rk = options.kronAperture ?? 6;
  for (const [name, v] of [
    ['kronFactor', k],
    ['minRadius', rmin],
    ['kronAperture', rk],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new PhotometryError(`fluxAuto: ${name} = ${v} (need a finite value >= 0)`);
  }
  const kr = kronRadius(image, x, y, a, b, theta, rk, { mask: options.mask ?? image.mask, maskThresh: options.maskThresh });
  const n = kr.kronRadius.length;
  const radius = new Float64Array(n);
  for (let i = 0; i < n; i++) radius[i] = Number.isNaN(kr.kronRadius[i]) ? NaN : Math.max(k * kr.kronRadius[i], rmin);
  const sums = sumEllipse(image, x, y, a, b, theta, { ...options, r: radius });
  const flags = new Uint16Array(n);
  for (let i = 0; i < n; i++) flags[i] = kr.flags[i] | sums.flags[i];
  return { flux: sums.sum, fluxErr: sums.sumErr, kronRadius: kr.kronRadius, radius, flags };
}

/** Options of {@link fluxRadius}. */
export interface FluxRadiusOptions extends MaskOptions {
  /** Total flux per source to normalise by (default: the flux within rmax). */
  normFlux?: PerSource;
  /** Subpixel sampling near annulus boundaries (default 5, >= 1). */
  subpix?: number;
}

/** Result of {@link fluxRadius}. */
export interface FluxRadiusResult {
  /** Radii, `radius[i * nfrac + j]` for source i and fraction j (pixels). */
  radius: Float64Array;
  /** Number of fractions per source. */
  nfrac: number;
  /** ApertureFlag bits (TRUNC, HASMASKED, ILLEGAL). */
  flags: Uint16Array;
}

const FLUX_RADIUS_BINS = 64;

/**
 * Radius of the circle holding each fraction of the flux (SEP's
 * `flux_radius`: 64 annular bins out to `rmax`, linear interpolation of the
 * cumulative profile). Masked pixels are filled with the mean of their bin.
 */
export function fluxRadius(
  image: ApertureImage,
  x: PerSource,
  y: PerSource,
  rmax: PerSource,
  fractions: readonly number[],
  options: FluxRadiusOptions = {},
): FluxRadiusResult {
  const fn = 'fluxRadius';
  const n = broadcastLength(fn, { x, y, rmax, ...(options.normFlux !== undefined ? { normFlux: options.normFlux } : {}) });
  const subpix = checkSubpix(options.subpix ?? 5, fn, 1);
  const src = pixelSource(image, options, fn);
  const { data, width, height, mask, maskThresh } = src;
  const nf = fractions.length;
  const out = new Float64Array(n * nf);
  const flags = new Uint16Array(n);
  const sum = new Float64Array(FLUX_RADIUS_BINS);
  const area = new Float64Array(FLUX_RADIUS_BINS);
  const maskArea = new Float64Array(FLUX_RADIUS_BINS);
  const scale = 1 / subpix;
  const scale2 = scale * scale;
  const offset = 0.5 * (scale - 1);
  for (let i = 0; i < n; i++) {
    const xi = scalarAt(x, i);
    const yi = scalarAt(y, i);
    const rm = scalarAt(rmax, i);
    if (!Number.isFinite(xi) || !Number.isFinite(yi) || !(rm >= 0) || !Number.isFinite(rm)) {
      out.fill(NaN, i * nf, (i + 1) * nf);
      flags[i] = APER_ILLEGAL;
      continue;
    }
    sum.fill(0);
    area.fill(0);
    maskArea.fill(0);
    let flag = 0;
    let anyMasked = mask !== undefined;
    const step = rm / FLUX_RADIUS_BINS;
    const stepdens = 1 / step;
    const prevMargin = 0.7072;
    const nextMargin = step - 0.7072;
    const rOut = rm + 1.5;
    const rOut2 = rOut * rOut;
    boxExtent(xi, yi, rOut, rOut, width, height, box);
    if (box.truncated) flag |= APER_TRUNC;
    for (let iy = box.ymin; iy < box.ymax; iy++) {
      const dy0 = iy - yi;
      for (let ix = box.xmin; ix < box.xmax; ix++) {
        const dx0 = ix - xi;
        const rpix2 = dx0 * dx0 + dy0 * dy0;
        if (!(rpix2 < rOut2)) continue;
        const k = iy * width + ix;
        const pix = Math.fround(data[k]);
        let masked = false;
        if (!Number.isFinite(pix)) {
          masked = true;
          anyMasked = true;
        } else if (mask !== undefined && mask[k] > maskThresh) masked = true;
        if (masked) flag |= APER_HASMASKED;
        const rpix = Math.sqrt(rpix2);
        const d = rpix % step;
        if (d < prevMargin || d > nextMargin) {
          let dy = dy0 + offset;
          for (let sy = subpix; sy--; dy += scale) {
            let dx1 = dx0 + offset;
            const dy2 = dy * dy;
            for (let sx = subpix; sx--; dx1 += scale) {
              const j = Math.trunc(Math.sqrt(dx1 * dx1 + dy2) * stepdens);
              if (j < FLUX_RADIUS_BINS) {
                if (masked) maskArea[j] += scale2;
                else sum[j] += scale2 * pix;
                area[j] += scale2;
              }
            }
          }
        } else {
          const j = Math.trunc(rpix * stepdens);
          if (j < FLUX_RADIUS_BINS) {
            if (masked) maskArea[j] += 1;
            else sum[j] += pix;
            area[j] += 1;
          }
        }
      }
    }
    if (anyMasked) {
      for (let j = 0; j < FLUX_RADIUS_BINS; j++) {
        const t = area[j] === maskArea[j] ? 0 : area[j] / (area[j] - maskArea[j]);
        sum[j] *= t;
      }
    }
    for (let j = 1; j < FLUX_RADIUS_BINS; j++) sum[j] += sum[j - 1];
    const total = options.normFlux !== undefined ? scalarAt(options.normFlux, i) : sum[FLUX_RADIUS_BINS - 1];
    for (let f = 0; f < nf; f++) out[i * nf + f] = inverseProfile(rm, sum, fractions[f] * total);
    flags[i] = flag;
  }
  return { radius: out, nfrac: nf, flags };
}

/** Radius where the cumulative profile (bin j covers radius step*(j+1)) reaches `target`. */
function inverseProfile(rmax: number, cum: Float64Array, target: number): number {
  const nb = cum.length;
  const step = rmax / nb;
  let i = 0;
  while (i < nb && cum[i] < target) i++;
  if (i === 0) {
    if (target <= 0 || cum[0] === 0) return 0;
    return (step * target) / cum[0];
  }
  if (i === nb) return rmax;
  return step * (i + (target - cum[i - 1]) / (cum[i] - cum[i - 1]));
}

/** Options of {@link windowedPosition}. */
export interface WindowedPositionOptions extends MaskOptions {
  /** Subpixel sampling of the boundary pixels (default 11 as Source Extractor; 0 = exact). */
  subpix?: number;
  /** Lower bound on sigma (default 2 / 2.35 * 0.5, Source Extractor's minimum). */
  minSig?: number;
}

/** Result of {@link windowedPosition}. */
export interface WindowedPositionResult {
  /** XWIN (zero-based). */
  x: Float64Array;
  /** YWIN (zero-based). */
  y: Float64Array;
  /** Iterations used (1..16). */
  iterations: Uint8Array;
  /** ApertureFlag bits (TRUNC, HASMASKED, ILLEGAL). */
  flags: Uint16Array;
}

const WINPOS_NITERMAX = 16;
const WINPOS_STEPMIN = 0.0001;
const WINPOS_FAC = 2;

/**
 * Windowed centroids XWIN/YWIN (SEP's `winpos`, Source Extractor's
 * algorithm): iterate a Gaussian-weighted (sigma `sig`) first moment within
 * 4 sigma until the step is below 1e-4 px (at most 16 iterations). For
 * Source Extractor's choice use sig = 2 * FLUX_RADIUS(0.5) / 2.35.
 */
export function windowedPosition(
  image: ApertureImage,
  x: PerSource,
  y: PerSource,
  sig: PerSource,
  options: WindowedPositionOptions = {},
): WindowedPositionResult {
  const fn = 'windowedPosition';
  const n = broadcastLength(fn, { x, y, sig });
  const subpix = checkSubpix(options.subpix ?? 11, fn);
  const minSig = options.minSig ?? (2.0 / 2.35) * 0.5;
  const src = pixelSource(image, options, fn);
  const { data, width, height, mask, maskThresh } = src;
  const ox = new Float64Array(n);
  const oy = new Float64Array(n);
  const iters = new Uint8Array(n);
  const flags = new Uint16Array(n);
  const scale = subpix > 0 ? 1 / subpix : 1;
  const scale2 = scale * scale;
  const offset = 0.5 * (scale - 1);
  for (let s = 0; s < n; s++) {
    let xc = scalarAt(x, s);
    let yc = scalarAt(y, s);
    let sg = scalarAt(sig, s);
    if (!Number.isFinite(xc) || !Number.isFinite(yc) || !(sg >= 0) || !Number.isFinite(sg)) {
      ox[s] = NaN;
      oy[s] = NaN;
      flags[s] = APER_ILLEGAL;
      continue;
    }
    if (sg < minSig) sg = minSig;
    const invtwosig2 = 1 / (2 * sg * sg);
    const r = 4 * sg;
    const r2 = r * r;
    const rIn = r - 0.7072;
    const rIn2 = rIn > 0 ? rIn * rIn : 0;
    const rOut2 = (r + 0.7072) * (r + 0.7072);
    let flag = 0;
    let it = 0;
    for (it = 0; it < WINPOS_NITERMAX; it++) {
      boxExtent(xc, yc, r, r, width, height, box);
      if (box.truncated) flag |= APER_TRUNC;
      let tv = 0;
      let twv = 0;
      let totarea = 0;
      let maskarea = 0;
      let maskweight = 0;
      let dxpos = 0;
      let dypos = 0;
      let maskdx = 0;
      let maskdy = 0;
      let anyMasked = mask !== undefined;
      for (let iy = box.ymin; iy < box.ymax; iy++) {
        for (let ix = box.xmin; ix < box.xmax; ix++) {
          const dx = ix - xc;
          const dy = iy - yc;
          const rpix2 = dx * dx + dy * dy;
          if (!(rpix2 < rOut2)) continue;
          let overlap = 1;
          if (rpix2 > rIn2) {
            if (subpix === 0) overlap = circOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, r);
            else {
              overlap = 0;
              let sdy = dy + offset;
              for (let sy = subpix; sy--; sdy += scale) {
                let sdx = dx + offset;
                const dy2 = sdy * sdy;
                for (let sx = subpix; sx--; sdx += scale) if (sdx * sdx + dy2 < r2) overlap += scale2;
              }
            }
          }
          const k = iy * width + ix;
          const pix = Math.fround(data[k]);
          const weight = Math.exp(-rpix2 * invtwosig2);
          const bad = !Number.isFinite(pix);
          if (bad) anyMasked = true;
          if (bad || (mask !== undefined && mask[k] > maskThresh)) {
            flag |= APER_HASMASKED;
            maskarea += overlap;
            maskweight += overlap * weight;
            maskdx += overlap * weight * dx;
            maskdy += overlap * weight * dy;
          } else {
            tv += pix * overlap;
            const wpix = pix * overlap * weight;
            twv += wpix;
            dxpos += wpix * dx;
            dypos += wpix * dy;
          }
          totarea += overlap;
        }
      }
      if (anyMasked) {
        const mean = tv / (totarea - maskarea);
        twv += mean * maskweight;
        dxpos += mean * maskdx;
        dypos += mean * maskdy;
      }
      if (twv > 0) {
        dxpos /= twv;
        dypos /= twv;
        xc += dxpos * WINPOS_FAC;
        yc += dypos * WINPOS_FAC;
      } else break;
      if (dxpos * dxpos + dypos * dypos < WINPOS_STEPMIN * WINPOS_STEPMIN) break;
    }
    ox[s] = xc;
    oy[s] = yc;
    iters[s] = Math.min(it + 1, WINPOS_NITERMAX);
    flags[s] = flag;
  }
  return { x: ox, y: oy, iterations: iters, flags };
}

