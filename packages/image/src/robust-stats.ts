/**
 * Robust statistics of a set of values: median, median absolute deviation
 * and iterative sigma clipping (astropy's `sigma_clipped_stats`). The
 * caller's array is never reordered: each function sorts its own copy.
 * NaN values are ignored (numpy's `nan*` functions).
 */
import { fail } from './internal/check.js';

const f32 = Math.fround;

/** The scale from the MAD to the standard deviation of a normal distribution, 1 / Phi^-1(3/4). */
export const MAD_TO_STD = 1.482602218505602;

/**
 * A sorted copy of the non-NaN values: a Float32Array for float32 input (the
 * statistics then round as numpy does on float32 arrays), else a Float64Array.
 */
function sortedCopy(values: ArrayLike<number>): Float32Array | Float64Array {
  const n = values.length;
  const out = values instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === v) out[k++] = v;
  }
  const view = k === n ? out : out.subarray(0, k);
  view.sort();
  return view;
}

/** Median of sorted values (NaN when empty); float32 values give SEP's and numpy's float32 mean of the central two. */
function sortedMedian(sorted: Float32Array | Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  if (n & 1) return sorted[h];
  return sorted instanceof Float32Array ? f32(f32(sorted[h - 1] + sorted[h]) / 2) : (sorted[h - 1] + sorted[h]) / 2;
}

/**
 * The median of the values, NaN ignored (NaN when none is left). An even
 * count gives the mean of the two central values; for a `Float32Array` that
 * mean is computed in float32 (`fround(fround(a + b) / 2)`, as numpy's
 * `median` on float32 data and SEP's `fqmedian` do), else in double.
 * Copies the values (O(n) memory); the input is not modified.
 */
export function median(values: ArrayLike<number>): number {
  return sortedMedian(sortedCopy(values));
}

/** Options of {@link medianAbsoluteDeviation}. */
export interface MadOptions {
  /** Centre the deviations on this value instead of the median. */
  center?: number;
  /** Multiply the MAD by {@link MAD_TO_STD} (astropy's `mad_std`): a standard deviation for normal data. Default false. */
  normal?: boolean;
}

/**
 * The median absolute deviation `median(|x - median(x)|)`, NaN ignored
 * (astropy's `median_absolute_deviation`; with `normal: true`, `mad_std`).
 * Float32 input is handled in float32 as numpy does (deviations rounded to
 * float32). Copies the values; the input is not modified.
 */
export function medianAbsoluteDeviation(values: ArrayLike<number>, options: MadOptions = {}): number {
  const sorted = sortedCopy(values);
  if (options.center !== undefined && !Number.isFinite(options.center)) {
    fail('medianAbsoluteDeviation', `center = ${String(options.center)} is not a finite number`);
  }
  const c = options.center ?? sortedMedian(sorted);
  const dev = sorted instanceof Float32Array ? new Float32Array(sorted.length) : new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i] - c);
  dev.sort();
  const mad = sortedMedian(dev);
  return options.normal ? mad * MAD_TO_STD : mad;
}

/** Options of {@link sigmaClip}; defaults as astropy's `sigma_clip`. */
export interface SigmaClipOptions {
  /** Clip below `center - sigmaLower * std` (default 3). */
  sigmaLower?: number;
  /** Clip above `center + sigmaUpper * std` (default 3). */
  sigmaUpper?: number;
  /** Maximum number of clipping iterations (default 5; `Infinity`: until nothing changes). */
  maxIters?: number;
  /** The centre of the bounds: `'median'` (default) or `'mean'`. */
  center?: 'median' | 'mean';
}

/** Result of {@link sigmaClip}: statistics of the values kept. */
export interface SigmaClipResult {
  /** Mean of the kept values. */
  mean: number;
  /** Median of the kept values. */
  median: number;
  /** Standard deviation (population, ddof = 0) of the kept values. */
  std: number;
  /** Number of values kept. */
  count: number;
  /** Lower and upper bound of the last iteration (values outside were rejected). */
  lower: number;
  /** See `lower`. */
  upper: number;
  /** Iterations run. */
  iterations: number;
}

/** Mean and population standard deviation of `v[lo..hi)`, two passes, in double. */
function meanStd(v: Float32Array | Float64Array, lo: number, hi: number): { mean: number; std: number } {
  const n = hi - lo;
  let s = 0;
  for (let i = lo; i < hi; i++) s += v[i];
  const mean = s / n;
  let s2 = 0;
  for (let i = lo; i < hi; i++) {
    const d = v[i] - mean;
    s2 += d * d;
  }
  return { mean, std: Math.sqrt(s2 / n) };
}

/**
 * Iterative sigma clipping (astropy's `sigma_clipped_stats` with
 * `cenfunc='median'`, `stdfunc='std'`): each iteration computes the centre
 * and the standard deviation of the values kept so far and keeps those in
 * `[center - sigmaLower * std, center + sigmaUpper * std]`, until nothing
 * changes or `maxIters` iterations have run. NaN values are ignored.
 * Statistics are computed in double. Copies the values (sorted once); the
 * input is not modified. All NaN or empty input gives NaN statistics and
 * count 0.
 */
export function sigmaClip(values: ArrayLike<number>, options: SigmaClipOptions = {}): SigmaClipResult {
  const sigmaLower = options.sigmaLower ?? 3;
  const sigmaUpper = options.sigmaUpper ?? 3;
  const maxIters = options.maxIters ?? 5;
  const centerKind = options.center ?? 'median';
  if (!(sigmaLower >= 0) || !(sigmaUpper >= 0)) {
    fail('sigmaClip', `sigmaLower = ${String(sigmaLower)}, sigmaUpper = ${String(sigmaUpper)} (need values >= 0)`);
  }
  if (!(maxIters >= 1) || (maxIters !== Infinity && !Number.isInteger(maxIters))) {
    fail('sigmaClip', `maxIters = ${String(maxIters)} (need an integer >= 1 or Infinity)`);
  }
  if (centerKind !== 'median' && centerKind !== 'mean') fail('sigmaClip', `center '${String(centerKind)}' is not 'median' or 'mean'`);
  // sorted, the kept values are always a contiguous range [lo, hi)
  const v = Float64Array.from(sortedCopy(values));
  let lo = 0;
  let hi = v.length;
  let lower = NaN;
  let upper = NaN;
  let iterations = 0;
  while (hi > lo && iterations < maxIters) {
    iterations++;
    const { mean, std } = meanStd(v, lo, hi);
    const c = centerKind === 'median' ? sortedMedian(v.subarray(lo, hi)) : mean;
    lower = c - sigmaLower * std;
    upper = c + sigmaUpper * std;
    let nlo = lo;
    while (nlo < hi && v[nlo] < lower) nlo++;
    let nhi = hi;
    while (nhi > nlo && v[nhi - 1] > upper) nhi--;
    const changed = nlo !== lo || nhi !== hi;
    lo = nlo;
    hi = nhi;
    if (!changed) break;
  }
  if (hi === lo) return { mean: NaN, median: NaN, std: NaN, count: 0, lower, upper, iterations };
  const { mean, std } = meanStd(v, lo, hi);
  return { mean, median: sortedMedian(v.subarray(lo, hi)), std, count: hi - lo, lower, upper, iterations };
}
