import type { Image } from '@astro/core';
import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsLocation } from './errors.js';
import type { FitsHeader } from './header.js';
import type { FitsImage } from './image.js';

/** Options of {@link toImage}. */
export interface ToImageOptions {
  /** Header to attach as `image.header`. */
  header?: FitsHeader;
  /** Where the pixels came from, for the error message of a non-2-D image. */
  location?: FitsLocation;
}

/**
 * The `@astro/core` `Image` of a 2-D FITS image (`width` = NAXIS1,
 * `height` = NAXIS2, `data[y * width + x]`). Float data are used as they are
 * (no copy); integers are converted once to Float32Array (8 and 16 bit, exact)
 * or Float64Array (32 and 64 bit). Throws {@link FitsFormatError} when the
 * image is not 2-D.
 */
export function toImage(img: FitsImage, options: ToImageOptions = {}): Image {
  if (img.shape.length !== 2) {
    throw fitsError(options.location ?? {}, `image has shape [${img.shape.join(', ')}]; a 2-D image is needed (read a plane or a section)`, FitsErrorCode.badRequest);
  }
  const [width, height] = img.shape;
  const d = img.data;
  let data: Float32Array | Float64Array;
  if (d instanceof Float32Array || d instanceof Float64Array) data = d;
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array) data = Float64Array.from(d, (v) => Number(v));
  else if (d instanceof Int32Array || d instanceof Uint32Array) data = Float64Array.from(d);
  else data = Float32Array.from(d);
  return { data, width, height, header: options.header };
}
