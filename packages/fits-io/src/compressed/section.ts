/**
 * Regions of a tile-compressed image: what a read with `section`/`plane`
 * asks for ({@link planRegion}), which tiles it touches ({@link tilesIn}) and
 * how a decoded tile lands in the region buffer ({@link copyTile}).
 */
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import type { ReadImageOptions } from '../image.js';
import type { CompressedImageLayout, StoredPixels } from './layout.js';

/** A box of an N-dimensional image: start and size per axis, FITS order (axis 1 first). */
export interface ImageRegion {
  /** Start of the wanted region per axis (FITS order). */
  start: number[];
  /** Size of the wanted region per axis. */
  size: number[];
}

/** The region (and result shape) a read asks for; undefined region = the whole image. */
export function planRegion(layout: CompressedImageLayout, options: ReadImageOptions, loc: FitsLocation): { region?: ImageRegion; shape: number[] } {
  const axes = layout.axes;
  const sec = options.section;
  if (sec === undefined && options.plane === undefined) return { shape: [...axes] };
  const nx = axes[0] ?? 0;
  const ny = axes.length > 1 ? axes[1] : 1;
  const planeCount = axes.slice(2).reduce((a, b) => a * b, 1);
  const s = sec ?? { x0: 0, y0: 0, width: nx, height: ny };
  const ok =
    [s.x0, s.y0, s.width, s.height].every((v) => Number.isInteger(v) && v >= 0) && s.x0 + s.width <= nx && s.y0 + s.height <= ny;
  if (!ok) {
    throw fitsError(loc, `section x0=${s.x0} y0=${s.y0} width=${s.width} height=${s.height} is outside the ${nx}x${ny} image`, FitsErrorCode.badRequest);
  }
  if (options.plane !== undefined && (!Number.isInteger(options.plane) || options.plane < 0 || options.plane >= planeCount)) {
    throw fitsError(loc, `plane ${options.plane} is outside 0..${planeCount - 1}`, FitsErrorCode.badRequest);
  }
  const startN = [s.x0, s.y0];
  const sizeN = [s.width, s.height];
  // higher axes: the whole range, or the one plane
  let rest = options.plane ?? 0;
  for (let i = 2; i < axes.length; i++) {
    if (options.plane !== undefined) {
      startN.push(rest % axes[i]);
      sizeN.push(1);
      rest = Math.floor(rest / axes[i]);
    } else {
      startN.push(0);
      sizeN.push(axes[i]);
    }
  }
  const shape = [s.width, s.height, ...(options.plane !== undefined ? [] : axes.slice(2))];
  if (axes.length === 1) shape.splice(1, 1);
  return { region: { start: startN.slice(0, axes.length), size: sizeN.slice(0, axes.length) }, shape };
}

/** Zero-based indices (table rows) of the tiles that intersect a region. */
export function tilesIn(layout: CompressedImageLayout, region: ImageRegion): number[] {
  const { axes, tile } = layout;
  const ndim = axes.length;
  if (ndim === 0 || region.size.some((n) => n === 0)) return [];
  const grid = axes.map((n, i) => Math.ceil(n / tile[i]));
  const lo = grid.map((_, i) => Math.floor(region.start[i] / tile[i]));
  const hi = grid.map((_, i) => Math.floor((region.start[i] + region.size[i] - 1) / tile[i]));
  const out: number[] = [];
  const g = lo.slice();
  for (;;) {
    let t = 0;
    for (let i = ndim - 1; i >= 0; i--) t = t * grid[i] + g[i];
    out.push(t);
    let i = 0;
    for (; i < ndim; i++) {
      if (g[i] < hi[i]) {
        g[i]++;
        break;
      }
      g[i] = lo[i];
    }
    if (i === ndim) return out;
  }
}

/**
 * Offset in the region buffer where a tile can be decoded in place: the tile
 * lies inside the region and its pixels are contiguous there (it spans the
 * region on every axis below the first partial one and has length 1 above).
 */
export function contiguousOffset(tdim: number[], t0: number[], start: number[], size: number[]): number | undefined {
  const ndim = tdim.length;
  for (let i = 0; i < ndim; i++) {
    if (t0[i] < start[i] || t0[i] + tdim[i] > start[i] + size[i]) return undefined;
  }
  let k = 0;
  while (k < ndim && tdim[k] === size[k]) k++;
  for (let i = k + 1; i < ndim; i++) if (tdim[i] !== 1) return undefined;
  let d = 0;
  for (let i = ndim - 1; i >= 0; i--) d = d * size[i] + (t0[i] - start[i]);
  return d;
}

/** Copy the part of a decoded tile (dims tdim at t0) that lies in the region into `dst`. */
export function copyTile(src: StoredPixels, tdim: number[], t0: number[], dst: StoredPixels, start: number[], size: number[]): void {
  const ndim = tdim.length;
  // intersection per axis
  const a = new Array<number>(ndim);
  const b = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    a[i] = Math.max(t0[i], start[i]);
    b[i] = Math.min(t0[i] + tdim[i], start[i] + size[i]);
    if (b[i] <= a[i]) return;
  }
  const rowLen = b[0] - a[0];
  const idx = a.slice();
  for (;;) {
    let s = 0;
    let d = 0;
    for (let i = ndim - 1; i >= 0; i--) {
      s = s * tdim[i] + (idx[i] - t0[i]);
      d = d * size[i] + (idx[i] - start[i]);
    }
    (dst as Float64Array).set((src as Float64Array).subarray(s, s + rowLen), d);
    let i = 1;
    for (; i < ndim; i++) {
      if (idx[i] + 1 < b[i]) {
        idx[i]++;
        break;
      }
      idx[i] = a[i];
    }
    if (i >= ndim) break;
  }
}
