import { PhotometryError, PhotometryErrorCode } from '../errors.js';

/**
 * Throw a {@link PhotometryError} rendered as `photometry: <fn>: <problem>`
 * (core's message rule with the format `photometry`).
 */
export function fail(
  fn: string,
  problem: string,
  code: PhotometryErrorCode = PhotometryErrorCode.badArgument,
): never {
  throw new PhotometryError(`${fn}: ${problem}`, { code, format: 'photometry' });
}
