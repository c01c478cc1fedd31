/**
 * Spatially varying sky background and noise, SEP's (Source Extractor's)
 * algorithm: sigma-clipped histogram mode per mesh, median filter over the
 * mesh grid, bicubic-spline interpolation to every pixel.
 */
import type { ImageData, ProgressCallback } from '@astro/core';
import { PhotometryError } from './errors.js';
import { thresholdMask } from './internal/extract/mask.js';
import { BIG as SEP_BIG, SEP_PI as PI_SEP, medianInPlace } from './internal/extract/float32.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const BIG = SEP_BIG;
const SEP_PI = PI_SEP;

/** Options of {@link estimateBackground}. */
export interface BackgroundOptions {
  /** Mesh width in pixels (default 64). */
  bw?: number;
  /** Mesh height in pixels (default 64). */
  bh?: number;
  /** Median-filter width in meshes (default 3; 1 disables filtering in x). */
  fw?: number;
  /** Median-filter height in meshes (default 3). */
  fh?: number;
  /**
   * Median-filter threshold (default 0): a mesh is replaced by the median of
   * its neighbourhood only when they differ by at least this much (SEP's
   * `fthresh`).
   */
  fthresh?: number;
  /**
   * Pixel mask, same layout as the image; values above `maskThresh` are masked (ignored in
   * the statistics). Defaults to `image.mask`. NaN and infinite pixels are
   * always treated as masked.
   */
  mask?: Uint8Array;
  /** A pixel is masked when `mask[i] > maskThresh` (default 0), as SEP's maskthresh. */
  maskThresh?: number;
  /** Called after each row of meshes with `{ done, total, unit: 'mesh rows' }`. */
  onProgress?: ProgressCallback;
}

/** What {@link estimateBackground} needs of an image (an `Image` fits). */
export interface BackgroundInput {
  /** Pixel values, row-major, x fastest. */
  data: ImageData;
  /** Number of columns. */
  width: number;
  /** Number of rows. */
  height: number;
  /** Optional mask (masked where > `maskThresh`), used when `options.mask` is absent. */
  mask?: Uint8Array;
}

/**
 * A background model: global values, the mesh grid and the spline that
 * evaluates the background and its rms at every pixel.
 */
export interface Background {
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Mesh size in pixels (x). */
  readonly bw: number;
  /** Mesh size in pixels (y). */
  readonly bh: number;
  /** Number of meshes along x. */
  readonly nx: number;
  /** Number of meshes along y. */
  readonly ny: number;
  /** Global background: median of the filtered mesh values (SEP `globalback`). */
  readonly globalBack: number;
  /** Global rms: median of the filtered mesh rms values (SEP `globalrms`). */
  readonly globalRms: number;
  /** Filtered mesh background values, `nx * ny`, row-major (not a copy: do not modify). */
  readonly meshBack: Float32Array;
  /** Filtered mesh rms values, `nx * ny`, row-major (not a copy: do not modify). */
  readonly meshRms: Float32Array;
  /**
   * The background at every pixel, `width * height`: into `out` when given
   * (reuse one array across many images), else a new array.
   */
  back(out?: Float32Array): Float32Array;
  /** The background rms at every pixel, into `out` when given, else a new array. */
  rms(out?: Float32Array): Float32Array;
  /** Background of row `y` into `out` (length >= width; allocated when absent). */
  backLine(y: number, out?: Float32Array): Float32Array;
  /** Background rms of row `y` into `out` (length >= width; allocated when absent). */
  rmsLine(y: number, out?: Float32Array): Float32Array;
  /**
   * Subtract the background from `data` in place (same layout as the image),
   * as SEP's `subfrom`: a Float32Array stays float32 (each difference
   * rounded), a Float64Array subtracts the float32 background in double.
   */
  subtractFrom(data: ImageData): void;
}

const MIN_GOOD_FRAC = 0.5;
const QUANTIF_NSIGMA = 5;
const QUANTIF_NMAXLEVELS = 4096;
const QUANTIF_AMIN = 4;
const HIST_STEP = (Math.sqrt(2 / SEP_PI) * QUANTIF_NSIGMA) / QUANTIF_AMIN;

function checkPositiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new PhotometryError(
      `photometry: estimateBackground: option ${name} = ${String(value)} must be a positive integer`,
    );
  }
  return value;
}

/**
 * Estimate the background and its rms as SEP's `Background(data, mask, bw, bh,
 * fw, fh, fthresh)` does (same numbers as SEP 1.2.1 on float32 input):
 *
 * 1. per mesh (`bw` x `bh`; the last column/row of meshes takes the rest):
 *    mean and sigma of the good pixels, one clip at +-2 sigma, a histogram over
 *    mean +- 5 sigma, iterative +-3 sigma clipping on the histogram, mode =
 *    2.5 median - 1.5 mean when |mean - median| / sigma < 0.3, else the median;
 *    meshes with fewer than 50% good pixels are replaced by the mean of the
 *    nearest good meshes;
 * 2. median filter of `fw` x `fh` meshes over the grid (shrunk symmetrically
 *    at the edges);
 * 3. natural bicubic spline through the mesh centres, evaluated per pixel.
 *
 * Pure: reads `image.data` (never modified, never copied whole), returns a
 * model. Masked, NaN and infinite pixels are ignored. An image whose meshes
 * are all masked gives back = 0 and rms = 1 everywhere (SEP's rule); a
 * constant image gives that constant and rms 0.
 *
 * @throws PhotometryError (`PHOT_BAD_ARGUMENT`, `PHOT_SIZE_MISMATCH`) for a bad
 *   size, option or mask length.
 */
export function estimateBackground(image: BackgroundInput, options: BackgroundOptions = {}): Background {
  const { data, width: w, height: h } = image;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    throw new PhotometryError(
      `photometry: estimateBackground: image size ${String(w)}x${String(h)} is not a positive integer size`,
    );
  }
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new PhotometryError(
      'photometry: estimateBackground: image.data must be a Float32Array or Float64Array',
    );
  }
  if (data.length < w * h) {
    throw new PhotometryError(
      `photometry: estimateBackground: image.data has ${data.length} values, ${w}x${h} needs ${w * h}`,
      { code: 'PHOT_SIZE_MISMATCH' },
    );
  }
  const bw = checkPositiveInt(options.bw ?? 64, 'bw');
  const bh = checkPositiveInt(options.bh ?? 64, 'bh');
  const fw = checkPositiveInt(options.fw ?? 3, 'fw');
  const fh = checkPositiveInt(options.fh ?? 3, 'fh');
  const fthresh = options.fthresh ?? 0;
  if (!Number.isFinite(fthresh)) {
    throw new PhotometryError('photometry: estimateBackground: option fthresh must be finite');
  }
  const mask = thresholdMask(options.mask ?? image.mask, options.maskThresh, w * h, 'estimateBackground');

  // SEP works on float32 pixels: convert a float64 image once
  const pixels = data instanceof Float32Array ? data : Float32Array.from(data.subarray(0, w * h));
  const nx = Math.floor((w - 1) / bw) + 1;
  const ny = Math.floor((h - 1) / bh) + 1;
  const back = new Float32Array(nx * ny);
  const sigma = new Float32Array(nx * ny);
  const histo = new Int32Array(QUANTIF_NMAXLEVELS);
  const p0 = new Float64Array(QUANTIF_NMAXLEVELS + 1);
  const p1 = new Float64Array(QUANTIF_NMAXLEVELS + 1);
  const p2 = new Float64Array(QUANTIF_NMAXLEVELS + 1);

  for (let j = 0; j < ny; j++) {
    const y0 = j * bh;
    const mh = Math.min(bh, h - y0);
    for (let m = 0; m < nx; m++) {
      const x0 = m * bw;
      const mw = Math.min(bw, w - x0);
      const k = j * nx + m;
      meshStats(pixels, mask, w, x0, y0, mw, mh, histo, p0, p1, p2, back, sigma, k);
    }
    options.onProgress?.({ done: j + 1, total: ny, unit: 'mesh rows' });
  }

  const { globalBack, globalRms } = filterMeshes(back, sigma, nx, ny, fw, fh, fthresh);
  const dback = makeSpline(back, nx, ny);
  const dsigma = makeSpline(sigma, nx, ny);
  const interp = new LineInterpolator(w, nx, ny, bw, bh);

  const model: Background = {
    width: w,
    height: h,
    bw,
    bh,
    nx,
    ny,
    globalBack,
    globalRms,
    meshBack: back,
    meshRms: sigma,
    backLine: (y, out) => interp.line(back, dback, checkRow(y, h), out ?? new Float32Array(w)),
    rmsLine: (y, out) => interp.line(sigma, dsigma, checkRow(y, h), out ?? new Float32Array(w)),
    back: (out) => interp.full(back, dback, h, checkOut(out, w * h)),
    rms: (out) => interp.full(sigma, dsigma, h, checkOut(out, w * h)),
    subtractFrom: (target) => {
      if (target.length < w * h) {
        throw new PhotometryError(
          `photometry: Background.subtractFrom: array has ${target.length} values, the background ${w * h}`,
          { code: 'PHOT_SIZE_MISMATCH' },
        );
      }
      const line = new Float32Array(w);
      for (let y = 0; y < h; y++) {
        interp.line(back, dback, y, line);
        const off = y * w;
        for (let x = 0; x < w; x++) target[off + x] -= line[x];
      }
    },
  };
  return model;
}

function checkOut(out: Float32Array | undefined, n: number): Float32Array | undefined {
  if (out !== undefined && (!(out instanceof Float32Array) || out.length < n)) {
    throw new PhotometryError(
      `photometry: Background: output array must be a Float32Array of at least ${n} values`,
      { code: 'PHOT_SIZE_MISMATCH' },
    );
  }
  return out;
}

function checkRow(y: number, h: number): number {
  if (!Number.isInteger(y) || y < 0 || y >= h) {
    throw new PhotometryError(`photometry: Background: row ${String(y)} is outside 0..${h - 1}`);
  }
  return y;
}

/** Statistics of one mesh: SEP's backstat + backhisto + backguess. */
function meshStats(
  data: Float32Array,
  mask: Uint8Array | undefined,
  w: number,
  x0: number,
  y0: number,
  mw: number,
  mh: number,
  histo: Int32Array,
  p0: Float64Array,
  p1: Float64Array,
  p2: Float64Array,
  outBack: Float32Array,
  outSigma: Float32Array,
  k: number,
): void {
  // pass 1: mean and sigma of the good pixels
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = y0; y < y0 + mh; y++) {
    const off = y * w;
    if (mask === undefined) {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p > -BIG && p < Infinity) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    } else {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p > -BIG && p < Infinity && mask[i] === 0) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    }
  }
  if (f32(n) < f32(mw * mh * MIN_GOOD_FRAC) || n === 0) {
    outBack[k] = -BIG;
    outSigma[k] = -BIG;
    return;
  }
  let mean = sum / n;
  let v = sum2 / n - mean * mean;
  let sig = v > 0 ? Math.sqrt(v) : 0;
  const lcut = f32(mean - 2 * sig);
  const hcut = f32(mean + 2 * sig);

  // pass 2: clipped at +-2 sigma
  sum = 0;
  sum2 = 0;
  n = 0;
  for (let y = y0; y < y0 + mh; y++) {
    const off = y * w;
    if (mask === undefined) {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p <= hcut && p >= lcut) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    } else {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p <= hcut && p >= lcut && mask[i] === 0) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    }
  }
  if (n === 0) {
    outBack[k] = -BIG;
    outSigma[k] = -BIG;
    return;
  }
  mean = sum / n;
  v = sum2 / n - mean * mean;
  sig = v > 0 ? Math.sqrt(v) : 0;
  const bmMean = f32(mean);
  const bmSigma = f32(sig);
  let nlevels = Math.trunc(HIST_STEP * n + 1);
  if (nlevels > QUANTIF_NMAXLEVELS) nlevels = QUANTIF_NMAXLEVELS;
  const qscale = f32(sig > 0 ? (2 * QUANTIF_NSIGMA * sig) / nlevels : 1);
  const qzero = f32(mean - QUANTIF_NSIGMA * sig);

  // pass 3: histogram
  histo.fill(0, 0, nlevels);
  const cste = f32(0.499999 - f32(qzero / qscale));
  // C truncates toward zero: values in (-1, 0) land in bin 0
  for (let y = y0; y < y0 + mh; y++) {
    const off = y * w;
    if (mask === undefined) {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const b = f32(f32(data[i] / qscale) + cste);
        if (b > -1 && b < nlevels) histo[b | 0]++;
      }
    } else {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const b = f32(f32(data[i] / qscale) + cste);
        if (b > -1 && b < nlevels && mask[i] === 0) histo[b | 0]++;
      }
    }
  }
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  p0[0] = p1[0] = p2[0] = 0;
  for (let i = 0; i < nlevels; i++) {
    const pix = histo[i];
    const dpix = pix * i;
    c0 += pix;
    c1 += dpix;
    c2 += dpix * i;
    p0[i + 1] = c0;
    p1[i + 1] = c1;
    p2[i + 1] = c2;
  }
  backGuess(histo, p0, p1, p2, nlevels, bmMean, bmSigma, qzero, qscale, outBack, outSigma, k);
}

/** Mode and sigma of a mesh from its histogram (SEP's backguess). */
function backGuess(
  histo: Int32Array,
  p0: Float64Array,
  p1: Float64Array,
  p2: Float64Array,
  nlevels: number,
  bmMean: number,
  bmSigma: number,
  qzero: number,
  qscale: number,
  outBack: Float32Array,
  outSigma: Float32Array,
  k: number,
): void {
  const EPS = 1e-4;
  const nlevelsm1 = nlevels - 1;
  if (nlevelsm1 === 0) {
    // a single good pixel: SEP would return qzero + mean * qscale, i.e. twice
    // the value (its bin-unit mean starts in data units); the value is meant
    outBack[k] = bmMean;
    outSigma[k] = 0;
    return;
  }
  let lcut = 0;
  let hcut = nlevelsm1;
  let sig = 10 * nlevelsm1;
  let sig1 = 1;
  let mea = bmMean;
  let med = bmMean;
  for (let n = 100; n-- > 0 && sig >= 0.1 && Math.abs(sig / sig1 - 1) > EPS; ) {
    sig1 = sig;
    // sums over bins lcut..hcut from the prefix sums (integers below 2^53:
    // exact, so identical to SEP's running sums)
    const nb = hcut - lcut + 1;
    const base = p0[lcut];
    const acc = p0[hcut + 1] - base;
    const sum = acc;
    mea = p1[hcut + 1] - p1[lcut];
    sig = p2[hcut + 1] - p2[lcut];
    // SEP walks in from both ends (adding the low bin while the low sum is
    // below the high sum, else the high bin) until the walkers cross. That
    // walk is a merge of two sorted sequences, so its end point follows from
    // binary searches on the prefix sums (same result, no branch per bin).
    const a = lowSteps(p0, lcut, nb, acc);
    const lo = lcut + a;
    const hi = lo - 1;
    const lowsum = p0[lo] - base;
    const highsum = acc - lowsum;
    if (hi >= 0) {
      const hl = histo[lo];
      const hh = histo[hi];
      med = hi + 0.5 + (highsum - lowsum) / (2 * (hl > hh ? hl : hh));
    } else {
      med = 0;
    }
    if (sum) {
      mea /= sum;
      sig = sig / sum - mea * mea;
    }
    sig = sig > 0 ? Math.sqrt(sig) : 0;
    let t = med - 3 * sig;
    lcut = t > 0 ? Math.trunc(t > 0 ? t + 0.5 : t - 0.5) : 0;
    t = med + 3 * sig;
    hcut = t < nlevelsm1 ? Math.trunc(t > 0 ? t + 0.5 : t - 0.5) : nlevelsm1;
  }
  let mode: number;
  if (Math.abs(sig) > 0) {
    mode = Math.abs((mea - med) / sig) < 0.3 ? qzero + (2.5 * med - 1.5 * mea) * qscale : qzero + med * qscale;
  } else {
    mode = qzero + mea * qscale;
  }
  void bmSigma; // SEP's alternative branch on the mesh sigma is never taken
  outBack[k] = mode;
  outSigma[k] = sig * qscale;
}

/**
 * Number of low-end steps of SEP's median walk over `n` bins whose prefix
 * sums are `p0[off + j] - p0[off]`, j = 0..n (total `total`). At each of the n steps the walk
 * takes the next low bin when the low sum is below the high sum, else the
 * next high bin: a merge of the nondecreasing sequences A_a = prefix[a] and
 * B_b = total - prefix[n - b] with ties going to B. A_a is merged at
 * position a + #{b : B_b <= A_a}; the answer is how many of those positions
 * are below n.
 */
function lowSteps(p0: Float64Array, off: number, n: number, total: number): number {
  const base = p0[off];
  // position of A_a in the merged order
  const pos = (a: number): number => {
    // #{j in 0..n : prefix[j] >= total - A_a}: n + 1 - (first such j)
    const v = total - (p0[off + a] - base);
    let l = 0;
    let r = n + 1;
    while (l < r) {
      const m = (l + r) >> 1;
      if (p0[off + m] - base >= v) r = m;
      else l = m + 1;
    }
    return a + n + 1 - l;
  };
  // largest count c in 0..n+1 with pos(c - 1) < n (pos increases with a)
  let l = 0;
  let r = n + 1;
  while (l < r) {
    const m = (l + r + 1) >> 1;
    if (pos(m - 1) < n) l = m;
    else r = m - 1;
  }
  return Math.min(l, n);
}

/**
 * Replace bad meshes, median-filter the grid in place and return the global
 * values (SEP's filterback).
 */
function filterMeshes(
  back: Float32Array,
  sigma: Float32Array,
  nx: number,
  ny: number,
  fw: number,
  fh: number,
  fthresh: number,
): { globalBack: number; globalRms: number } {
  const np = nx * ny;
  const back2 = new Float32Array(np);
  const sigma2 = new Float32Array(np);
  // bad meshes: mean of the nearest good ones (all at the same distance)
  for (let py = 0, i = 0; py < ny; py++) {
    for (let px = 0; px < nx; px++, i++) {
      back2[i] = back[i];
      if (back[i] > -BIG) continue;
      let d2min = BIG;
      let nmin = 0;
      let val = 0;
      let sval = 0;
      for (let y = 0, jj = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++, jj++) {
          if (!(back[jj] > -BIG)) continue;
          const d2 = f32((x - px) * (x - px) + (y - py) * (y - py));
          if (d2 < d2min) {
            val = back[jj];
            sval = sigma[jj];
            nmin = 1;
            d2min = d2;
          } else if (d2 === d2min) {
            val = f32(val + back[jj]);
            sval = f32(sval + sigma[jj]);
            nmin++;
          }
        }
      }
      back2[i] = nmin ? f32(val / nmin) : 0;
      sigma[i] = nmin ? f32(sval / nmin) : 1;
    }
  }
  back.set(back2);

  const npx = fw >> 1;
  const npy = fh >> 1;
  const bmask = new Float32Array((2 * npx + 1) * (2 * npy + 1));
  const smask = new Float32Array(bmask.length);
  for (let py = 0; py < ny; py++) {
    let npy2 = Math.min(npy, ny - py - 1, py);
    if (npy2 < 0) npy2 = 0;
    for (let px = 0; px < nx; px++) {
      let npx2 = Math.min(npx, nx - px - 1, px);
      if (npx2 < 0) npx2 = 0;
      let n = 0;
      for (let dy = -npy2; dy <= npy2; dy++) {
        const row = (py + dy) * nx;
        for (let dx = -npx2; dx <= npx2; dx++) {
          bmask[n] = back[row + px + dx];
          smask[n++] = sigma[row + px + dx];
        }
      }
      const k = py * nx + px;
      const med = medianInPlace(bmask, n);
      if (Math.abs(f32(med - back[k])) >= fthresh) {
        back2[k] = med;
        sigma2[k] = medianInPlace(smask, n);
      } else {
        back2[k] = back[k];
        sigma2[k] = sigma[k];
      }
    }
  }
  back.set(back2);
  sigma.set(sigma2);
  const globalBack = medianInPlace(back2, np);
  let globalRms = medianInPlace(sigma2, np); // sigma2 is now sorted ascending
  if (globalRms <= 0) {
    // median of the positive values, 1 when there are none
    let i = np - 1;
    while (i >= 0 && sigma2[i] > 0) i--;
    globalRms = i >= 0 && i < np - 1 ? medianInPlace(sigma2.subarray(i + 1), np - 1 - i) : 1;
  }
  return { globalBack, globalRms };
}

/**
 * Second derivatives along y of a natural cubic spline through each column of
 * the mesh grid (SEP's makebackspline), in float32 as SEP does.
 */
function makeSpline(map: Float32Array, nbx: number, nby: number): Float32Array {
  const dmap = new Float32Array(nbx * nby);
  if (nby < 2) return dmap;
  const u = new Float32Array(nby - 1);
  for (let x = 0; x < nbx; x++) {
    dmap[x] = 0;
    u[0] = 0;
    for (let y = 1; y < nby - 1; y++) {
      const i = y * nbx + x;
      let temp = f32(-1 / f32(dmap[i - nbx] + 4));
      dmap[i] = temp;
      const curv = f32(f32(f32(map[i + nbx] + map[i - nbx]) - f32(2 * map[i])) * 6);
      temp = f32(temp * f32(u[y - 1] - curv));
      u[y] = temp;
    }
    dmap[(nby - 1) * nbx + x] = 0;
    for (let y = nby - 2; y >= 1; y--) {
      const i = y * nbx + x;
      dmap[i] = f32(f32(f32(dmap[i] * dmap[i + nbx]) + u[y]) / 6);
    }
  }
  return dmap;
}

/** Evaluates the bicubic spline one image row at a time (SEP's bkg_line). */
class LineInterpolator {
  private readonly node: Float32Array;
  private readonly dnode: Float32Array;
  private readonly u: Float32Array;
  // Per column (the same for every row): left node, dx, 1 - dx and the
  // cubic factors dx^2 - 1, (1 - dx)^2 - 1, as SEP's running dx gives them.
  readonly segStart: Int32Array;
  /** Per column: 1 - dx, (1 - dx)^2 - 1, dx, dx^2 - 1 (interleaved). */
  readonly coef: Float32Array;

  constructor(
    private readonly w: number,
    private readonly nbx: number,
    private readonly nby: number,
    bw: number,
    private readonly bh: number,
  ) {
    this.node = new Float32Array(nbx);
    this.dnode = new Float32Array(nbx);
    this.u = new Float32Array(Math.max(1, nbx - 1));
    this.segStart = new Int32Array(Math.max(2, nbx));
    this.coef = new Float32Array(4 * w);
    if (nbx > 1) {
      const nx = bw;
      const xstep = f32(1 / nx);
      const changepoint = nx >> 1;
      let dx = f32(f32(xstep - 1) / 2);
      const dx0 = f32(f32(((nx + 1) % 2) * xstep) / 2);
      let lo = 0;
      let xm = 0;
      let i = 0;
      for (let px = 0; px < w; px++) {
        if (i === changepoint && xm > 0 && xm < nbx - 1) {
          lo++;
          dx = dx0;
        }
        const cdx = f32(1 - dx);
        this.segStart[lo + 1] = px + 1;
        this.coef[4 * px] = cdx;
        this.coef[4 * px + 1] = f32(f32(cdx * cdx) - 1);
        this.coef[4 * px + 2] = dx;
        this.coef[4 * px + 3] = f32(f32(dx * dx) - 1);
        if (i === nx) {
          xm++;
          i = 0;
        }
        i++;
        dx = f32(dx + xstep);
      }
    }
  }

  full(values: Float32Array, dvalues: Float32Array, h: number, target?: Float32Array): Float32Array {
    const w = this.w;
    const out = target ?? new Float32Array(w * h);
    for (let y = 0; y < h; y++) this.line(values, dvalues, y, out, y * w);
    return out;
  }

  /** Row `y` into `out[off .. off + width)`; returns `out`. */
  line(values: Float32Array, dvalues: Float32Array, y: number, out: Float32Array, off = 0): Float32Array {
    const { nbx, nby, w } = this;
    let node: Float32Array;
    let dnode: Float32Array;
    if (nby > 1) {
      node = this.node;
      dnode = this.dnode;
      let dy = f32(f32(y / this.bh) - 0.5);
      let yl = Math.trunc(dy);
      dy = f32(dy - yl);
      if (yl < 0) {
        yl = 0;
        dy = f32(dy - 1);
      } else if (yl >= nby - 1) {
        yl = nby < 2 ? 0 : nby - 2;
        dy = f32(dy + 1);
      }
      const cdy = f32(1 - dy);
      const dy3 = f32(f32(f32(dy * dy) * dy) - dy);
      const cdy3 = f32(f32(f32(cdy * cdy) * cdy) - cdy);
      const lo = nbx * yl;
      const hi = lo + nbx;
      for (let x = 0; x < nbx; x++) {
        node[x] = f32(
          f32(f32(f32(cdy * values[lo + x]) + f32(dy * values[hi + x])) + f32(cdy3 * dvalues[lo + x])) +
            f32(dy3 * dvalues[hi + x]),
        );
      }
      // second derivatives along x (natural spline)
      if (nbx > 1) {
        const u = this.u;
        dnode[0] = 0;
        u[0] = 0;
        for (let x = 1; x < nbx - 1; x++) {
          let temp = f32(-1 / f32(dnode[x - 1] + 4));
          dnode[x] = temp;
          const curv = f32(f32(f32(node[x + 1] + node[x - 1]) - f32(2 * node[x])) * 6);
          temp = f32(temp * f32(u[x - 1] - curv));
          u[x] = temp;
        }
        dnode[nbx - 1] = 0;
        for (let x = nbx - 2; x >= 1; x--) dnode[x] = f32(f32(f32(dnode[x] * dnode[x + 1]) + u[x]) / 6);
      }
    } else {
      // single mesh row: SEP reuses the (zero) y-derivatives, i.e. linear in x
      node = values;
      dnode = dvalues;
    }

    if (nbx > 1) {
      const { segStart, coef } = this;
      for (let lo = 0; lo < nbx - 1; lo++) {
        const blo = node[lo];
        const dblo = dnode[lo];
        const bhi = node[lo + 1];
        const dbhi = dnode[lo + 1];
        for (let px = segStart[lo], e = segStart[lo + 1]; px < e; px++) {
          // the store rounds the final sum to float32
          const c = 4 * px;
          out[off + px] = f32(coef[c] * f32(blo + f32(coef[c + 1] * dblo))) + f32(coef[c + 2] * f32(bhi + f32(coef[c + 3] * dbhi)));
        }
      }
    } else {
      out.fill(node[0], off, off + w);
    }
    return out;
  }
}
