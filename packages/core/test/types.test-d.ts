import { describe, expectTypeOf, it } from 'vitest';
import {
  DTYPE_ARRAY,
  dtypeOf,
  viewAs,
  type ArrayOfDtype,
  type Dtype,
  type Image,
  type ImageLike,
  type TimeSeries,
} from '@astro/core';

describe('core generic types', () => {
  it('Image<T> keeps its pixel type; ImageLike is what computations need of it', () => {
    expectTypeOf<Image<Float32Array>['data']>().toEqualTypeOf<Float32Array>();
    expectTypeOf<Image['data']>().toEqualTypeOf<Float32Array | Float64Array>();
    expectTypeOf<Image<Float64Array>>().toMatchTypeOf<ImageLike<Float64Array>>();
    expectTypeOf<ImageLike>().not.toHaveProperty('header');
    // @ts-expect-error integer pixels are not an Image
    expectTypeOf<Image<Int16Array>>().toBeObject();
  });

  it('TimeSeries<T> keeps its sample type', () => {
    expectTypeOf<TimeSeries<Int16Array>['data']>().toEqualTypeOf<Int16Array>();
    expectTypeOf<TimeSeries['t0Gps']>().toEqualTypeOf<bigint>();
  });

  it('viewAs returns the constructor type; the dtype table maps names to arrays', () => {
    expectTypeOf(viewAs(Float32Array, new Uint8Array(8))).toMatchTypeOf<Float32Array>();
    // @ts-expect-error a Float32Array view is not an Int32Array
    expectTypeOf(viewAs(Float32Array, new Uint8Array(8))).toEqualTypeOf<Int32Array>();
    expectTypeOf(new DTYPE_ARRAY.int64(1)).toEqualTypeOf<BigInt64Array>();
    expectTypeOf<ArrayOfDtype<'uint16'>>().toEqualTypeOf<Uint16Array>();
    expectTypeOf(dtypeOf).returns.toEqualTypeOf<Dtype | undefined>();
  });
});
