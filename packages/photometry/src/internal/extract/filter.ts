/**
 * Detection filters, one image row at a time (SEP's convolve.c): plain
 * convolution and the matched filter with per-pixel noise. Pixels outside
 * the image contribute nothing (the kernel is cut at the edges). Arithmetic
 * is float32 in SEP's order, so thresholds see the same values as SEP's.
 */

// Math.fround as a module-local constant: hot loops must not read imported
// bindings (test runners turn those into getter calls on every use).
const f32 = Math.fround;

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
