import { AstroError, parseCsv } from '@astro/core';
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
 * row per epoch) into rows with the magnitude of each row's own band. Read
 * with core's shared CSV reader; `file` names the CSV in errors.
 */
export function parseLightCurveCsv(csv: string, file?: string): LightCurveRow[] {
  const table = parseCsv(csv, { file, delimiter: ',', comments: false });
  if (!['mjd', 'detected', 'filter'].every((f) => table.fields.includes(f))) {
    throw new AstroError('not a VIRAC light-curve CSV (missing mjd/detected/filter columns)', { code: ViracErrorCode.usage, file });
  }
  const mjd = table.numberColumn('mjd');
  const filter = table.column('filter');
  const detected = table.column('detected');
  const optional = (name: string): Float64Array | undefined => (table.fields.includes(name) ? table.numberColumn(name) : undefined);
  const bands = new Map(VIRAC_BANDS.map((b) => [b as string, [optional(`${b.toLowerCase()}_mag`), optional(`${b.toLowerCase()}_err`)] as const]));
  return filter.map((band, i) => {
    const [mag, err] = bands.get(band) ?? [undefined, undefined];
    return { mjd: mjd[i], filter: band, mag: mag?.[i] ?? Number.NaN, err: err?.[i] ?? Number.NaN, detected: detected[i] === '1' ? 1 : 0 };
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
