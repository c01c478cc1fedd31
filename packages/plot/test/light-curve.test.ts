import { describe, expect, it } from 'vitest';
import { BAND_COLOURS, lightCurvePlot, renderVegaLite } from '@astro/plot';
import type { LightCurvePoint } from '@astro/plot';
import { pngSize } from './png.js';

const points: LightCurvePoint[] = [
  { mjd: 55000.1, band: 'Ks', mag: 14.2, err: 0.02, detected: true },
  { mjd: 55010.3, band: 'Ks', mag: 14.5, err: 0.03, detected: true },
  { mjd: 55020.2, band: 'J', mag: 15.9, err: 0.05, detected: true },
  { mjd: 55030.7, band: 'Ks', mag: Number.NaN, err: Number.NaN, detected: false },
  { mjd: 55040.0, band: 'H', mag: Number.NaN, err: Number.NaN, detected: true },
];

type Layer = { data: { values: Record<string, unknown>[] }; encoding: Record<string, { scale?: { domain?: unknown; range?: unknown } }> };

describe('lightCurvePlot', () => {
  it('layers error bars, detections and non-detections; magnitude axis inverted around the detections', () => {
    const spec = lightCurvePlot(points, { title: 'source 1' }) as unknown as {
      title: { text: string; subtitle: string };
      width: number;
      height: number;
      layer: Layer[];
    };
    expect(spec.title.text).toBe('source 1');
    expect(spec.title.subtitle).toBe('3 detections; ▼ 1 covered epochs without a detection');
    expect([spec.width, spec.height]).toEqual([720, 360]);
    expect(spec.layer).toHaveLength(3);
    const [bars, dots, misses] = spec.layer;
    expect(bars.data.values.map((v) => [v.lo, v.hi])).toEqual([
      [14.2 - 0.02, 14.2 + 0.02],
      [14.5 - 0.03, 14.5 + 0.03],
      [15.9 - 0.05, 15.9 + 0.05],
    ]);
    expect(dots.data.values.map((v) => v.mjd)).toEqual([55000.1, 55010.3, 55020.2]);
    // Faint edge at the bottom: domain [faintest + 0.3, brightest - 0.3].
    expect(dots.encoding.y.scale!.domain).toEqual([15.9 + 0.3, 14.2 - 0.3]);
    expect(misses.data.values).toEqual([{ mjd: 55030.7, y: 15.9 + 0.3 - 0.05, kind: 'non-detection' }]);
    // Bands in order of first appearance, with the default colours.
    expect(dots.encoding.color.scale).toEqual({ domain: ['Ks', 'J'], range: [BAND_COLOURS.Ks, BAND_COLOURS.J] });
  });

  it('orders the legend by the given bands, keeps only detected ones, and colours unknown bands from a palette', () => {
    const spec = lightCurvePlot(
      [...points, { mjd: 55050, band: 'g', mag: 16, err: 0.1, detected: true }],
      { bands: ['Ks', 'Z', 'Y', 'J', 'H', 'g'], bandColours: { J: '#000000' }, widthPx: 300, heightPx: 200 },
    ) as unknown as { width: number; height: number; layer: Layer[] };
    expect([spec.width, spec.height]).toEqual([300, 200]);
    const scale = spec.layer[1].encoding.color.scale!;
    expect(scale.domain).toEqual(['Ks', 'J', 'g']);
    expect(scale.range).toEqual([BAND_COLOURS.Ks, '#000000', '#8c564b']);
  });

  it('has a default axis range without detections', () => {
    const spec = lightCurvePlot([{ mjd: 1, band: 'Ks', mag: Number.NaN, err: Number.NaN, detected: false }]) as unknown as {
      title: { text: string; subtitle: string };
      layer: Layer[];
    };
    expect(spec.title.text).toBe('light curve');
    expect(spec.layer[1].encoding.y.scale!.domain).toEqual([20, 10]);
    expect(spec.layer[2].data.values).toEqual([{ mjd: 1, y: 19.95, kind: 'non-detection' }]);
  });

  it('does not keep references to the caller’s points', () => {
    const input = points.map((p) => ({ ...p }));
    const spec = lightCurvePlot(input) as unknown as { layer: Layer[] };
    input[0].mag = 99;
    expect(spec.layer[1].data.values[0].mag).toBe(14.2);
  });

  it('renders to SVG with one symbol per detection and per non-detection, and to PNG', async () => {
    const svg = await renderVegaLite(lightCurvePlot(points, { title: 'source 1' }), { format: 'svg' });
    expect(svg).toContain('source 1');
    expect(svg).toContain('MJD');
    expect(svg).toContain('magnitude');
    expect(svg).toContain('3 detections; ▼ 1 covered epochs without a detection');
    // Data symbols (the legend's are role-legend-symbol): detections, then non-detections.
    const symbols = [...svg.matchAll(/<g class="mark-symbol role-mark layer_\d_marks"[^>]*>(.*?)<\/g>/gs)].map((m) => m[1].match(/<path /g)?.length ?? 0);
    expect(symbols).toEqual([3, 1]);
    const rules = /<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(svg);
    expect(rules![1].match(/<line /g)).toHaveLength(3);
    const png = await renderVegaLite(lightCurvePlot(points), { format: 'png', widthPx: 1200 });
    expect(pngSize(png).width).toBe(1200);
  });
});
