/**
 * L.A.Cosmic cosmic-ray detection and cleaning (van Dokkum 2001, PASP 113,
 * 1420): Laplacian edge detection on the 2x subsampled image, a noise model
 * from the 5x5 median, a fine-structure image to spare stars, neighbour
 * growth, and cleaning by the median of the surrounding good pixels.
 */
import type { ImageData } from '@astro/core';
import { median, medianFilter } from '@astro/image';
import { PhotometryError } from './errors.js';

/** Options of {@link detectCosmicRays}; defaults as astroscrappy / cosmics.py. */
export interface CosmicRayOptions {
  /** Laplacian-to-noise limit for cosmic-ray detection (default 4.5). */
  sigclip?: number;
  /** Fraction of `sigclip` used as the limit for neighbouring pixels (default 0.3). */
  sigfrac?: number;
  /** Minimum contrast between the Laplacian image and the fine-structure image (default 5). */
  objlim?: number;
  /** Gain in electrons per data unit (default 1). */
  gain?: number;
  /** Read noise in electrons (default 6.5). */
  readnoise?: number;
  /** Saturation level in data units: pixels at or above it are never flagged (default Infinity). */
  satlevel?: number;
  /** Maximum number of detect/clean iterations (default 4). */
  niter?: number;
  /** Sky level already subtracted from the data (data units): added back for the noise model (default 0). */
  sky?: number | ImageData;
  /** Pixels to ignore (non-zero = bad): never flagged, not used for cleaning. */
  mask?: Uint8Array;
  /** Called after each iteration. */
  onProgress?: (progress: { done: number; total: number; unit: 'iterations' }) => void;
}

/** Result of {@link detectCosmicRays}. */
export interface CosmicRayResult {
  /** 1 where a cosmic ray was found, same layout as the data (new array). */
  mask: Uint8Array;
  /** A cleaned copy of the data (cosmic-ray pixels replaced by the median of their good 5x5 neighbours). */
  cleaned: Float64Array;
  /** Number of cosmic-ray pixels. */
  count: number;
  /** Iterations run. */
  iterations: number;
}

/** Positive part of the Laplacian of the 2x block-replicated image, rebinned (mean of 2x2). */
function laplacianPlus(img: Float64Array, w: number, h: number): Float64Array {
  const W = 2 * w;
  const H = 2 * h;
  // subsampled value at (X, Y) with symmetric edges
  const at = (X: number, Y: number): number => {
    const xx = X < 0 ? 0 : X >= W ? W - 1 : X;
    const yy = Y < 0 ? 0 : Y >= H ? H - 1 : Y;
    return img[(yy >> 1) * w + (xx >> 1)];
  };
  const out = new Float64Array(w * h);
  for (let Y = 0; Y < H; Y++) {
    for (let X = 0; X < W; X++) {
      const c = at(X, Y);
      const lap = 4 * c - at(X - 1, Y) - at(X + 1, Y) - at(X, Y - 1) - at(X, Y + 1);
      if (lap > 0) out[(Y >> 1) * w + (X >> 1)] += 0.25 * lap;
    }
  }
  return out;
}

function dilate3(src: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!src[y * w + x]) continue;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w) out[yy * w + xx] = 1;
        }
      }
    }
  return out;
}

/**
 * Find and clean cosmic rays with L.A.Cosmic. Data in data units with the
 * sky in (or give `sky`); `gain` and `readnoise` set the noise model.
 * NaN/Inf pixels are treated as masked. Pure: returns new arrays. Throws
 * {@link PhotometryError} for invalid parameters or sizes.
 */
export function detectCosmicRays(
  image: { data: ImageData; width: number; height: number },
  options: CosmicRayOptions = {},
): CosmicRayResult {
  const { data, width: w, height: h } = image;
  const n = w * h;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1 || data.length !== n) {
    throw new PhotometryError(`detectCosmicRays: image ${w}x${h} with ${data.length} values is not valid`, {
      code: 'PHOT_SIZE_MISMATCH',
    });
  }
  const sigclip = options.sigclip ?? 4.5;
  const sigfrac = options.sigfrac ?? 0.3;
  const objlim = options.objlim ?? 5;
  const gain = options.gain ?? 1;
  const readnoise = options.readnoise ?? 6.5;
  const satlevel = options.satlevel ?? Infinity;
  const niter = options.niter ?? 4;
  for (const [k, v] of [
    ['sigclip', sigclip],
    ['sigfrac', sigfrac],
    ['objlim', objlim],
    ['gain', gain],
  ] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new PhotometryError(`detectCosmicRays: ${k} = ${v} (need a finite value > 0)`);
  }
  if (!(readnoise >= 0) || !Number.isFinite(readnoise)) {
    throw new PhotometryError(`detectCosmicRays: readnoise = ${readnoise} (need a finite value >= 0)`);
  }
  if (!Number.isInteger(niter) || niter < 1 || niter > 100) {
    throw new PhotometryError(`detectCosmicRays: niter = ${niter} (need an integer in [1, 100])`);
  }
  const sky = options.sky ?? 0;
  if (typeof sky !== 'number' && sky.length !== n) {
    throw new PhotometryError(`detectCosmicRays: sky map has ${sky.length} values, image has ${n}`, { code: 'PHOT_SIZE_MISMATCH' });
  }
  if (options.mask !== undefined && options.mask.length !== n) {
    throw new PhotometryError(`detectCosmicRays: mask has ${options.mask.length} values, image has ${n}`, {
      code: 'PHOT_SIZE_MISMATCH',
    });
  }

  // Work on data + sky; bad pixels (mask, NaN/Inf) get the median of good values.
  const bad = new Uint8Array(n);
  const work = new Float64Array(n);
  const good: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = data[i] + (typeof sky === 'number' ? sky : sky[i]);
    if (!Number.isFinite(v) || (options.mask !== undefined && options.mask[i] !== 0)) bad[i] = 1;
    else good.push(v);
    work[i] = v;
  }
  good.sort((a, b) => a - b);
  const fill = good.length > 0 ? good[good.length >> 1] : 0;
  for (let i = 0; i < n; i++) if (bad[i]) work[i] = fill;

  const crmask = new Uint8Array(n);
  const sigcliplow = sigclip * sigfrac;
  let iterations = 0;
  for (let it = 0; it < niter; it++) {
    iterations++;
    const lplus = laplacianPlus(work, w, h);
    const m5 = medianFilter(work, w, h, 5);
    const noise = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = Math.max(m5[i], 1e-5);
      noise[i] = Math.sqrt(gain * m + readnoise * readnoise) / gain;
    }
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = lplus[i] / (2 * noise[i]);
    const sm = medianFilter(s, w, h, 5);
    const sp = new Float64Array(n);
    for (let i = 0; i < n; i++) sp[i] = s[i] - sm[i];
    const m3 = medianFilter(work, w, h, 3);
    const m37 = medianFilter(m3, w, h, 7);
    const cand = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!(sp[i] > sigclip) || bad[i] || data[i] >= satlevel) continue;
      let f = (m3[i] - m37[i]) / noise[i];
      if (f < 0.01) f = 0.01;
      if (sp[i] / f > objlim) cand[i] = 1;
    }
    const grow = dilate3(cand, w, h);
    for (let i = 0; i < n; i++) grow[i] = grow[i] && sp[i] > sigclip && !bad[i] && data[i] < satlevel ? 1 : 0;
    const fin = dilate3(grow, w, h);
    let added = 0;
    for (let i = 0; i < n; i++) {
      if (fin[i] && sp[i] > sigcliplow && !bad[i] && data[i] < satlevel && !crmask[i]) {
        crmask[i] = 1;
        added++;
      }
    }
    options.onProgress?.({ done: it + 1, total: niter, unit: 'iterations' });
    if (added === 0) break;
    cleanInPlace(work, crmask, bad, w, h, fill);
  }
  // Output: cleaned original data (sky not added), cosmic pixels replaced.
  const cleaned = Float64Array.from(data);
  let count = 0;
  const offsetSky = (i: number) => (typeof sky === 'number' ? sky : sky[i]);
  for (let i = 0; i < n; i++) {
    if (crmask[i]) {
      count++;
      cleaned[i] = work[i] - offsetSky(i);
    }
  }
  return { mask: crmask, cleaned, count, iterations };
}

/** Replace flagged pixels by the median of the unflagged, good pixels in their 5x5 box. */
function cleanInPlace(work: Float64Array, cr: Uint8Array, bad: Uint8Array, w: number, h: number, fill: number): void {
  const vals = new Float64Array(25);
  const src = Float64Array.from(work);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!cr[i]) continue;
      let m = 0;
      for (let dy = -2; dy <= 2; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const k = yy * w + xx;
          if (!cr[k] && !bad[k]) vals[m++] = src[k];
        }
      }
      work[i] = m > 0 ? median(vals.subarray(0, m)) : fill;
    }
}
