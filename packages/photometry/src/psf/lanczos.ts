/** Lanczos-3 interpolation of a pixel grid (weights normalised to a unit sum per axis). */

/** Lanczos-a kernel sinc(x) sinc(x / a) for |x| < a. */
export function lanczosKernel(x: number, a = 3): number {
  if (x === 0) return 1;
  if (x <= -a || x >= a) return 0;
  const px = Math.PI * x;
  return (a * Math.sin(px) * Math.sin(px / a)) / (px * px);
}

/**
 * Interpolate `grid` (w x h, row-major) at fractional grid coordinates
 * (gx, gy) with a separable Lanczos-3 kernel; samples outside the grid
 * count as 0. At integer coordinates the grid value is returned exactly.
 */
export function lanczos3At(grid: ArrayLike<number>, w: number, h: number, gx: number, gy: number): number {
  const ix0 = Math.floor(gx);
  const iy0 = Math.floor(gy);
  const fx = gx - ix0;
  const fy = gy - iy0;
  if (ix0 < -3 || iy0 < -3 || ix0 > w + 2 || iy0 > h + 2) return 0;
  let sx = 0;
  let sy = 0;
  const kx = [0, 0, 0, 0, 0, 0];
  const ky = [0, 0, 0, 0, 0, 0];
  for (let k = 0; k < 6; k++) {
    kx[k] = lanczosKernel(fx - (k - 2));
    ky[k] = lanczosKernel(fy - (k - 2));
    sx += kx[k];
    sy += ky[k];
  }
  let v = 0;
  for (let b = 0; b < 6; b++) {
    const y = iy0 + b - 2;
    if (y < 0 || y >= h || ky[b] === 0) continue;
    let row = 0;
    for (let a = 0; a < 6; a++) {
      const x = ix0 + a - 2;
      if (x < 0 || x >= w) continue;
      row += kx[a] * grid[y * w + x];
    }
    v += ky[b] * row;
  }
  return v / (sx * sy);
}
