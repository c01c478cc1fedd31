/**
 * One vega-lite to SVG/PNG renderer and the plot kinds of the `@astro`
 * pipelines. A plot kind turns data into a vega-lite spec (no I/O);
 * {@link renderVegaLite} turns any spec into SVG text or PNG bytes, headless.
 * Only pipelines import this package, so no library user installs vega,
 * vega-lite or resvg.
 *
 * @packageDocumentation
 */

// Rendering
export { renderVegaLite } from './render.js';
export type { PlotFormat, RenderOptions, RenderedPlot, VegaLiteSpec } from './render.js';

// Plot kinds
export { BAND_COLOURS, lightCurvePlot } from './light-curve.js';
export type { LightCurvePlotOptions, LightCurvePoint } from './light-curve.js';
export { coveragePlot } from './coverage.js';
export type { CoverageChannel, CoverageData, CoveragePlotOptions } from './coverage.js';

// Errors
export { PlotError, PlotErrorCode } from './errors.js';
