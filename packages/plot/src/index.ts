/**
 * One vega-lite to SVG/PNG renderer and the plot kinds of the @astro pipelines.
 *
 * @packageDocumentation
 */
export {};
