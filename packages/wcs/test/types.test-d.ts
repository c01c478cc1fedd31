/** Types of the public API: what goes in and what comes out. */
import { describe, expectTypeOf, it } from 'vitest';
import type { AstroError, ErrorLocation } from '@astro/core';
import { Wcs, WcsError, WcsErrorCode, celestialToNative, nativeToCelestial } from '@astro/wcs';
import type {
  CoordinateInput,
  FootprintOptions,
  HeaderLike,
  PixelCoordinates,
  WcsProjection,
  WorldCoordinates,
} from '@astro/wcs';

describe('public types', () => {
  it('fromHeader takes any object with get(key); location is optional', () => {
    expectTypeOf(Wcs.fromHeader).parameter(0).toEqualTypeOf<HeaderLike>();
    expectTypeOf(Wcs.fromHeader).returns.toEqualTypeOf<Wcs>();
    expectTypeOf({ get: (_key: string) => 1 as unknown }).toMatchTypeOf<HeaderLike>();
    expectTypeOf(new Map<string, number>()).toMatchTypeOf<HeaderLike>();
    // the shape of @astro/fits-io's FitsHeader (get returning its value union, a FitsLocation)
    expectTypeOf<{
      get(key: string): string | number | bigint | boolean | undefined;
      readonly location: { file?: string; hdu?: number; card?: string; column?: string; row?: number; tile?: number; offset?: number };
    }>().toMatchTypeOf<HeaderLike>();
    expectTypeOf<HeaderLike['location']>().toEqualTypeOf<ErrorLocation | undefined>();
    expectTypeOf<{ location: ErrorLocation }>().not.toMatchTypeOf<HeaderLike>();
  });

  it('conversions take numbers or arrays and return Float64Arrays', () => {
    expectTypeOf<number>().toMatchTypeOf<CoordinateInput>();
    expectTypeOf<Float32Array>().toMatchTypeOf<CoordinateInput>();
    expectTypeOf<number[]>().toMatchTypeOf<CoordinateInput>();
    expectTypeOf<string>().not.toMatchTypeOf<CoordinateInput>();
    expectTypeOf<Wcs['pixelToWorld']>().returns.toEqualTypeOf<WorldCoordinates>();
    expectTypeOf<Wcs['worldToPixel']>().returns.toEqualTypeOf<PixelCoordinates>();
    expectTypeOf<WorldCoordinates>().toEqualTypeOf<{ ra: Float64Array; dec: Float64Array }>();
    expectTypeOf<PixelCoordinates>().toEqualTypeOf<{ x: Float64Array; y: Float64Array }>();
    expectTypeOf<Wcs['footprint']>().parameter(0).toEqualTypeOf<FootprintOptions | undefined>();
    expectTypeOf(nativeToCelestial).returns.toEqualTypeOf<[number, number]>();
    expectTypeOf(celestialToNative).parameters.toEqualTypeOf<[number, number, number, number, number]>();
  });

  it('properties are typed tuples and literal unions', () => {
    expectTypeOf<Wcs['projection']>().toEqualTypeOf<WcsProjection>();
    expectTypeOf<WcsProjection>().toEqualTypeOf<'TAN' | 'SIN' | 'ZEA' | 'ARC' | 'ZPN' | 'TPV'>();
    expectTypeOf<Wcs['crpix']>().toEqualTypeOf<[number, number]>();
    expectTypeOf<Wcs['cd']>().toEqualTypeOf<readonly [number, number, number, number]>();
    expectTypeOf<Wcs['lngAxis']>().toEqualTypeOf<0 | 1>();
  });

  it('errors: WcsError is an AstroError whose code is a WcsErrorCode', () => {
    expectTypeOf<WcsError>().toMatchTypeOf<AstroError>();
    expectTypeOf<WcsError['code']>().toEqualTypeOf<WcsErrorCode>();
    expectTypeOf<WcsErrorCode>().toEqualTypeOf<'WCS_BAD_KEYWORD' | 'WCS_UNSUPPORTED'>();
    expectTypeOf(WcsErrorCode.unsupported).toEqualTypeOf<'WCS_UNSUPPORTED'>();
  });
});
