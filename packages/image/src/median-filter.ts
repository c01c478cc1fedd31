/** Two-dimensional median filter (the one L.A.Cosmic uses). */
import { checkSize, fail } from './internal/check.js';

/**
 * Median filter of a `w` x `h` row-major image with a `size` x `size`
 * window (size odd), edges mirrored without repeating the edge pixel
 * (scipy.ndimage `median_filter(mode='mirror')`). Returns a new
 * Float64Array; `src` is not modified. An even count never occurs (odd
 * windows); NaN pixels give an unspecified value in the windows that hold
 * them (mask or replace them first).
 *
 * @throws ImageError for a bad size or a `src` shorter than `w * h`.
 */
export function medianFilter(src: ArrayLike<number>, w: number, h: number, size: number): Float64Array {
  checkSize('medianFilter', w, h, src.length);
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) fail('medianFilter', `size = ${String(size)} (need an odd integer >= 1)`);
  const out = new Float64Array(w * h);
  const half = size >> 1;
  const buf = new Float64Array(size * size);
  const mirror = (i: number, n: number): number => {
    if (n === 1) return 0;
    const p = 2 * (n - 1);
    let k = Math.abs(i) % p;
    if (k >= n) k = p - k;
    return k;
  };
  const xi = new Int32Array(w + 2 * half);
  for (let i = -half; i < w + half; i++) xi[i + half] = mirror(i, w);
  for (let y = 0; y < h; y++) {
    const rows: number[] = [];
    for (let dy = -half; dy <= half; dy++) rows.push(mirror(y + dy, h) * w);
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (const row of rows) for (let dx = 0; dx < size; dx++) buf[m++] = src[row + xi[x + dx]];
      out[y * w + x] = quickMedian(buf, m);
    }
  }
  return out;
}

/** Median of the first n values of a (reorders a). */
function quickMedian(a: Float64Array, n: number): number {
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  if (n % 2 === 1) return a[k];
  // even count: mean of the two middle values
  let below = -Infinity;
  for (let i = 0; i < k; i++) if (a[i] > below) below = a[i];
  return 0.5 * (below + a[k]);
}
