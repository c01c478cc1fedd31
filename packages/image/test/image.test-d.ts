/** Type tests of the generic exports: toNdarray keeps the data type, fromNdarray's overloads. */
import type { Image } from '@astro/core';
import type { NdArray } from 'ndarray';
import ndarray from 'ndarray';
import { describe, expectTypeOf, it } from 'vitest';
import { fromNdarray, median, sigmaClip, toNdarray } from '@astro/image';
import type { Kernel, SigmaClipResult } from '@astro/image';

describe('ndarray views', () => {
  it('toNdarray keeps the element type of the image', () => {
    expectTypeOf(toNdarray({ data: new Float32Array(4), width: 2, height: 2 })).toEqualTypeOf<NdArray<Float32Array<ArrayBuffer>>>();
    expectTypeOf(toNdarray({ data: new Float64Array(4), width: 2, height: 2 })).toEqualTypeOf<NdArray<Float64Array<ArrayBuffer>>>();
    // integer images are not images
    // @ts-expect-error Int16Array is not an ImageData
    toNdarray({ data: new Int16Array(4), width: 2, height: 2 });
  });

  it('fromNdarray: float32 and float64 ndarrays give images of that type, others a union', () => {
    expectTypeOf(fromNdarray(ndarray(new Float32Array(4), [2, 2]))).toEqualTypeOf<Image<Float32Array>>();
    expectTypeOf(fromNdarray(ndarray(new Float64Array(4), [2, 2]))).toEqualTypeOf<Image<Float64Array>>();
    expectTypeOf(fromNdarray(ndarray(new Int16Array(4), [2, 2]))).toEqualTypeOf<Image<Float32Array> | Image<Float64Array>>();
  });
});

describe('statistics and kernels', () => {
  it('accept any numeric array-like and return numbers', () => {
    expectTypeOf(median).parameter(0).toEqualTypeOf<ArrayLike<number>>();
    expectTypeOf(median([1, 2])).toBeNumber();
    expectTypeOf(sigmaClip(new Float32Array(2))).toEqualTypeOf<SigmaClipResult>();
    expectTypeOf<Kernel['data']>().toEqualTypeOf<Float32Array>();
  });
});
