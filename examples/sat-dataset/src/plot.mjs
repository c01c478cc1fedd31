// Coverage plot of a day file: channels × time, colour = fraction of samples
// with data (not NaN) in each time bin, so gaps show as pale columns.
// vega-lite → SVG → PNG (resvg), no browser.
import { writeFileSync } from 'node:fs';
import { gpsToUtc } from '@astro/gwf';
import { openHdf5 } from '@astro/hdf5-io';

/**
 * Per-channel coverage in time bins, read back from the day file.
 * @param {string} h5File
 * @param {{ maxChannels?: number, bins?: number }} [options]
 * @returns {Promise<{ startGps: number, endGps: number, binSeconds: number, channels: string[], rows: { channel: string, bin: number, start: string, end: string, fraction: number }[], omitted: number }>}
 */
export async function coverageGrid(h5File, options = {}) {
  const maxChannels = options.maxChannels ?? 40;
  const bins = options.bins ?? 96;
  const h = await openHdf5(h5File);
  try {
    const root = h.attrs('/');
    const startGps = Number(root.start_gps);
    const endGps = Number(root.end_gps);
    const binSeconds = (endGps - startGps) / bins;
    const entries = h.list('/channels');
    const chosen = entries.slice(0, maxChannels);
    const rows = [];
    for (const e of chosen) {
      const a = h.attrs(e.path);
      const rate = Number(a.sample_rate);
      const t0 = Number(a.t0);
      const name = String(a.channel ?? e.name);
      const data = /** @type {Float32Array | Float64Array} */ (h.read(e.path));
      const have = new Float64Array(bins);
      const total = new Float64Array(bins);
      for (let i = 0; i < data.length; i++) {
        const b = Math.min(bins - 1, Math.floor((t0 + i / rate - startGps) / binSeconds));
        total[b]++;
        if (data[i] === data[i]) have[b]++;
      }
      for (let b = 0; b < bins; b++) {
        rows.push({
          channel: name,
          bin: b,
          start: gpsToUtc(startGps + b * binSeconds).toISOString(),
          end: gpsToUtc(startGps + (b + 1) * binSeconds).toISOString(),
          fraction: total[b] ? have[b] / total[b] : 0,
        });
      }
    }
    return { startGps, endGps, binSeconds, channels: chosen.map((e) => e.name), rows, omitted: entries.length - chosen.length };
  } finally {
    h.close();
  }
}

/**
 * Render the coverage plot of a day file as PNG bytes (or SVG text).
 * @param {string} h5File
 * @param {{ maxChannels?: number, bins?: number, title?: string, format?: 'png'|'svg' }} [options]
 * @returns {Promise<Uint8Array | string>}
 */
export async function plotCoverage(h5File, options = {}) {
  const grid = await coverageGrid(h5File, options);
  const title = options.title ?? h5File.split('/').at(-1);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `data coverage per ${Math.round(grid.binSeconds)} s bin (pale = missing)${grid.omitted ? `; ${grid.omitted} more channels not shown` : ''}`,
    },
    width: 720,
    height: Math.max(60, 16 * grid.channels.length),
    data: { values: grid.rows },
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
  };
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vegaLite.compile(/** @type {any} */ (spec)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  if (options.format === 'svg') return svg;
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render();
  return new Uint8Array(png.asPng());
}

/**
 * Write the coverage plot of a day file to `pngFile`.
 * @param {string} h5File
 * @param {string} pngFile
 * @param {{ maxChannels?: number, bins?: number, title?: string }} [options]
 */
export async function writeCoveragePlot(h5File, pngFile, options = {}) {
  writeFileSync(pngFile, /** @type {Uint8Array} */ (await plotCoverage(h5File, { ...options, format: 'png' })));
  return pngFile;
}
