import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/**
 * Error thrown by `@astro/photometry` for a bad call (invalid option values,
 * mismatched array sizes) or a bad file (a PSF model that cannot be used).
 * A bad *source* is never an exception: it is a flag bit on that source.
 *
 * Codes: `PHOT_BAD_ARGUMENT`, `PHOT_SIZE_MISMATCH`, `PSF_BAD_MODEL`,
 * `PSF_BAD_CONTEXT`, `PSF_READ`.
 */
export class PhotometryError extends AstroError {
  /** Always `'PhotometryError'`. */
  override name = 'PhotometryError';

  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: 'PHOT_BAD_ARGUMENT', ...options });
  }
}
