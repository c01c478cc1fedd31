/**
 * Type tests of the image inputs (core's ImageLike and Image of either float
 * type), the deprecated input aliases, the error codes and the catalogue
 * column types.
 */
import type { Image, ImageLike } from '@astro/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  PhotometryErrorCode,
  estimateBackground,
  extractSources,
  medianFilter,
  sumCircle,
} from '@astro/photometry';
import type {
  ApertureImage,
  BackgroundInput,
  ExtractInput,
  SourceCatalog,
} from '@astro/photometry';

describe('image inputs', () => {
  it('Image<Float32Array> and Image<Float64Array> are accepted everywhere; integer data is not', () => {
    const f32: Image<Float32Array> = { data: new Float32Array(4), width: 2, height: 2 };
    const f64: Image<Float64Array> = { data: new Float64Array(4), width: 2, height: 2 };
    expectTypeOf(extractSources).parameter(0).toEqualTypeOf<ImageLike>();
    expectTypeOf(estimateBackground).parameter(0).toEqualTypeOf<ImageLike>();
    expectTypeOf(f32).toMatchTypeOf<ImageLike>();
    expectTypeOf(f64).toMatchTypeOf<ApertureImage>();
    expectTypeOf(sumCircle).parameter(0).toEqualTypeOf<ApertureImage>();
    // @ts-expect-error integer pixels are not an ImageData
    extractSources({ data: new Int16Array(4), width: 2, height: 2 }, 1);
  });

  it('the deprecated aliases are core ImageLike; ApertureImage adds the variance', () => {
    expectTypeOf<ExtractInput>().toEqualTypeOf<ImageLike>();
    expectTypeOf<BackgroundInput>().toEqualTypeOf<ImageLike>();
    expectTypeOf<ApertureImage>().toEqualTypeOf<ImageLike & Pick<Image, 'variance'>>();
  });
});

describe('error codes and catalogue', () => {
  it('PhotometryErrorCode is the union of the code strings', () => {
    expectTypeOf<PhotometryErrorCode>().toEqualTypeOf<
      'PHOT_BAD_ARGUMENT' | 'PHOT_SIZE_MISMATCH' | 'PSF_BAD_MODEL' | 'PSF_BAD_CONTEXT' | 'PSF_READ'
    >();
    expectTypeOf(PhotometryErrorCode.sizeMismatch).toEqualTypeOf<'PHOT_SIZE_MISMATCH'>();
  });

  it('catalogue columns keep SEP types; medianFilter (from @astro/image) returns Float64Array', () => {
    expectTypeOf<SourceCatalog['x']>().toEqualTypeOf<Float64Array>();
    expectTypeOf<SourceCatalog['flux']>().toEqualTypeOf<Float32Array>();
    expectTypeOf<SourceCatalog['flag']>().toEqualTypeOf<Uint16Array>();
    expectTypeOf(medianFilter).returns.toEqualTypeOf<Float64Array>();
  });
});
