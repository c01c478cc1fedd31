import type { VegaLiteSpec } from './render.js';

/** One epoch of a light curve, as {@link lightCurvePlot} draws it. */
export interface LightCurvePoint {
  /** Modified Julian Date of the epoch. */
  mjd: number;
  /** Photometric band of the epoch (e.g. `'Ks'`). */
  band: string;
  /** Magnitude in the epoch's band; NaN for a non-detection. */
  mag: number;
  /** Magnitude error; NaN (or 0) draws no error bar. */
  err: number;
  /** True for a detection, false for a covered epoch without one. */
  detected: boolean;
}

/** Options of {@link lightCurvePlot}. */
export interface LightCurvePlotOptions {
  /** Title, e.g. the source id. Default `'light curve'`. */
  title?: string;
  /** Width of the plotting area in CSS pixels. Default 720. */
  widthPx?: number;
  /** Height of the plotting area in CSS pixels. Default 360. */
  heightPx?: number;
  /**
   * Bands in legend order. Only bands with a detection are shown. Default:
   * the bands of the detections in order of first appearance.
   */
  bands?: readonly string[];
  /** Colour of each band (CSS colour). Default {@link BAND_COLOURS}, then a fixed palette. */
  bandColours?: Readonly<Record<string, string>>;
}

/** Default band colours of {@link lightCurvePlot} (near-infrared VISTA bands). */
export const BAND_COLOURS: Readonly<Record<string, string>> = Object.freeze({
  Ks: '#d62728',
  Z: '#1f77b4',
  Y: '#2ca02c',
  J: '#9467bd',
  H: '#ff7f0e',
});

/** Colours for bands not in {@link BAND_COLOURS} or the options, in turn. */
const FALLBACK_PALETTE = ['#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31'];

/**
 * A light-curve plot: magnitude (inverted axis) against MJD, one colour per
 * band with error bars, non-detections as grey triangles along the faint
 * edge. Data in, vega-lite spec out (no I/O); render it with
 * {@link renderVegaLite}. The points are copied into the spec.
 */
export function lightCurvePlot(points: readonly LightCurvePoint[], options: LightCurvePlotOptions = {}): VegaLiteSpec {
  const detections = points.filter((p) => p.detected && Number.isFinite(p.mag));
  const nondetections = points.filter((p) => !p.detected);
  let faintest = -Infinity;
  let brightest = Infinity;
  for (const p of detections) {
    if (p.mag > faintest) faintest = p.mag;
    if (p.mag < brightest) brightest = p.mag;
  }
  const faint = detections.length ? faintest + 0.3 : 20;
  const bright = detections.length ? brightest - 0.3 : 10;
  const seen = new Set(detections.map((p) => p.band));
  const bands = (options.bands ?? [...seen]).filter((b) => seen.has(b));
  const colours = bandColours(bands, options.bandColours ?? BAND_COLOURS);
  const colour = { field: 'band', type: 'nominal', title: 'band', scale: { domain: bands, range: colours } } as const;
  const x = { field: 'mjd', type: 'quantitative', title: 'MJD', scale: { zero: false } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? 'light curve',
      subtitle: `${detections.length} detections; ▼ ${nondetections.length} covered epochs without a detection`,
    },
    width: options.widthPx ?? 720,
    height: options.heightPx ?? 360,
    background: 'white',
    layer: [
      {
        data: { values: detections.map((p) => ({ ...p, lo: p.mag - (p.err || 0), hi: p.mag + (p.err || 0) })) },
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colour },
      },
      {
        data: { values: detections.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 18 },
        encoding: {
          x,
          y: { field: 'mag', type: 'quantitative', title: 'magnitude', scale: { domain: [faint, bright], zero: false } },
          color: colour,
        },
      },
      {
        data: { values: nondetections.map((p) => ({ mjd: p.mjd, y: faint - 0.05, kind: 'non-detection' })) },
        mark: { type: 'point', shape: 'triangle-down', color: '#888888', size: 20, opacity: 0.7 },
        encoding: { x, y: { field: 'y', type: 'quantitative' } },
      },
    ],
    resolve: { scale: { y: 'shared' } },
  };
}

function bandColours(bands: readonly string[], given: Readonly<Record<string, string>>): string[] {
  let next = 0;
  return bands.map((b) => given[b] ?? BAND_COLOURS[b] ?? FALLBACK_PALETTE[next++ % FALLBACK_PALETTE.length]);
}
