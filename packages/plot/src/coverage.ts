import { PlotError, PlotErrorCode } from './errors.js';
import type { VegaLiteSpec } from './render.js';

/** Coverage of one channel: the fraction of its samples with data in each time bin. */
export interface CoverageChannel {
  /** Channel name, one row of the plot. */
  name: string;
  /** One fraction in [0, 1] per bin (0 where the bin holds no sample). */
  fractions: ArrayLike<number>;
}

/** Input of {@link coveragePlot}: channels × time bins. */
export interface CoverageData {
  /**
   * Bin edges in UTC, one more than the number of bins: bin `b` runs from
   * `binEdgesUtc[b]` to `binEdgesUtc[b + 1]`. Dates or ISO 8601 strings.
   */
  binEdgesUtc: readonly (Date | string)[];
  /** Width of a bin in seconds, shown in the subtitle (rounded). */
  binSeconds: number;
  /** Channels, top to bottom. */
  channels: readonly CoverageChannel[];
  /** Channels left out of the plot, mentioned in the subtitle. Default 0. */
  omittedChannels?: number;
}

/** Options of {@link coveragePlot}. */
export interface CoveragePlotOptions {
  /** Title, e.g. the file name. Default `'data coverage'`. */
  title?: string;
  /** Width of the plotting area in CSS pixels. Default 720. */
  widthPx?: number;
  /** Height of one channel row in CSS pixels (the plot is at least 60 high). Default 16. */
  rowHeightPx?: number;
}

/**
 * A coverage plot: channels × time, each cell coloured by the fraction of
 * samples with data in that bin (pale = missing, orange = partial, green =
 * complete), time on a UTC axis. Data in, vega-lite spec out (no I/O); render
 * it with {@link renderVegaLite}.
 *
 * @throws {@link PlotError} `PLOT_DATA` when there is no bin, an edge is not a
 * valid time, or a channel's fractions do not have one value per bin.
 */
export function coveragePlot(data: CoverageData, options: CoveragePlotOptions = {}): VegaLiteSpec {
  const bins = data.binEdgesUtc.length - 1;
  if (bins < 1) throw new PlotError(`coverage needs at least two bin edges, got ${data.binEdgesUtc.length}`, { code: PlotErrorCode.data });
  const edges = data.binEdgesUtc.map((edge, i) => {
    const date = edge instanceof Date ? edge : new Date(edge);
    if (Number.isNaN(date.getTime())) {
      throw new PlotError(`bin edge ${i} is not a valid time: ${JSON.stringify(String(edge))}`, { code: PlotErrorCode.data });
    }
    return date.toISOString();
  });
  const rows: { channel: string; bin: number; start: string; end: string; fraction: number }[] = [];
  for (const channel of data.channels) {
    if (channel.fractions.length !== bins) {
      throw new PlotError(`${channel.fractions.length} coverage fractions for ${bins} bins`, {
        code: PlotErrorCode.data,
        channel: channel.name,
      });
    }
    for (let b = 0; b < bins; b++) {
      rows.push({ channel: channel.name, bin: b, start: edges[b], end: edges[b + 1], fraction: channel.fractions[b] });
    }
  }
  const omitted = data.omittedChannels ?? 0;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? 'data coverage',
      subtitle: `data coverage per ${Math.round(data.binSeconds)} s bin (pale = missing)${omitted ? `; ${omitted} more channels not shown` : ''}`,
    },
    width: options.widthPx ?? 720,
    height: Math.max(60, (options.rowHeightPx ?? 16) * data.channels.length),
    data: { values: rows },
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
}
