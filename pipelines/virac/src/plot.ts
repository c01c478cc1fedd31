import { VIRAC_BANDS } from './layout.js';

/** One row of a light-curve CSV, parsed. NaN where the field is empty. */
export interface LightCurveRow {
  mjd: number;
  /** Band of the epoch (the `filter` column). */
  filter: string;
  /** Magnitude in the epoch's band (NaN for non-detections). */
  mag: number;
  /** Magnitude error (NaN for non-detections). */
  err: number;
  /** 1 for a detection, 0 for a covered epoch without one. */
  detected: 0 | 1;
}

/**
 * Parse a light-curve CSV as written by the extractor (header line, then one
 * row per epoch) into rows with the magnitude of each row's own band.
 */
export function parseLightCurveCsv(csv: string): LightCurveRow[] {
  const lines = csv.split('\n').filter((l) => l.length > 0);
  const header = lines.shift()?.split(',') ?? [];
  const col = (name: string) => header.indexOf(name);
  const iMjd = col('mjd');
  const iDet = col('detected');
  const iFilter = col('filter');
  if (iMjd < 0 || iDet < 0 || iFilter < 0) throw new Error('not a VIRAC light-curve CSV (missing mjd/detected/filter columns)');
  const bandCols = VIRAC_BANDS.map((b) => [col(`${b.toLowerCase()}_mag`), col(`${b.toLowerCase()}_err`)] as const);
  const num = (s: string | undefined) => (s === undefined || s === '' ? Number.NaN : Number(s));
  return lines.map((line) => {
    const f = line.split(',');
    const filter = f[iFilter];
    const b = (VIRAC_BANDS as readonly string[]).indexOf(filter);
    const [im, ie] = b >= 0 ? bandCols[b] : [-1, -1];
    return {
      mjd: num(f[iMjd]),
      filter,
      mag: im >= 0 ? num(f[im]) : Number.NaN,
      err: ie >= 0 ? num(f[ie]) : Number.NaN,
      detected: f[iDet] === '1' ? 1 : 0,
    };
  });
}

/** Options of {@link plotLightCurve}. */
export interface PlotLightCurveOptions {
  /** `png` (default) or `svg`. */
  format?: 'png' | 'svg';
  /** Title, e.g. the source id. */
  title?: string;
  /** Plot width in CSS pixels. Default 720. */
  width?: number;
  /** Plot height in CSS pixels. Default 360. */
  height?: number;
  /** PNG scale factor. Default 2. */
  scale?: number;
}

const BAND_COLOURS: Record<string, string> = { Ks: '#d62728', Z: '#1f77b4', Y: '#2ca02c', J: '#9467bd', H: '#ff7f0e' };

/**
 * Plot a light curve: magnitude (inverted axis) against MJD, one colour per
 * band with error bars, non-detections marked as grey ticks along the faint
 * edge. Returns PNG bytes or SVG text. Rendering is headless (Vega to SVG,
 * resvg to PNG), no browser.
 */
export async function plotLightCurve(
  rows: LightCurveRow[] | string,
  options: PlotLightCurveOptions = {},
): Promise<Uint8Array | string> {
  const data = typeof rows === 'string' ? parseLightCurveCsv(rows) : rows;
  const detections = data.filter((r) => r.detected === 1 && Number.isFinite(r.mag));
  const nondet = data.filter((r) => r.detected === 0);
  const mags = detections.map((r) => r.mag);
  const faint = mags.length ? Math.max(...mags) + 0.3 : 20;
  const bright = mags.length ? Math.min(...mags) - 0.3 : 10;
  const bands = VIRAC_BANDS.filter((b) => detections.some((r) => r.filter === b));
  const colour = { field: 'filter', type: 'nominal', title: 'band', scale: { domain: bands, range: bands.map((b) => BAND_COLOURS[b]) } };
  const x = { field: 'mjd', type: 'quantitative', title: 'MJD', scale: { zero: false } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? 'light curve', subtitle: `${detections.length} detections; ▼ ${nondet.length} covered epochs without a detection` },
    width: options.width ?? 720,
    height: options.height ?? 360,
    background: 'white',
    layer: [
      {
        data: { values: detections.map((r) => ({ ...r, lo: r.mag - (r.err || 0), hi: r.mag + (r.err || 0) })) },
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colour },
      },
      {
        data: { values: detections },
        mark: { type: 'point', filled: true, size: 18 },
        encoding: {
          x,
          y: { field: 'mag', type: 'quantitative', title: 'magnitude', scale: { domain: [faint, bright], zero: false } },
          color: colour,
        },
      },
      {
        data: { values: nondet.map((r) => ({ mjd: r.mjd, y: faint - 0.05, kind: 'non-detection' })) },
        mark: { type: 'point', shape: 'triangle-down', color: '#888888', size: 20, opacity: 0.7 },
        encoding: { x, y: { field: 'y', type: 'quantitative' } },
      },
    ],
    resolve: { scale: { y: 'shared' } },
  };
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  if (options.format === 'svg') return svg;
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return new Uint8Array(png.asPng());
}
