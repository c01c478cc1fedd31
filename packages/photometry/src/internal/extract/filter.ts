/**
 * Detection filters, one image row at a time (SEP's convolve.c): plain
 * convolution and the matched filter with per-pixel noise. Pixels outside
 * the image contribute nothing (the kernel is cut at the edges). Arithmetic
 * is float32 in SEP's order, so thresholds see the same values as SEP's.
 */
import { f32 } from './float32.js';

/**
 * Convolve row `y` of `img` (`w` x `h`, float32) with `kernel` (`kw` x `kh`,
 * already normalised) into `out` (length >= w).
 */
export function convolveRow(
  img: Float32Array,
  w: number,
  h: number,
  y: number,
  kernel: Float32Array,
  kw: number,
  kh: number,
  out: Float32Array,
): void {
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
 * Matched filter of row `y`: sum(k f / v) / sqrt(sum(k^2 / v)) with `v` the
 * variance (from `noise`: a standard deviation when `noiseIsStd`, else a
 * variance); terms with zero variance are skipped. `work` is scratch of
 * length >= w.
 */
export function matchedFilterRow(
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
