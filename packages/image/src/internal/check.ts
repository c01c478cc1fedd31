import { ImageError, ImageErrorCode } from '../errors.js';

/** Throw an {@link ImageError} `image: <fn>: <problem>`. */
export function fail(fn: string, problem: string, code: ImageErrorCode = ImageErrorCode.badArgument): never {
  throw new ImageError(`${fn}: ${problem}`, { code });
}

/** Check that `width` x `height` is a positive integer size that `length` values cover. */
export function checkSize(fn: string, width: number, height: number, length: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    fail(fn, `image size ${String(width)}x${String(height)} is not a positive integer size`);
  }
  if (length < width * height) {
    fail(fn, `data has ${length} values, ${width}x${height} needs ${width * height}`, ImageErrorCode.sizeMismatch);
  }
}
