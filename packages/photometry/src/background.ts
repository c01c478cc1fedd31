/**
 * Spatially varying sky background and noise, SEP's (Source Extractor's)
 * algorithm: sigma-clipped histogram mode per mesh, median filter over the
 * mesh grid, bicubic-spline interpolation to every pixel.
 */
import type { ImageData, ImageLike, ProgressCallback } from '@astro/core';
import { PhotometryErrorCode } from './errors.js';
import { filterMeshes } from './internal/background/filter-meshes.js';
import { QUANTIF_NMAXLEVELS, meshStats } from './internal/background/mesh-stats.js';
import { LineInterpolator, makeSpline } from './internal/background/spline.js';
import { thresholdMask } from './internal/extract/mask.js';
import { fail } from './internal/fail.js';

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

/**
 * What {@link estimateBackground} needs of an image: core's `ImageLike`.
 *
 * @deprecated Use `ImageLike` from `@astro/core` (an `Image` fits too).
 */
export type BackgroundInput = ImageLike;

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

function checkPositiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    fail('estimateBackground', `option ${name} = ${String(value)} must be a positive integer`);
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
export function estimateBackground(image: ImageLike, options: BackgroundOptions = {}): Background {
  const { data, width: w, height: h } = image;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    fail('estimateBackground', `image size ${String(w)}x${String(h)} is not a positive integer size`);
  }
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    fail('estimateBackground', 'image.data must be a Float32Array or Float64Array');
  }
  if (data.length < w * h) {
    fail('estimateBackground', `image.data has ${data.length} values, ${w}x${h} needs ${w * h}`, PhotometryErrorCode.sizeMismatch);
  }
  const bw = checkPositiveInt(options.bw ?? 64, 'bw');
  const bh = checkPositiveInt(options.bh ?? 64, 'bh');
  const fw = checkPositiveInt(options.fw ?? 3, 'fw');
  const fh = checkPositiveInt(options.fh ?? 3, 'fh');
  const fthresh = options.fthresh ?? 0;
  if (!Number.isFinite(fthresh)) {
    fail('estimateBackground', 'option fthresh must be finite');
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
        fail('Background.subtractFrom', `array has ${target.length} values, the background ${w * h}`, PhotometryErrorCode.sizeMismatch);
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
    fail('Background', `output array must be a Float32Array of at least ${n} values`, PhotometryErrorCode.sizeMismatch);
  }
  return out;
}

function checkRow(y: number, h: number): number {
  if (!Number.isInteger(y) || y < 0 || y >= h) {
    fail('Background', `row ${String(y)} is outside 0..${h - 1}`);
  }
  return y;
}
