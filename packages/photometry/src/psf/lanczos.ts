/** Lanczos-3 interpolation of a pixel grid (weights normalised to a unit sum per axis). */

/** Lanczos-a kernel sinc(x) sinc(x / a) for |x| < a. */
export function lanczosKernel(x: number, a = 3): number {
  if (x === 0) return 1;
  if (x <= -a || x >= a) return 0;
  const px = Math.PI * x;
  return (a * Math.sin(px) * Math.sin(px / a)) / (px * px);
}
