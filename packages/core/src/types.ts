import type { NumericArray } from './dtype.js';

/** A floating-point pixel array: row-major, x fastest (`data[y * width + x]`). */
export type ImageData = Float32Array | Float64Array;

/**
 * A 2-D image. Pixel (0, 0) is the centre of the first pixel (FITS pixel
 * (1, 1)); `data[y * width + x]`. Metadata rides with the data.
 */
export interface Image<T extends ImageData = ImageData> {
  /** Pixel values, row-major, x fastest, native byte order. */
  data: T;
  /** Number of columns (FITS NAXIS1). */
  width: number;
  /** Number of rows (FITS NAXIS2). */
  height: number;
  /** Optional header the image came from (format specific). */
  header?: unknown;
  /** Optional mask, same layout as `data`; non-zero means masked. */
  mask?: Uint8Array;
  /** Optional per-pixel variance, same layout as `data`. */
  variance?: ImageData;
}

/**
 * What a computation needs of an image: its pixels, shape and optional mask
 * (an {@link Image} fits; so does any object with these fields).
 */
export type ImageLike<T extends ImageData = ImageData> = Pick<Image<T>, 'data' | 'width' | 'height' | 'mask'>;

/**
 * A regularly sampled time series (gwpy's TimeSeries): samples plus the GPS
 * time of the first one and the sample rate.
 */
export interface TimeSeries<T extends NumericArray = NumericArray> {
  /** Samples, native byte order. */
  data: T;
  /** GPS time of the first sample in nanoseconds (exact). */
  t0Gps: bigint;
  /** Samples per second. */
  sampleRate: number;
  /** Physical unit of the samples ('' when unknown). */
  unit: string;
  /** Channel name, e.g. `H1:LOSC-STRAIN`. */
  channel: string;
}

/** Progress report for long-running work. */
export interface Progress {
  /** Units done so far. */
  done: number;
  /** Units in all (when known). */
  total?: number;
  /** What a unit is: 'tiles', 'pixels', 'frames' ... */
  unit?: string;
}

/** Progress callback used across the SDK. */
export type ProgressCallback = (progress: Progress) => void;

/**
 * Minimal structured logger a library accepts instead of writing to the
 * console (pino's logger fits).
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
