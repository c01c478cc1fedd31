import { PhotometryError } from '../errors.js';
import { momentFwhm, renderGrid } from '../internal/psf/grid.js';
import type { PsfModel, PsfStamp, PsfStampOptions } from './types.js';

/** Explicit PSF centre in PSF pixel coordinates (0 = centre of the first PSF pixel). */
export interface PsfCenter {
  /** Column coordinate. */
  x: number;
  /** Row coordinate. */
  y: number;
}

/** Options of {@link createImagePsf}. */
export interface ImagePsfOptions {
  /** PSF pixel values, row-major, x fastest (copied). */
  data: ArrayLike<number>;
  /** Width of the PSF image (odd or even). */
  width: number;
  /** Height of the PSF image (odd or even). */
  height: number;
  /**
   * Step of the PSF grid in image pixels (default 1; 0.5 = sampled 2x finer
   * than the image, PSFEx's PSF_SAMP). As in PSFEx, each grid value is the
   * pixel-convolved PSF: the flux an image pixel centred there collects.
   */
  sampling?: number;
  /**
   * Where the PSF centre is, in PSF pixel coordinates: `'geometric'`
   * (default, `((w-1)/2, (h-1)/2)`: the middle pixel for odd sizes, between
   * the two middle pixels for even sizes), `'half'` (`(floor(w/2),
   * floor(h/2))`, PSFEx's convention), `'centroid'` (first moment), or
   * explicit coordinates.
   */
  center?: 'geometric' | 'half' | 'centroid' | PsfCenter;
  /** FWHM in image pixels when known (otherwise estimated from the second moments). */
  fwhm?: number;
  /** Label used in error messages (e.g. the file name). */
  source?: string;
}

/** A pixelized PSF, shifted and resampled with Lanczos-3. */
export class ImagePsf implements PsfModel {
  readonly kind: 'image' | 'psfex' = 'image';
  /** FWHM in image pixels. */
  readonly fwhm: number;
  /** PSF pixel values (a copy), row-major. */
  readonly data: Float64Array;
  /** PSF image width. */
  readonly width: number;
  /** PSF image height. */
  readonly height: number;
  /** PSF pixel size in image pixels. */
  readonly sampling: number;
  /** PSF centre (x) in PSF pixel coordinates. */
  readonly centerX: number;
  /** PSF centre (y) in PSF pixel coordinates. */
  readonly centerY: number;

  /** @internal use {@link createImagePsf}. */
  constructor(data: Float64Array, width: number, height: number, sampling: number, cx: number, cy: number, fwhm: number) {
    this.data = data;
    this.width = width;
    this.height = height;
    this.sampling = sampling;
    this.centerX = cx;
    this.centerY = cy;
    this.fwhm = fwhm;
  }

  /**
   * Render a stamp: each stamp pixel centre is mapped to PSF-grid
   * coordinates and interpolated with Lanczos-3; values are scaled by the
   * ratio of pixel areas, so with `normalize: false` and the same sampling
   * a zero shift returns the PSF image itself.
   */
  evaluate(options: PsfStampOptions = {}): PsfStamp {
    return renderGrid(this.data, this.width, this.height, this.sampling, this.centerX, this.centerY, options, 'image');
  }
}

/** Validate a PSF grid and resolve its centre. */
function resolveGrid(
  options: ImagePsfOptions,
  kind: string,
): { data: Float64Array; cx: number; cy: number; sampling: number } {
  const { width: w, height: h } = options;
  const where = options.source ? `${kind} PSF ${options.source}` : `${kind} PSF`;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    throw new PhotometryError(`${where}: size ${w}x${h} is not valid`, { code: 'PSF_BAD_MODEL' });
  }
  if (options.data.length !== w * h) {
    throw new PhotometryError(`${where}: ${options.data.length} values for a ${w}x${h} image`, { code: 'PSF_BAD_MODEL' });
  }
  const sampling = options.sampling ?? 1;
  if (!(sampling > 0) || !Number.isFinite(sampling)) {
    throw new PhotometryError(`${where}: sampling = ${sampling} (need a finite value > 0)`, { code: 'PSF_BAD_MODEL' });
  }
  const data = Float64Array.from(options.data);
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new PhotometryError(`${where}: pixel (${i % w}, ${Math.floor(i / w)}) is ${data[i]} (a PSF must be finite)`, {
        code: 'PSF_BAD_MODEL',
      });
    }
    sum += data[i];
  }
  if (!(sum > 0)) {
    throw new PhotometryError(`${where}: the pixels sum to ${sum} (need a positive total)`, { code: 'PSF_BAD_MODEL' });
  }
  const c = options.center ?? 'geometric';
  let cx: number;
  let cy: number;
  if (c === 'geometric') {
    cx = (w - 1) / 2;
    cy = (h - 1) / 2;
  } else if (c === 'half') {
    cx = Math.floor(w / 2);
    cy = Math.floor(h / 2);
  } else if (c === 'centroid') {
    let sx = 0;
    let sy = 0;
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) {
      sx += data[j * w + i] * i;
      sy += data[j * w + i] * j;
    }
    cx = sx / sum;
    cy = sy / sum;
  } else {
    cx = c.x;
    cy = c.y;
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) {
      throw new PhotometryError(`${where}: centre (${cx}, ${cy}) is not finite`, { code: 'PSF_BAD_MODEL' });
    }
  }
  return { data, cx, cy, sampling };
}

/**
 * A pixelized PSF from an image (any size, odd or even). The values are
 * copied; sub-pixel shifts and resampling use Lanczos-3. Throws
 * {@link PhotometryError} (`PSF_BAD_MODEL`) for a size mismatch, non-finite
 * pixels or a non-positive total.
 */
export function createImagePsf(options: ImagePsfOptions): ImagePsf {
  const { data, cx, cy, sampling } = resolveGrid(options, 'image');
  const fwhm = options.fwhm ?? momentFwhm(data, options.width, options.height) * sampling;
  return new ImagePsf(data, options.width, options.height, sampling, cx, cy, fwhm);
}
