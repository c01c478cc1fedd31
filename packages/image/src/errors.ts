import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link ImageError}. */
export const ImageErrorCode = {
  /** An option or argument has a value the function cannot use. */
  badArgument: 'IMAGE_BAD_ARGUMENT',
  /** Arrays that must match the image (data, noise, output) have other lengths. */
  sizeMismatch: 'IMAGE_SIZE_MISMATCH',
} as const;

/** One of the {@link ImageErrorCode} values. */
export type ImageErrorCode = (typeof ImageErrorCode)[keyof typeof ImageErrorCode];

/**
 * Error thrown by `@astro/image` for a bad call (a size that does not match
 * the data, a kernel or option it cannot use). Rendered as
 * `image: <function>: <problem>`.
 */
export class ImageError extends AstroError {
  /** Always `'ImageError'`. */
  override name = 'ImageError';

  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: ImageErrorCode.badArgument, format: 'image', ...options });
  }
}
