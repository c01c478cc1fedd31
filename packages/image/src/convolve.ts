/**
 * Convolution of an image with a small kernel and the matched filter with
 * per-pixel noise, one row at a time or whole (SEP's convolve.c, which
 * Source Extractor's detection uses). The kernel is applied as given,
 * centred on pixel (width >> 1, height >> 1) of the kernel and not flipped
 * (a correlation; the same as a convolution for symmetric kernels); pixels
 * outside the image contribute nothing (the kernel is cut at the edges).
 * Arithmetic is float32 in SEP's order, so the values are SEP's.
 */
import type { ImageData, ImageLike } from '@astro/core';
import { checkSize, fail } from './internal/check.js';
import { ImageErrorCode } from './errors.js';

// Math.fround as a module-local constant: hot loops must not read imported
// bindings (test runners turn those into getter calls on every use).
const f32 = Math.fround;

/** A filter kernel: `data[j * width + i]`, row-major like an image (pixel (width >> 1, height >> 1) is the centre). */
export interface Kernel {
  /** Weights, row-major. */
  data: Float32Array;
  /** Number of columns. */
  width: number;
  /** Number of rows. */
  height: number;
}

/** Options of {@link matchedFilter} and {@link matchedFilterRow}. */
export interface MatchedFilterOptions {
  /** Per-pixel noise, same layout as the image. */
  noise: Float32Array;
  /** `noise` holds standard deviations (`'std'`, default) or variances (`'variance'`). */
  noiseKind?: 'std' | 'variance';
  /** Scratch of length >= width (allocated when absent). */
  work?: Float32Array;
}

/** The image as float32 (itself when it already is: no copy), after checking sizes. */
function asFloat32(fn: string, image: ImageLike, kernel: Kernel): ImageLike<Float32Array> {
  const { data, width: w, height: h } = image;
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) fail(fn, 'image.data must be a Float32Array or Float64Array');
  checkSize(fn, w, h, data.length);
  const { data: k, width: kw, height: kh } = kernel;
  if (!(k instanceof Float32Array) || !Number.isInteger(kw) || !Number.isInteger(kh) || kw < 1 || kh < 1 || k.length < kw * kh) {
    fail(fn, `kernel must be a Float32Array of at least width x height values with a positive integer size (got ${String(kw)}x${String(kh)})`);
  }
  const pixels: Float32Array = data instanceof Float32Array ? data : Float32Array.from(data.subarray(0, w * h));
  return { data: pixels, width: w, height: h };
}

function checkOut(fn: string, out: Float32Array | undefined, n: number): Float32Array {
  if (out === undefined) return new Float32Array(n);
  if (!(out instanceof Float32Array) || out.length < n) {
    fail(fn, `out must be a Float32Array of at least ${n} values`, ImageErrorCode.sizeMismatch);
  }
  return out;
}

/**
 * The convolution of `image` with `kernel` (see the module notes: SEP's
 * float32 arithmetic, kernel cut at the edges, not normalised here). A
 * float64 image is converted to float32 once; the mask is not applied (set
 * masked pixels first). Into `out` (length >= width * height) when given,
 * else a new array.
 *
 * @throws ImageError for a bad size, kernel or output array.
 */
export function convolve(image: ImageLike<ImageData>, kernel: Kernel, out?: Float32Array): Float32Array {
  const img = asFloat32('convolve', image, kernel);
  const { width: w, height: h } = img;
  const result = checkOut('convolve', out, w * h);
  const row = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    convolveRowRaw(img.data, w, h, y, kernel.data, kernel.width, kernel.height, row);
    result.set(row, y * w);
  }
  return result;
}

/**
 * The matched filter of `image` (see {@link matchedFilterRow}) for every
 * row. A float64 image is converted to float32 once. Into `out` when given,
 * else a new array.
 *
 * @throws ImageError for a bad size, kernel, noise or output array.
 */
export function matchedFilter(
  image: ImageLike<ImageData>,
  kernel: Kernel,
  options: MatchedFilterOptions,
  out?: Float32Array,
): Float32Array {
  const img = asFloat32('matchedFilter', image, kernel);
  const { width: w, height: h } = img;
  if (!(options.noise instanceof Float32Array) || options.noise.length < w * h) {
    fail('matchedFilter', `noise must be a Float32Array of at least ${w * h} values`, ImageErrorCode.sizeMismatch);
  }
  if (options.noiseKind !== undefined && options.noiseKind !== 'std' && options.noiseKind !== 'variance') {
    fail('matchedFilter', `noiseKind '${String(options.noiseKind)}' is not 'std' or 'variance'`);
  }
  const result = checkOut('matchedFilter', out, w * h);
  const row = new Float32Array(w);
  const work = new Float32Array(w);
  const isStd = (options.noiseKind ?? 'std') === 'std';
  for (let y = 0; y < h; y++) {
    matchedFilterRowRaw(img.data, options.noise, isStd, w, h, y, kernel.data, kernel.width, kernel.height, work, row);
    result.set(row, y * w);
  }
  return result;
}

/**
 * Row `y` of the convolution of a float32 image with `kernel`, into `out`
 * (length >= width; returned). Pixels outside the image contribute nothing.
 * For streaming: {@link convolve} calls it for every row.
 */
export function convolveRow(image: ImageLike<Float32Array>, y: number, kernel: Kernel, out: Float32Array): Float32Array {
  const { data: img, width: w, height: h } = image;
  const { data: k, width: kw, height: kh } = kernel;
  convolveRowRaw(img, w, h, y, k, kw, kh, out);
  return out;
}

function convolveRowRaw(
  img: Float32Array,
  w: number,
  h: number,
  y: number,
  kernel: Float32Array,
  kw: number,
  kh: number,
  out: Float32Array,
): void {
  if (kw === 3 && kh === 3 && w >= 3 && y >= 1 && y < h - 1) {
    convolveRow3x3(img, w, y, kernel, out);
    return;
  }
  out.fill(0, 0, w);
  const kw2 = kw >> 1;
  const y0 = y - (kh >> 1);
  for (let cy = 0; cy < kh; cy++) {
    const yy = y0 + cy;
    if (yy < 0 || yy >= h) continue;
    const row = yy * w;
    for (let cx = 0; cx < kw; cx++) {
      const c = kernel[cy * kw + cx];
      const dcx = cx - kw2;
      let dst = dcx >= 0 ? 0 : -dcx;
      const dend = dcx >= 0 ? w - dcx : w;
      for (let s = row + dst + dcx; dst < dend; dst++, s++) out[dst] += f32(c * img[s]);
    }
  }
}

/**
 * The common 3x3 case away from the top and bottom rows: one pass, the nine
 * terms accumulated in kernel order (as SEP's kernel-major loop does for
 * each pixel), edge columns without the missing terms.
 */
function convolveRow3x3(img: Float32Array, w: number, y: number, k: Float32Array, out: Float32Array): void {
  const k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7], k8 = k[8];
  const r0 = (y - 1) * w;
  const r1 = y * w;
  const r2 = (y + 1) * w;
  // x = 0: no left column
  let acc = 0 + f32(k1 * img[r0]); // 0 + : SEP starts from +0
  acc = f32(acc + f32(k2 * img[r0 + 1]));
  acc = f32(acc + f32(k4 * img[r1]));
  acc = f32(acc + f32(k5 * img[r1 + 1]));
  acc = f32(acc + f32(k7 * img[r2]));
  out[0] = acc + f32(k8 * img[r2 + 1]);
  for (let x = 1; x < w - 1; x++) {
    let a = 0 + f32(k0 * img[r0 + x - 1]);
    a = f32(a + f32(k1 * img[r0 + x]));
    a = f32(a + f32(k2 * img[r0 + x + 1]));
    a = f32(a + f32(k3 * img[r1 + x - 1]));
    a = f32(a + f32(k4 * img[r1 + x]));
    a = f32(a + f32(k5 * img[r1 + x + 1]));
    a = f32(a + f32(k6 * img[r2 + x - 1]));
    a = f32(a + f32(k7 * img[r2 + x]));
    out[x] = a + f32(k8 * img[r2 + x + 1]);
  }
  // x = w - 1: no right column
  const x = w - 1;
  acc = 0 + f32(k0 * img[r0 + x - 1]);
  acc = f32(acc + f32(k1 * img[r0 + x]));
  acc = f32(acc + f32(k3 * img[r1 + x - 1]));
  acc = f32(acc + f32(k4 * img[r1 + x]));
  acc = f32(acc + f32(k6 * img[r2 + x - 1]));
  out[x] = acc + f32(k7 * img[r2 + x]);
}

/**
 * Row `y` of the matched filter (signal-to-noise of the kernel-weighted
 * sum): `sum(k f / v) / sqrt(sum(k^2 / v))` with `v` the per-pixel variance
 * (`options.noise` holds standard deviations or variances, per
 * `options.noiseKind`); terms with zero variance are skipped. Into `out`
 * (length >= width; returned). `options.work` (length >= width) avoids an
 * allocation per row.
 */
export function matchedFilterRow(
  image: ImageLike<Float32Array>,
  y: number,
  kernel: Kernel,
  options: MatchedFilterOptions,
  out: Float32Array,
): Float32Array {
  const { data: img, width: w, height: h } = image;
  const { data: k, width: kw, height: kh } = kernel;
  const work = options.work ?? new Float32Array(w);
  matchedFilterRowRaw(img, options.noise, (options.noiseKind ?? 'std') === 'std', w, h, y, k, kw, kh, work, out);
  return out;
}

function matchedFilterRowRaw(
  img: Float32Array,
  noise: Float32Array,
  noiseIsStd: boolean,
  w: number,
  h: number,
  y: number,
  kernel: Float32Array,
  kw: number,
  kh: number,
  work: Float32Array,
  out: Float32Array,
): void {
  out.fill(0, 0, w);
  work.fill(0, 0, w);
  const kw2 = kw >> 1;
  const y0 = y - (kh >> 1);
  for (let cy = 0; cy < kh; cy++) {
    const yy = y0 + cy;
    if (yy < 0 || yy >= h) continue;
    const row = yy * w;
    for (let cx = 0; cx < kw; cx++) {
      const c = kernel[cy * kw + cx];
      const c2 = f32(c * c);
      const dcx = cx - kw2;
      let dst = dcx >= 0 ? 0 : -dcx;
      const dend = dcx >= 0 ? w - dcx : w;
      for (let s = row + dst + dcx; dst < dend; dst++, s++) {
        const nv = noise[s];
        const v = noiseIsStd ? f32(nv * nv) : nv;
        if (v !== 0) {
          out[dst] += f32(f32(c * img[s]) / v);
          work[dst] += f32(c2 / v);
        }
      }
    }
  }
  for (let x = 0; x < w; x++) out[x] = out[x] / Math.sqrt(work[x]);
}
