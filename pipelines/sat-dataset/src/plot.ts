/**
 * Coverage plot of a day file: channels × time, colour = fraction of samples
 * with data (not NaN) in each time bin, so gaps show as pale columns.
 * The bins are read back from the day file; `@astro/plot` draws them.
 *
 * @module
 */
import { writeFileAtomic } from '@astro/core';
import { gpsToUtc } from '@astro/gwf';
import { openHdf5 } from '@astro/hdf5-io';
import { coveragePlot, renderVegaLite } from '@astro/plot';

/** One cell of the coverage grid. */
export interface CoverageCell {
  /** Channel (original name). */
  channel: string;
  /** Bin number. */
  bin: number;
  /** Bin start, UTC ISO. */
  start: string;
  /** Bin end, UTC ISO. */
  end: string;
  /** Fraction of the bin's samples that are not NaN (0 when the bin holds none). */
  fraction: number;
}

/** Per-channel coverage of a day file in time bins. */
export interface CoverageGrid {
  /** Window start, GPS seconds. */
  startGps: number;
  /** Window end, GPS seconds. */
  endGps: number;
  /** Width of a bin, seconds. */
  binSeconds: number;
  /** Dataset names of the channels shown. */
  channels: string[];
  /** Cells, channel by channel, bin by bin. */
  rows: CoverageCell[];
  /** Channels left out (beyond `maxChannels`). */
  omitted: number;
}

/** Options of {@link coverageGrid} and {@link plotCoverage}. */
export interface CoverageGridOptions {
  /** At most this many channels (default 40). */
  maxChannels?: number;
  /** Time bins over the window (default 96). */
  bins?: number;
}

/** Per-channel coverage in time bins, read back from a day file. */
export async function coverageGrid(h5File: string, options: CoverageGridOptions = {}): Promise<CoverageGrid> {
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
    const rows: CoverageCell[] = [];
    for (const e of chosen) {
      const a = h.attrs(e.path);
      const rate = Number(a.sample_rate);
      const t0 = Number(a.t0);
      const name = String(a.channel ?? e.name);
      const data = h.readFloat64(e.path);
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

/** Options of {@link plotCoverage}. */
export interface PlotCoverageOptions<F extends 'png' | 'svg'> extends CoverageGridOptions {
  /** Title (default the file name). */
  title?: string;
  /** `png` (bytes) or `svg` (text). */
  format: F;
}

/** Render the coverage plot of a day file as PNG bytes or SVG text. */
export async function plotCoverage<F extends 'png' | 'svg'>(h5File: string, options: PlotCoverageOptions<F>): Promise<F extends 'svg' ? string : Uint8Array> {
  const grid = await coverageGrid(h5File, options);
  const bins = options.bins ?? 96;
  const byChannel = new Map<string, number[]>();
  for (const r of grid.rows) {
    let f = byChannel.get(r.channel);
    if (!f) byChannel.set(r.channel, (f = []));
    f.push(r.fraction);
  }
  const spec = coveragePlot(
    {
      binEdgesUtc: Array.from({ length: bins + 1 }, (_, b) => gpsToUtc(grid.startGps + b * grid.binSeconds)),
      binSeconds: grid.binSeconds,
      channels: [...byChannel].map(([name, fractions]) => ({ name, fractions })),
      omittedChannels: grid.omitted,
    },
    { title: options.title ?? h5File.split('/').at(-1) },
  );
  return renderVegaLite(spec, { format: options.format });
}

/** Write the coverage plot of a day file to `pngFile` (atomically); returns `pngFile`. */
export async function writeCoveragePlot(h5File: string, pngFile: string, options: CoverageGridOptions & { title?: string } = {}): Promise<string> {
  await writeFileAtomic(pngFile, await plotCoverage(h5File, { ...options, format: 'png' }));
  return pngFile;
}
