import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link PhotometryError}. */
export const PhotometryErrorCode = {
  /** An option or argument has a value the function cannot use. */
  badArgument: 'PHOT_BAD_ARGUMENT',
  /** Arrays that must match the image (data, noise, mask, output) have other lengths. */
  sizeMismatch: 'PHOT_SIZE_MISMATCH',
  /** A PSF model (PSFEx header and table, image PSF) is not valid. */
  psfBadModel: 'PSF_BAD_MODEL',
  /** A PSFEx model was evaluated without a value of one of its contexts. */
  psfBadContext: 'PSF_BAD_CONTEXT',
  /** A PSF file could not be read as a model (no PSF table, no image HDU). */
  psfRead: 'PSF_READ',
} as const;

/** One of the {@link PhotometryErrorCode} values. */
export type PhotometryErrorCode = (typeof PhotometryErrorCode)[keyof typeof PhotometryErrorCode];

/**
 * Error thrown by `@astro/photometry` for a bad call (invalid option values,
 * mismatched array sizes) or a bad file (a PSF model that cannot be used).
 * A bad *source* is never an exception: it is a flag bit on that source.
 *
 * `code` is one of {@link PhotometryErrorCode} (default `PHOT_BAD_ARGUMENT`).
 * Errors of the background and extraction functions are rendered by core's
 * `FORMAT file: place: problem` rule with the format `photometry`
 * (`photometry: extractSources: option minArea = 0 must be an integer >= 1`).
 */
export class PhotometryError extends AstroError {
  /** Always `'PhotometryError'`. */
  override name = 'PhotometryError';

  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: PhotometryErrorCode.badArgument, ...options });
  }
}
