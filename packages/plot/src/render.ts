import type { TopLevelSpec } from 'vega-lite';
import { PlotError, PlotErrorCode } from './errors.js';

/** A vega-lite specification (vega-lite's `TopLevelSpec`), as the plot kinds return. */
export type VegaLiteSpec = TopLevelSpec;

/** The output formats of {@link renderVegaLite}. */
export type PlotFormat = 'svg' | 'png';

/** Options of {@link renderVegaLite}. */
export interface RenderOptions<F extends PlotFormat = PlotFormat> {
  /** `'svg'` resolves to SVG text, `'png'` to PNG bytes. */
  format: F;
  /**
   * PNG only: zoom factor from SVG (CSS) pixels to PNG pixels. Default 2.
   * Ignored when {@link RenderOptions.widthPx} is given.
   */
  scale?: number;
  /** PNG only: width of the PNG in pixels; the height follows the aspect ratio. */
  widthPx?: number;
  /** PNG only: the font resvg uses where the SVG names one that is not installed. Default `'DejaVu Sans'`. */
  defaultFontFamily?: string;
  /**
   * Receives the warnings of vega-lite and vega (e.g. a field missing from
   * the data). Default: dropped; a library never writes to the console.
   */
  onWarning?: (message: string) => void;
}

/** What {@link renderVegaLite} resolves to for each format. */
export type RenderedPlot<F extends PlotFormat> = F extends 'svg' ? string : Uint8Array;

/**
 * Render a vega-lite specification headless, without a browser: vega-lite
 * compiles it to vega, a vega `View` renders SVG text, and for `'png'` resvg
 * rasterises the SVG (with the system fonts). vega, vega-lite and resvg are
 * imported on the first call only.
 *
 * @throws {@link PlotError} `PLOT_SPEC` when the spec does not compile or render,
 * `PLOT_OPTION` for a non-positive `scale` or `widthPx`.
 */
export async function renderVegaLite<F extends PlotFormat>(spec: VegaLiteSpec, options: RenderOptions<F>): Promise<RenderedPlot<F>> {
  const { format } = options;
  if (format !== 'svg' && format !== 'png') {
    throw new PlotError(`format must be 'svg' or 'png', got ${JSON.stringify(format)}`, { code: PlotErrorCode.option });
  }
  const scale = options.scale ?? 2;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new PlotError(`scale must be a positive number, got ${scale}`, { code: PlotErrorCode.option });
  if (options.widthPx !== undefined && !(Number.isInteger(options.widthPx) && options.widthPx > 0)) {
    throw new PlotError(`widthPx must be a positive integer, got ${options.widthPx}`, { code: PlotErrorCode.option });
  }
  const svg = await renderSvg(spec, options.onWarning);
  if (format === 'svg') return svg as RenderedPlot<F>;
  const { Resvg } = await import('@resvg/resvg-js');
  const fitTo = options.widthPx === undefined ? { mode: 'zoom' as const, value: scale } : { mode: 'width' as const, value: options.widthPx };
  const png = new Resvg(svg, {
    fitTo,
    font: { loadSystemFonts: true, defaultFontFamily: options.defaultFontFamily ?? 'DejaVu Sans' },
  }).render();
  return new Uint8Array(png.asPng()) as RenderedPlot<F>;
}

async function renderSvg(spec: VegaLiteSpec, onWarning: ((message: string) => void) | undefined): Promise<string> {
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  // Warnings go to onWarning (or nowhere), never to the console; an error
  // that vega only logs (a failing dataflow operator) is thrown below.
  const errors: string[] = [];
  const logger = () =>
    vega.logger(vega.Warn, undefined, (_method, level, args) => {
      const message = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
      if (level === 'ERROR') errors.push(message);
      else onWarning?.(message);
    });
  let view: InstanceType<typeof vega.View>;
  try {
    const compiled = vegaLite.compile(spec, { logger: logger() }).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: logger() });
  } catch (error) {
    throw new PlotError(`the vega-lite spec does not compile: ${(error as Error).message}`, { code: PlotErrorCode.spec, cause: error });
  }
  let svg: string;
  try {
    svg = await view.toSVG();
  } catch (error) {
    throw new PlotError(`the view does not render: ${(error as Error).message}`, { code: PlotErrorCode.spec, cause: error });
  } finally {
    view.finalize();
  }
  if (errors.length > 0) throw new PlotError(`the view does not render: ${errors.join('; ')}`, { code: PlotErrorCode.spec });
  return svg;
}
