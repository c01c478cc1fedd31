import { describe, expectTypeOf, it } from 'vitest';
import { coveragePlot, lightCurvePlot, PlotError, PlotErrorCode, renderVegaLite } from '@astro/plot';
import type { CoverageData, LightCurvePoint, PlotFormat, RenderedPlot, RenderOptions, VegaLiteSpec } from '@astro/plot';

describe('renderVegaLite', () => {
  it('resolves to SVG text or PNG bytes by the format', () => {
    const spec = {} as VegaLiteSpec;
    expectTypeOf(renderVegaLite(spec, { format: 'svg' })).resolves.toEqualTypeOf<string>();
    expectTypeOf(renderVegaLite(spec, { format: 'png', scale: 3 })).resolves.toEqualTypeOf<Uint8Array>();
    const format = 'png' as PlotFormat;
    expectTypeOf(renderVegaLite(spec, { format })).resolves.toEqualTypeOf<string | Uint8Array>();
    expectTypeOf<RenderedPlot<'svg'>>().toEqualTypeOf<string>();
  });

  it('needs a format and rejects unknown ones', () => {
    const spec = {} as VegaLiteSpec;
    // @ts-expect-error format is required
    void renderVegaLite(spec, {});
    // @ts-expect-error gif is not a format
    void renderVegaLite(spec, { format: 'gif' });
    expectTypeOf<RenderOptions['onWarning']>().toEqualTypeOf<((message: string) => void) | undefined>();
  });
});

describe('plot kinds', () => {
  it('return vega-lite specs', () => {
    expectTypeOf(lightCurvePlot).returns.toEqualTypeOf<VegaLiteSpec>();
    expectTypeOf(coveragePlot).returns.toEqualTypeOf<VegaLiteSpec>();
  });

  it('take typed data', () => {
    expectTypeOf<LightCurvePoint>().toHaveProperty('detected').toEqualTypeOf<boolean>();
    expectTypeOf<CoverageData['channels'][number]['fractions']>().toEqualTypeOf<ArrayLike<number>>();
    expectTypeOf<Float32Array>().toExtend<CoverageData['channels'][number]['fractions']>();
    // @ts-expect-error a band is a name, not a number
    lightCurvePlot([{ mjd: 1, band: 2, mag: 1, err: 0, detected: true }]);
  });
});

describe('PlotError', () => {
  it('has a code from PlotErrorCode', () => {
    expectTypeOf<PlotError['code']>().toEqualTypeOf<'PLOT_SPEC' | 'PLOT_OPTION' | 'PLOT_DATA'>();
    expectTypeOf(PlotErrorCode.spec).toEqualTypeOf<'PLOT_SPEC'>();
  });
});
