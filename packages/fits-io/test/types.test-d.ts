/** Type tests of the generic and derived exports (valibot's `*.test-d.ts`). */
import { describe, expectTypeOf, it } from 'vitest';
import type { AstroWarning, Dtype, DtypeArray, Image } from '@astro/core';
import { FitsErrorCode, FitsWarningCode, readFits, toImage } from '@astro/fits-io';
import type {
  ColumnData,
  FitsDtype,
  FitsFile,
  FitsHduInput,
  FitsImage,
  FitsTable,
  FitsTypedArray,
  FitsWarning,
  ImageHduInput,
} from '@astro/fits-io';
import { runFitsHeader, runFitsInfo } from '@astro/fits-io/cli';

describe('fits-io types', () => {
  it('FitsDtype and FitsTypedArray are core’s Dtype and DtypeArray', () => {
    expectTypeOf<FitsDtype>().toEqualTypeOf<Dtype>();
    expectTypeOf<FitsTypedArray>().toEqualTypeOf<DtypeArray>();
    expectTypeOf<FitsImage['data']>().toEqualTypeOf<DtypeArray>();
  });

  it('FitsErrorCode is both the table and the union of its values', () => {
    expectTypeOf(FitsErrorCode.truncated).toEqualTypeOf<'FITS_TRUNCATED'>();
    expectTypeOf<'FITS_BAD_TILE'>().toMatchTypeOf<FitsErrorCode>();
    // @ts-expect-error not a FITS error code
    expectTypeOf<'GWF_TRUNCATED'>().toMatchTypeOf<FitsErrorCode>();
  });

  it('warnings are AstroWarning data with a FITS code', () => {
    expectTypeOf<FitsWarning>().toMatchTypeOf<AstroWarning>();
    expectTypeOf<FitsWarning['code']>().toEqualTypeOf<FitsWarningCode>();
    expectTypeOf<FitsFile['warnings']>().toEqualTypeOf<FitsWarning[]>();
    expectTypeOf(FitsWarningCode.gzipInMemory).toEqualTypeOf<'FITS_GZIP_IN_MEMORY'>();
  });

  it('reading gives FitsFile, FitsImage and tables; toImage gives a core Image', () => {
    expectTypeOf(readFits).returns.resolves.toEqualTypeOf<FitsFile>();
    expectTypeOf<ReturnType<FitsFile['hdus'][number]['readImage']>>().resolves.toEqualTypeOf<FitsImage>();
    expectTypeOf<ReturnType<FitsFile['hdus'][number]['readTableChunks']>>().toEqualTypeOf<AsyncGenerator<FitsTable, void, undefined>>();
    expectTypeOf<ReturnType<FitsTable['column']>>().toEqualTypeOf<ColumnData>();
    expectTypeOf(toImage).returns.toEqualTypeOf<Image>();
  });

  it('HDU inputs are a union discriminated by kind', () => {
    expectTypeOf<Extract<FitsHduInput, { kind: 'image' }>>().toEqualTypeOf<ImageHduInput>();
    expectTypeOf<FitsHduInput['kind']>().toEqualTypeOf<'image' | 'empty' | 'binary-table' | 'ascii-table'>();
  });

  it('CLIs are functions of their arguments resolving to the exit code', () => {
    expectTypeOf(runFitsInfo).parameters.toEqualTypeOf<[args?: string[]]>();
    expectTypeOf(runFitsInfo).returns.resolves.toEqualTypeOf<number>();
    expectTypeOf(runFitsHeader).returns.resolves.toEqualTypeOf<number>();
  });
});
