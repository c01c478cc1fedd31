/** The mesh grid of a background: bad meshes replaced, median-filtered, global values (SEP's filterback). */
import { median } from '@astro/image';
import { BIG as SEP_BIG } from '../extract/float32.js';

const f32 = Math.fround;
const BIG = SEP_BIG;

export /**
 * Replace bad meshes, median-filter the grid in place and return the global
 * values (SEP's filterback).
 */
function filterMeshes(
  back: Float32Array,
  sigma: Float32Array,
  nx: number,
  ny: number,
  fw: number,
  fh: number,
  fthresh: number,
): { globalBack: number; globalRms: number } {
  const np = nx * ny;
  const back2 = new Float32Array(np);
  const sigma2 = new Float32Array(np);
  // bad meshes: mean of the nearest good ones (all at the same distance)
  for (let py = 0, i = 0; py < ny; py++) {
    for (let px = 0; px < nx; px++, i++) {
      back2[i] = back[i];
      if (back[i] > -BIG) continue;
      let d2min = BIG;
      let nmin = 0;
      let val = 0;
      let sval = 0;
      for (let y = 0, jj = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++, jj++) {
          if (!(back[jj] > -BIG)) continue;
          const d2 = f32((x - px) * (x - px) + (y - py) * (y - py));
          if (d2 < d2min) {
            val = back[jj];
            sval = sigma[jj];
            nmin = 1;
            d2min = d2;
          } else if (d2 === d2min) {
            val = f32(val + back[jj]);
            sval = f32(sval + sigma[jj]);
            nmin++;
          }
        }
      }
      back2[i] = nmin ? f32(val / nmin) : 0;
      sigma[i] = nmin ? f32(sval / nmin) : 1;
    }
  }
  back.set(back2);

  const npx = fw >> 1;
  const npy = fh >> 1;
  const bmask = new Float32Array((2 * npx + 1) * (2 * npy + 1));
  const smask = new Float32Array(bmask.length);
  for (let py = 0; py < ny; py++) {
    let npy2 = Math.min(npy, ny - py - 1, py);
    if (npy2 < 0) npy2 = 0;
    for (let px = 0; px < nx; px++) {
      let npx2 = Math.min(npx, nx - px - 1, px);
      if (npx2 < 0) npx2 = 0;
      let n = 0;
      for (let dy = -npy2; dy <= npy2; dy++) {
        const row = (py + dy) * nx;
        for (let dx = -npx2; dx <= npx2; dx++) {
          bmask[n] = back[row + px + dx];
          smask[n++] = sigma[row + px + dx];
        }
      }
      const k = py * nx + px;
      const med = median(bmask.subarray(0, n));
      if (Math.abs(f32(med - back[k])) >= fthresh) {
        back2[k] = med;
        sigma2[k] = median(smask.subarray(0, n));
      } else {
        back2[k] = back[k];
        sigma2[k] = sigma[k];
      }
    }
  }
  back.set(back2);
  sigma.set(sigma2);
  const globalBack = median(back2);
  let globalRms = median(sigma2);
  if (globalRms <= 0) {
    // median of the positive values, 1 when there are none (or all are)
    const positive = sigma2.filter((v) => v > 0);
    globalRms = positive.length > 0 && positive.length < np ? median(positive) : 1;
  }
  return { globalBack, globalRms };
}
