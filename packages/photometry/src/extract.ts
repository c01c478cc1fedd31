/**
 * Source detection and measurement at Source Extractor grade: SEP's
 * `extract()` (filtering, 8-connected Lutz labelling, multi-threshold
 * deblending, cleaning, isophotal measurements, segmentation map). The
 * phases live in `internal/extract/`: kernel, noise, data, scan (Lutz
 * labelling with deblending and measurement), cleaning, catalogue.
 */
import type { ImageData, ImageLike, ProgressCallback } from '@astro/core';
import { PhotometryErrorCode } from './errors.js';
import type { SourceCatalog } from './source-catalog.js';
import { analyseMthresh } from './internal/extract/analyse.js';
import { buildCatalog } from './internal/extract/catalog.js';
import { cleanObjects } from './internal/extract/clean.js';
import { prepareData } from './internal/extract/data.js';
import { normaliseKernel } from './internal/extract/kernel.js';
import { thresholdMask } from './internal/extract/mask.js';
import { resolveNoise } from './internal/extract/noise.js';
import { scanImage } from './internal/extract/scan-image.js';
import type { ScanSettings } from './internal/extract/scan-image.js';
import type { ObjList } from './internal/extract/objects.js';
import { fail } from './internal/fail.js';

/** A filter kernel: rows of weights (e.g. `[[1,2,1],[2,4,2],[1,2,1]]`). */
export type FilterKernel = readonly (readonly number[])[];

/** Options of {@link extractSources}. */
export interface ExtractOptions {
  /**
   * Noise as a standard deviation: a scalar or a per-pixel array (same layout
   * as the image). With noise, `thresh` is relative (in sigma). Give at most
   * one of `err` and `var`.
   */
  err?: number | ImageData;
  /** Noise as a variance (scalar or per-pixel array); see `err`. */
  var?: number | ImageData;
  /**
   * Gain (e- per data unit) for the Poisson term of `errx2`, `erry2`,
   * `errxy`; does not affect detection. Default 0: no Poisson term.
   */
  gain?: number;
  /**
   * Mask (masked where > `maskThresh`, default 0), same layout as the image; defaults to
   * `image.mask`. A masked pixel is detected as 0 with infinite noise.
   */
  mask?: Uint8Array;
  /** A pixel is masked when `mask[i] > maskThresh` (default 0), as SEP's maskthresh. */
  maskThresh?: number;
  /** Minimum number of pixels of an object (default 5). */
  minArea?: number;
  /**
   * Detection filter (default `[[1,2,1],[2,4,2],[1,2,1]]`); it is normalised
   * by the sum of absolute weights. `null` disables filtering.
   */
  filterKernel?: FilterKernel | null;
  /**
   * `'matched'` (default): with a per-pixel noise array, threshold the
   * matched-filter signal-to-noise; `'conv'`: plain convolution. Identical
   * without a noise array.
   */
  filterType?: 'matched' | 'conv';
  /** Number of deblending thresholds (default 32). */
  deblendNthresh?: number;
  /** Minimum flux fraction of a deblended branch (default 0.005; 1 disables deblending). */
  deblendCont?: number;
  /** Remove spurious detections in the wings of bright ones (default true). */
  clean?: boolean;
  /** Moffat index of the cleaning profile (default 1). */
  cleanParam?: number;
  /** Also return the segmentation map (default false). */
  segmentationMap?: boolean;
  /**
   * Maximum number of branches per deblending level (SEP's sub-object limit,
   * default 1024). Beyond it the detection is kept whole and flagged
   * {@link SourceFlag}.DEBLEND_OVERFLOW instead of failing.
   */
  subObjectLimit?: number;
  /**
   * Detections with more pixels than this are not deblended (kept whole,
   * flagged {@link SourceFlag}.DEBLEND_OVERFLOW), which bounds the memory of
   * deblending (about nthresh x pixels x 28 bytes). Default 300000, the
   * size of SEP's pixel stack (SEP fails on larger detections).
   */
  deblendMaxPixels?: number;
  /** Called every 64 rows and at the end with `{ done, total, unit: 'rows' }`. */
  onProgress?: ProgressCallback;
}

/**
 * What {@link extractSources} needs of an image: core's `ImageLike`.
 *
 * @deprecated Use `ImageLike` from `@astro/core` (an `Image` fits too).
 */
export type ExtractInput = ImageLike;

const DEFAULT_KERNEL: FilterKernel = [
  [1, 2, 1],
  [2, 4, 2],
  [1, 2, 1],
];

/**
 * Detect and measure sources as SEP's `extract(data, thresh, err|var, mask,
 * minarea, filter_kernel, filter_type, deblend_nthresh, deblend_cont, clean,
 * clean_param, segmentation_map)` does, with the same numbers as SEP 1.2.1
 * for float32 data (see docs/photometry.md for the few deliberate
 * differences: NaN/Inf and non-positive noise are masked, no pixel-stack
 * limit, deblending overflow is a flag).
 *
 * `image.data` should be background-subtracted. Without noise `thresh` is an
 * absolute level in data units; with `err` or `var` it is relative (the
 * threshold at a pixel is `thresh * sigma`). Pure: the input arrays are
 * never modified; the image is copied to float32 once when it is float64,
 * masked or holds NaN/Inf.
 *
 * A crowded field does not throw: the pixel buffer grows as needed (up to
 * the image size) and a deblending overflow becomes a flag. A source at the
 * edge carries {@link SourceFlag}.TRUNCATED.
 *
 * @throws PhotometryError (`PHOT_BAD_ARGUMENT`, `PHOT_SIZE_MISMATCH`) for a bad
 *   size, threshold, option, kernel or noise value.
 */
export function extractSources(image: ImageLike, thresh: number, options: ExtractOptions = {}): SourceCatalog {
  const { data, width: w, height: h } = image;
  const settings = checkSettings(image, thresh, options);
  const mask = thresholdMask(options.mask ?? image.mask, options.maskThresh, w * h, 'extractSources');
  const kernel = normaliseKernel(options.filterKernel === undefined ? DEFAULT_KERNEL : options.filterKernel);
  const noise = resolveNoise(options, thresh, kernel !== null, w * h);
  const pixels = prepareData(data, w * h, mask, noise.map);
  // Every field spelled out, no object spread: V8 gives a spread-and-extend
  // literal a new hidden class on every call once this function is
  // optimised, which made every property read of the settings in the scan's
  // hot code megamorphic and deoptimised the scan once per extraction.
  const scanSettings: ScanSettings = {
    kernel,
    noise,
    minArea: settings.minArea,
    deblendNthresh: settings.deblendNthresh,
    deblendCont: settings.deblendCont,
    subObjectLimit: settings.subObjectLimit,
    deblendMaxPixels: settings.deblendMaxPixels,
    gain: settings.gain,
    onProgress: options.onProgress,
  };
  const { objects, lastThresh } = scanImage(pixels, w, h, scanSettings);
  const survives = options.clean ?? true ? cleanDetections(objects, settings.minArea, lastThresh, settings.cleanParam) : null;
  return buildCatalog(objects.objs, survives, objects.pix, w, h, options.segmentationMap ?? false);
}

/** The checked numeric settings of an extraction. */
interface Settings {
  minArea: number;
  deblendNthresh: number;
  subObjectLimit: number;
  deblendMaxPixels: number;
  deblendCont: number;
  cleanParam: number;
  gain: number;
}

/** Check the image, the threshold and the numeric options (in SEP-port order) and apply the defaults. */
function checkSettings(image: ImageLike, thresh: number, options: ExtractOptions): Settings {
  const { data, width: w, height: h } = image;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    fail('extractSources', `image size ${String(w)}x${String(h)} is not a positive integer size`);
  }
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    fail('extractSources', 'image.data must be a Float32Array or Float64Array');
  }
  const npix = w * h;
  if (data.length < npix) {
    fail('extractSources', `image.data has ${data.length} values, ${w}x${h} needs ${npix}`, PhotometryErrorCode.sizeMismatch);
  }
  if (typeof thresh !== 'number' || !Number.isFinite(thresh)) fail('extractSources', `threshold ${String(thresh)} is not a finite number`);
  const minArea = checkInt(options.minArea ?? 5, 'minArea', 1);
  const deblendNthresh = checkInt(options.deblendNthresh ?? 32, 'deblendNthresh', 1);
  const subObjectLimit = checkInt(options.subObjectLimit ?? 1024, 'subObjectLimit', 1);
  const deblendMaxPixels = checkInt(options.deblendMaxPixels ?? 300000, 'deblendMaxPixels', 1);
  const deblendCont = options.deblendCont ?? 0.005;
  if (!Number.isFinite(deblendCont) || deblendCont < 0) fail('extractSources', `option deblendCont = ${String(deblendCont)} must be >= 0`);
  const cleanParam = options.cleanParam ?? 1;
  if (!Number.isFinite(cleanParam) || cleanParam <= 0) fail('extractSources', `option cleanParam = ${String(cleanParam)} must be > 0`);
  const gain = options.gain ?? 0;
  if (!Number.isFinite(gain) || gain < 0) fail('extractSources', `option gain = ${String(gain)} must be >= 0`);
  if (options.err !== undefined && options.var !== undefined) fail('extractSources', 'give at most one of err and var');
  return { minArea, deblendNthresh, subObjectLimit, deblendMaxPixels, deblendCont, cleanParam, gain };
}

function checkInt(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) fail('extractSources', `option ${name} = ${String(value)} must be an integer >= ${min}`);
  return value;
}

/** Cleaning: multi-threshold analysis of each object, then SEP's clean (which survive). */
function cleanDetections(objects: ObjList, minArea: number, lastThresh: number, cleanParam: number): Uint8Array {
  const heap = new Float32Array(minArea);
  for (const o of objects.objs) analyseMthresh(o, objects.pix, minArea, lastThresh, heap);
  return cleanObjects(objects.objs, cleanParam);
}
