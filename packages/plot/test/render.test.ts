import { describe, expect, it } from 'vitest';
import { PlotError, PlotErrorCode, renderVegaLite } from '@astro/plot';
import type { VegaLiteSpec } from '@astro/plot';
import { pngSize } from './png.js';

const bars: VegaLiteSpec = {
  title: 'three bars',
  width: 200,
  height: 100,
  background: 'white',
  data: { values: [{ k: 'a', v: 1 }, { k: 'b', v: 3 }, { k: 'c', v: 2 }] },
  mark: 'bar',
  encoding: { x: { field: 'k', type: 'nominal', title: 'key' }, y: { field: 'v', type: 'quantitative', title: 'value' } },
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The width and height attributes of the root <svg> element. */
function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('no width/height on the root svg element');
  return { width: Number(m[1]), height: Number(m[2]) };
}

describe('renderVegaLite', () => {
  it('renders SVG text with the marks, axis titles and title of the spec', async () => {
    const svg = await renderVegaLite(bars, { format: 'svg' });
    expect(typeof svg).toBe('string');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('three bars');
    expect(svg).toContain('key');
    expect(svg).toContain('value');
    // One rect path per bar inside the mark group.
    const marks = /<g class="mark-rect role-mark marks"[^>]*>(.*?)<\/g>/s.exec(svg);
    expect(marks).not.toBeNull();
    expect(marks![1].match(/<path /g)).toHaveLength(3);
  });

  it('renders PNG bytes at the SVG size times the scale (default 2)', async () => {
    const svg = await renderVegaLite(bars, { format: 'svg' });
    const { width, height } = svgSize(svg);
    const png = await renderVegaLite(bars, { format: 'png' });
    expect(png).toBeInstanceOf(Uint8Array);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: Math.ceil(width * 2), height: Math.ceil(height * 2) });
    const png3 = await renderVegaLite(bars, { format: 'png', scale: 3 });
    expect(pngSize(png3)).toEqual({ width: Math.ceil(width * 3), height: Math.ceil(height * 3) });
  });

  it('renders a PNG of the requested width, the height following the aspect ratio', async () => {
    const svg = await renderVegaLite(bars, { format: 'svg' });
    const { width, height } = svgSize(svg);
    const png = await renderVegaLite(bars, { format: 'png', widthPx: 800 });
    const size = pngSize(png);
    expect(size.width).toBe(800);
    expect(Math.abs(size.height - (800 * height) / width)).toBeLessThanOrEqual(1);
  });

  it('is deterministic', async () => {
    expect(await renderVegaLite(bars, { format: 'svg' })).toBe(await renderVegaLite(bars, { format: 'svg' }));
  });

  it('passes warnings to onWarning and never to the console', async () => {
    const warnings: string[] = [];
    const spec: VegaLiteSpec = { ...bars, encoding: { ...bars.encoding, color: { field: 'k', type: 'nominal', scale: { type: 'log' } } } };
    const svg = await renderVegaLite(spec, { format: 'svg', onWarning: (m) => warnings.push(m) });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.join('\n')).toMatch(/log/i);
  });

  it('rejects a spec that does not compile with PLOT_SPEC', async () => {
    const broken = { data: { values: [] }, mark: 'no-such-mark', encoding: {} } as unknown as VegaLiteSpec;
    const error = await renderVegaLite(broken, { format: 'svg' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlotError);
    expect((error as PlotError).code).toBe(PlotErrorCode.spec);
    expect((error as PlotError).message).toMatch(/^PLOT: the vega-lite spec does not compile: /);
    expect((error as PlotError).cause).toBeInstanceOf(Error);
  });

  it('rejects bad options with PLOT_OPTION', async () => {
    for (const options of [
      { format: 'png', scale: 0 },
      { format: 'png', scale: Number.NaN },
      { format: 'png', widthPx: -5 },
      { format: 'png', widthPx: 10.5 },
      { format: 'gif' },
    ] as const) {
      const error = await renderVegaLite(bars, options as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(PlotError);
      expect((error as PlotError).code).toBe(PlotErrorCode.option);
    }
  });
});
