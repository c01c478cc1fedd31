import { AstroError } from '@astro/core';
import type { ErrorLocation } from '@astro/core';

/** Machine-readable codes of {@link PlotError}. */
export const PlotErrorCode = {
  /** The vega-lite specification does not compile or the view does not render. */
  spec: 'PLOT_SPEC',
  /** An option of the renderer or of a plot kind is out of range. */
  option: 'PLOT_OPTION',
  /** The input data of a plot kind is inconsistent (e.g. fractions of the wrong length). */
  data: 'PLOT_DATA',
} as const;

/** One of the {@link PlotErrorCode} values. */
export type PlotErrorCode = (typeof PlotErrorCode)[keyof typeof PlotErrorCode];

/**
 * An error of `@astro/plot`, rendered `PLOT: <place>: <problem>` (the place
 * being a channel or row of the input data when one is to blame).
 */
export class PlotError extends AstroError {
  override name = 'PlotError';
  override readonly code: PlotErrorCode;

  constructor(problem: string, options: ErrorLocation & { code: PlotErrorCode; cause?: unknown }) {
    super(problem, { ...options, format: 'PLOT' });
    this.code = options.code;
  }
}
