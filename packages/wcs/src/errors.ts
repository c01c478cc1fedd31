import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link WcsError}. */
export const WcsErrorCode = {
  /** A WCS keyword is missing, has the wrong type, or its value makes no valid WCS (singular matrix, CTYPE pair). */
  badKeyword: 'WCS_BAD_KEYWORD',
  /** A valid WCS this package does not implement (projection, slant SIN). */
  unsupported: 'WCS_UNSUPPORTED',
} as const;

/** One of the {@link WcsErrorCode} values. */
export type WcsErrorCode = (typeof WcsErrorCode)[keyof typeof WcsErrorCode];

/** Options of {@link WcsError}: a location (file, HDU, card) and a {@link WcsErrorCode}. */
export interface WcsErrorOptions extends Omit<AstroErrorOptions, 'code' | 'format'> {
  /** What went wrong (default `WCS_BAD_KEYWORD`). */
  code?: WcsErrorCode;
}

/**
 * Error thrown when a header holds no usable celestial WCS. `location.card`
 * names the keyword, and `file`/`hdu` come from the header's own location
 * when it has one; the message reads `WCS <file>: HDU <n>, card <KEY>: what
 * was found (what was expected)`.
 */
export class WcsError extends AstroError {
  override name = 'WcsError';
  /** Machine-readable code, one of {@link WcsErrorCode}. */
  declare readonly code: WcsErrorCode;

  constructor(problem: string, options: WcsErrorOptions = {}) {
    super(problem, { ...options, code: options.code ?? WcsErrorCode.badKeyword, format: 'WCS' });
  }
}
