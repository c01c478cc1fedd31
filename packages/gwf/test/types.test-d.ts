import { describe, expectTypeOf, it } from 'vitest';
import type { DtypeArray, TimeSeries } from '@astro/core';
import { GwfErrorCode, readChannel, readChannels } from '@astro/gwf';
import type { GwfSamples, GwfSeries, ReadChannelsOptions } from '@astro/gwf';

const files = ['a.gwf'];
const interval = { gpsStart: 1e9, gpsEnd: 1e9 + 10 };

describe('gwf generic types', () => {
  it('GwfSeries is a TimeSeries of GWF samples, narrowed by its parameter', () => {
    expectTypeOf<GwfSamples>().toEqualTypeOf<DtypeArray>();
    expectTypeOf<GwfSeries>().toMatchTypeOf<TimeSeries<GwfSamples>>();
    expectTypeOf<GwfSeries['data']>().toEqualTypeOf<GwfSamples>();
    expectTypeOf<GwfSeries<Float32Array>['data']>().toEqualTypeOf<Float32Array>();
    expectTypeOf<GwfSeries['t0Gps']>().toEqualTypeOf<bigint>();
    expectTypeOf<GwfSeries['gaps'][number]>().toEqualTypeOf<{ startGps: bigint; endGps: bigint; samples: number }>();
    expectTypeOf<GwfSeries['kind']>().toEqualTypeOf<'adc' | 'proc' | 'sim' | 'ser'>();
    // @ts-expect-error a GwfSeries holds numeric typed arrays, not strings
    expectTypeOf<GwfSeries<string[]>>().toBeObject();
  });

  it('readChannels: the sample type follows applyCalibration and padGaps', () => {
    expectTypeOf(readChannels(files, ['X'], interval)).resolves.toEqualTypeOf<GwfSeries[]>();
    expectTypeOf(readChannels(files, ['X'], { ...interval, applyCalibration: true })).resolves.toEqualTypeOf<GwfSeries<Float64Array>[]>();
    expectTypeOf(readChannels(files, ['X'], { ...interval, padGaps: true })).resolves.toEqualTypeOf<
      GwfSeries<Float32Array | Float64Array>[]
    >();
    expectTypeOf(readChannels(files, ['X'], { ...interval, padGaps: true, applyCalibration: true })).resolves.toEqualTypeOf<
      GwfSeries<Float64Array>[]
    >();
    // a boolean that is not known to be true gives the general type
    const options: ReadChannelsOptions = { ...interval, padGaps: Math.random() > 0.5 };
    expectTypeOf(readChannels(files, ['X'], options)).resolves.toEqualTypeOf<GwfSeries[]>();
    // @ts-expect-error the interval is required
    void readChannels(files, ['X'], { padGaps: true });
  });

  it('readChannel has the same overloads for one channel', () => {
    expectTypeOf(readChannel(files, 'X', interval)).resolves.toEqualTypeOf<GwfSeries>();
    expectTypeOf(readChannel(files, 'X', { ...interval, applyCalibration: true })).resolves.toEqualTypeOf<GwfSeries<Float64Array>>();
    expectTypeOf(readChannel(files, 'X', { ...interval, padGaps: true })).resolves.toEqualTypeOf<GwfSeries<Float32Array | Float64Array>>();
  });

  it('GwfErrorCode: one const, its type derived from it', () => {
    expectTypeOf(GwfErrorCode.TRUNCATED).toEqualTypeOf<'GWF_TRUNCATED'>();
    expectTypeOf<GwfErrorCode>().toEqualTypeOf<(typeof GwfErrorCode)[keyof typeof GwfErrorCode]>();
    expectTypeOf<'GWF_IO'>().toMatchTypeOf<GwfErrorCode>();
    expectTypeOf<'FITS_TRUNCATED'>().not.toMatchTypeOf<GwfErrorCode>();
  });
});
