/**
 * Single-precision helpers shared by the background and extraction code.
 *
 * SEP computes most pixel quantities in C `float`. `Math.fround(a op b)` on two
 * float32 operands reproduces the C float result exactly for + - * / and sqrt
 * (double rounding is innocuous when the wide format has >= 2p+2 bits).
 */

/** Round to float32. */
export const f32 = Math.fround;

/** SEP's `BIG`: marks bad meshes and out-of-image pixels. */
export const BIG = 1e30;

/** SEP's value of pi (sepcore.h). */
export const SEP_PI = 3.1415926535898;

/**
 * Median of the first `n` values of `values` as SEP's `fqmedian` computes it:
 * sorts in place (ascending), mean of the two central values for even `n`,
 * that mean rounded to float32.
 */
export function medianInPlace(values: Float32Array, n: number): number {
  const view = n === values.length ? values : values.subarray(0, n);
  view.sort();
  if (n < 2) return view[0];
  const h = n >> 1;
  return n & 1 ? view[h] : f32(f32(view[h - 1] + view[h]) / 2);
}
