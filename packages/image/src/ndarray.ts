/**
 * Views between `Image` and scijs `ndarray` (shape [height, width], as numpy
 * orders a FITS image), so ndarray-ops, ndarray-fft and friends work on our
 * images without copying.
 */
import type { Image, ImageData, ImageLike } from '@astro/core';
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import ops from 'ndarray-ops';
import { checkSize, fail } from './internal/check.js';

/**
 * The image as an ndarray of shape `[height, width]`, strides `[width, 1]`:
 * a view on `image.data` (no copy; writes through the ndarray change the
 * image). `get(y, x)` is pixel (x, y). The mask is not carried.
 *
 * @throws ImageError when the size does not match the data.
 */
export function toNdarray<T extends ImageData>(image: ImageLike<T>): NdArray<T> {
  const { data, width, height } = image;
  checkSize('toNdarray', width, height, data.length);
  return ndarray(data, [height, width], [width, 1], 0);
}

/**
 * An image from a two-dimensional ndarray of shape `[height, width]`.
 *
 * - A view (no copy) when the ndarray is a contiguous row-major float array:
 *   `data` a Float32Array or Float64Array, strides `[width, 1]` (any
 *   offset): `image.data` is a `subarray` of the ndarray's data.
 * - Otherwise one copy, in row-major order: into a Float32Array for
 *   Float32Array data, else into a Float64Array (integer typed arrays,
 *   plain arrays, transposed, stepped or sliced views).
 *
 * @throws ImageError when the ndarray is not two-dimensional or has a zero
 *   dimension.
 */
export function fromNdarray(array: NdArray<Float32Array>): Image<Float32Array>;
export function fromNdarray(array: NdArray<Float64Array>): Image<Float64Array>;
export function fromNdarray(array: NdArray): Image<Float32Array> | Image<Float64Array>;
export function fromNdarray(array: NdArray): Image<Float32Array> | Image<Float64Array> {
  if (array.shape.length !== 2) fail('fromNdarray', `ndarray has ${array.shape.length} dimensions, an image needs 2`);
  const [height, width] = array.shape;
  if (!(width >= 1) || !(height >= 1)) fail('fromNdarray', `shape [${height}, ${width}] has no pixel`);
  const { data, stride, offset } = array;
  const float = data instanceof Float32Array || data instanceof Float64Array;
  if (float && (stride[1] === 1 || width === 1) && (stride[0] === width || height === 1)) {
    const view = data.subarray(offset, offset + width * height);
    return view instanceof Float32Array ? { data: view, width, height } : { data: view, width, height };
  }
  const out = data instanceof Float32Array ? new Float32Array(width * height) : new Float64Array(width * height);
  ops.assign(ndarray(out, [height, width], [width, 1], 0), array);
  return out instanceof Float32Array ? { data: out, width, height } : { data: out, width, height };
}
