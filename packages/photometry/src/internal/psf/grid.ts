/** Rendering of pixel-grid PSFs (image PSFs and PSFEx planes) into stamps. */
import { lanczosKernel } from '../../psf/lanczos.js';
import type { PsfStamp, PsfStampOptions } from '../../psf/types.js';
import { finishStamp, stampGeometry } from './stamp.js';

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

/** Render a grid PSF into a stamp (Lanczos-3 resampling, `kind` names the model in errors). */
export function renderGrid(
  grid: Float64Array,
  w: number,
  h: number,
  sampling: number,
  cx: number,
  cy: number,
  options: PsfStampOptions,
  kind: string,
): PsfStamp {
  const g = stampGeometry(options, Math.max(w, h) * sampling, kind);
  const o = g.oversampling;
  const scale = 1 / (o * sampling);
  const area = scale * scale;
  const data = new Float64Array(g.width * g.height);
  for (let j = 0; j < g.height; j++) {
    const gy = cy + (j - g.centerY) * scale;
    for (let i = 0; i < g.width; i++) {
      const gx = cx + (i - g.centerX) * scale;
      data[j * g.width + i] = lanczos3At(grid, w, h, gx, gy) * area;
    }
  }
  return finishStamp(data, g, options.normalize);
}

/** FWHM estimate from second moments (Gaussian equivalent), in grid pixels. */
export function momentFwhm(grid: ArrayLike<number>, w: number, h: number): number {
  let s = 0;
  let sx = 0;
  let sy = 0;
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const v = Math.max(0, grid[j * w + i]);
      s += v;
      sx += v * i;
      sy += v * j;
    }
  if (!(s > 0)) return NaN;
  const mx = sx / s;
  const my = sy / s;
  let m2 = 0;
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const v = Math.max(0, grid[j * w + i]);
      m2 += v * ((i - mx) ** 2 + (j - my) ** 2);
    }
  return 2 * Math.sqrt(2 * Math.LN2) * Math.sqrt(m2 / s / 2);
}
