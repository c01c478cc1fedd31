import { AstroError } from '@astro/core';
import { lightCurvePlot, renderVegaLite } from '@astro/plot';
import { ViracErrorCode } from './errors.js';
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
  if (iMjd < 0 || iDet < 0 || iFilter < 0) {
    throw new AstroError('not a VIRAC light-curve CSV (missing mjd/detected/filter columns)', { code: ViracErrorCode.usage });
  }
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

/**
 * Plot a light curve: magnitude (inverted axis) against MJD, one colour per
 * band with error bars, non-detections marked as grey triangles along the
 * faint edge (`@astro/plot`'s `lightCurvePlot`, bands in {@link VIRAC_BANDS}
 * order). Returns PNG bytes or SVG text. Rendering is headless (Vega to SVG,
 * resvg to PNG), no browser.
 */
export async function plotLightCurve(
  rows: LightCurveRow[] | string,
  options: PlotLightCurveOptions = {},
): Promise<Uint8Array | string> {
  const data = typeof rows === 'string' ? parseLightCurveCsv(rows) : rows;
  const spec = lightCurvePlot(
    data.map((r) => ({ mjd: r.mjd, band: r.filter, mag: r.mag, err: r.err, detected: r.detected === 1 })),
    { title: options.title, widthPx: options.width, heightPx: options.height, bands: VIRAC_BANDS },
  );
  if (options.format === 'svg') return renderVegaLite(spec, { format: 'svg' });
  return renderVegaLite(spec, { format: 'png', scale: options.scale ?? 2 });
}
