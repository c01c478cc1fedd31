import { describe, expect, it } from 'vitest';
import { PlotError, PlotErrorCode, coveragePlot, renderVegaLite } from '@astro/plot';
import type { CoverageData } from '@astro/plot';
import { pngSize } from './png.js';

const hour = 3600_000;
const start = Date.UTC(2025, 0, 2);
const data: CoverageData = {
  binEdgesUtc: [0, 1, 2, 3].map((b) => new Date(start + b * 8 * hour)),
  binSeconds: 8 * 3600,
  channels: [
    { name: 'V1:A', fractions: [1, 0.5, 0] },
    { name: 'V1:B', fractions: new Float64Array([0, 1, 1]) },
  ],
};

describe('coveragePlot', () => {
  it('is the SAT converter’s coverage plot: one rect per channel and bin, coloured by fraction', () => {
    // Golden spec: the one examples/sat-dataset/src/plot.mjs built from its grid.
    const iso = (b: number) => new Date(start + b * 8 * hour).toISOString();
    const rows = (channel: string, f: number[]) => f.map((fraction, bin) => ({ channel, bin, start: iso(bin), end: iso(bin + 1), fraction }));
    expect(coveragePlot({ ...data, omittedChannels: 7 }, { title: 'day.h5' })).toEqual({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'day.h5', subtitle: 'data coverage per 28800 s bin (pale = missing); 7 more channels not shown' },
      width: 720,
      height: 60,
      data: { values: [...rows('V1:A', [1, 0.5, 0]), ...rows('V1:B', [0, 1, 1])] },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'start', type: 'temporal', title: 'UTC', scale: { type: 'utc' }, axis: { format: '%H:%M', labelAngle: 0 } },
        x2: { field: 'end' },
        y: { field: 'channel', type: 'nominal', title: null, sort: null },
        color: {
          field: 'fraction',
          type: 'quantitative',
          title: 'coverage',
          scale: { domain: [0, 1], range: ['#f7f7f7', '#d95f02', '#1b9e77'] },
        },
        tooltip: [{ field: 'channel' }, { field: 'start' }, { field: 'fraction', format: '.2f' }],
      },
      config: { view: { stroke: null }, font: 'DejaVu Sans' },
    });
  });

  it('takes ISO strings as edges, grows with the channels and leaves out "more channels" when none are omitted', () => {
    const channels = Array.from({ length: 10 }, (_, i) => ({ name: `C${i}`, fractions: [1] }));
    const spec = coveragePlot({ binEdgesUtc: ['2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'], binSeconds: 86400.4, channels }) as unknown as {
      title: { text: string; subtitle: string };
      height: number;
      data: { values: { start: string; end: string }[] };
    };
    expect(spec.title).toEqual({ text: 'data coverage', subtitle: 'data coverage per 86400 s bin (pale = missing)' });
    expect(spec.height).toBe(160);
    expect(spec.data.values[0]).toMatchObject({ start: '2025-01-02T00:00:00.000Z', end: '2025-01-03T00:00:00.000Z' });
    const taller = coveragePlot({ binEdgesUtc: ['2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'], binSeconds: 86400, channels }, { rowHeightPx: 30, widthPx: 400 }) as unknown as {
      width: number;
      height: number;
    };
    expect([taller.width, taller.height]).toEqual([400, 300]);
  });

  it('rejects fractions of the wrong length, naming the channel, and bad edges', () => {
    const wrong = () => coveragePlot({ ...data, channels: [{ name: 'V1:C', fractions: [1, 1] }] });
    expect(wrong).toThrow(PlotError);
    expect(wrong).toThrow('PLOT: channel "V1:C": 2 coverage fractions for 3 bins');
    try {
      wrong();
    } catch (e) {
      expect((e as PlotError).code).toBe(PlotErrorCode.data);
      expect((e as PlotError).location.channel).toBe('V1:C');
    }
    expect(() => coveragePlot({ ...data, binEdgesUtc: [new Date(start)] })).toThrow('at least two bin edges');
    expect(() => coveragePlot({ ...data, binEdgesUtc: ['2025-01-02T00:00:00Z', 'yesterday', '2025-01-03T00:00:00Z', '2025-01-04T00:00:00Z'] })).toThrow(
      'bin edge 1 is not a valid time',
    );
  });

  it('renders: channel names, UTC axis and one rect per cell in the SVG; PNG at twice the size', async () => {
    const spec = coveragePlot(data, { title: 'day.h5' });
    const svg = await renderVegaLite(spec, { format: 'svg' });
    for (const text of ['day.h5', 'UTC', 'V1:A', 'V1:B', 'coverage', '08:00', '16:00']) expect(svg).toContain(text);
    const rects = /<g class="mark-rect role-mark marks"[^>]*>(.*?)<\/g>/s.exec(svg);
    expect(rects![1].match(/<path /g)).toHaveLength(6);
    const png = await renderVegaLite(spec, { format: 'png' });
    const w = Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
    expect(pngSize(png).width).toBe(Math.ceil(2 * w));
  });
});
