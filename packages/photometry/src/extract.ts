/**
 * Source detection and measurement at Source Extractor grade: SEP's
 * `extract()` (filtering, 8-connected Lutz labelling, multi-threshold
 * deblending, cleaning, isophotal measurements, segmentation map).
 */
import type { ImageData, ProgressCallback } from '@astro/core';
import { PhotometryError } from './errors.js';
import { analyse, analyseMthresh, preanalyse } from './internal/extract/analyse.js';
import { cleanObjects } from './internal/extract/clean.js';
import {
  DEBLEND_OVERFLOW as DEBLEND_OVERFLOW_STATUS,
  DEBLEND_SPLIT as DEBLEND_SPLIT_STATUS,
  DeblendContext,
  LutzState,
} from './internal/extract/deblend.js';
import { thresholdMask } from './internal/extract/mask.js';
import { convolveRow, matchedFilterRow } from './internal/extract/filter.js';
import { BIG as SEP_BIG } from './internal/extract/float32.js';
import {
  OBJ_DOVERFLOW,
  OBJ_MERGED,
  OBJ_SINGU,
  OBJ_TRUNC as TRUNC_FLAG,
  Obj,
  ObjList,
  PixelList,
  addObjDeep,
} from './internal/extract/objects.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const OBJ_TRUNC = TRUNC_FLAG;
const DEBLEND_OVERFLOW = DEBLEND_OVERFLOW_STATUS;
const DEBLEND_SPLIT = DEBLEND_SPLIT_STATUS;
const BIG = SEP_BIG;

/**
 * Flag bits of an extracted source (`SourceCatalog.flag`), SEP's values.
 * A problem with one source is a flag, never an exception.
 */
export const SourceFlag = {
  /** Deblended: the object was one of several children of a detection. */
  MERGED: OBJ_MERGED,
  /** Touches the image edge (its pixels include row/column 0 or the last). */
  TRUNCATED: OBJ_TRUNC,
  /**
   * Not deblended: more branches than `subObjectLimit` at a level, or more
   * pixels than `deblendMaxPixels`; the detection is kept whole.
   */
  DEBLEND_OVERFLOW: OBJ_DOVERFLOW,
  /** Singular moments (e.g. a single line of pixels); shape regularised. */
  SINGULAR: OBJ_SINGU,
} as const;

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

/** What {@link extractSources} needs of an image (an `Image` fits). */
export interface ExtractInput {
  /** Pixel values (background-subtracted), row-major, x fastest. */
  data: ImageData;
  /** Number of columns. */
  width: number;
  /** Number of rows. */
  height: number;
  /** Optional mask (masked where > `maskThresh`), used when `options.mask` is absent. */
  mask?: Uint8Array;
}

/**
 * Extracted sources as columns (index i = source i), SEP's fields and types.
 * Coordinates are zero-based pixel coordinates (pixel (0, 0) is the centre of
 * the first pixel).
 */
export interface SourceCatalog {
  /** Number of sources. */
  count: number;
  /** Detection threshold at the source (data units). */
  thresh: Float32Array;
  /** Number of member pixels. */
  npix: Int32Array;
  /** Number of member pixels above `thresh` in the unfiltered data. */
  tnpix: Int32Array;
  /** Bounding box of the member pixels (inclusive). */
  xmin: Int32Array;
  /** See `xmin`. */
  xmax: Int32Array;
  /** See `xmin`. */
  ymin: Int32Array;
  /** See `xmin`. */
  ymax: Int32Array;
  /** Barycentre (first moments of the filtered data), x. */
  x: Float64Array;
  /** Barycentre, y. */
  y: Float64Array;
  /** Second moment x2 (pixel^2). */
  x2: Float64Array;
  /** Second moment y2. */
  y2: Float64Array;
  /** Second moment xy. */
  xy: Float64Array;
  /** Variance of x (zero without noise or gain). */
  errx2: Float64Array;
  /** Variance of y. */
  erry2: Float64Array;
  /** Covariance of x and y. */
  errxy: Float64Array;
  /** Semi-major axis (pixels). */
  a: Float32Array;
  /** Semi-minor axis (pixels). */
  b: Float32Array;
  /** Position angle (radians, counter-clockwise from +x, in [-pi/2, pi/2]). */
  theta: Float32Array;
  /** Ellipse coefficient: cxx x^2 + cyy y^2 + cxy x y = 1 at the isophote scale. */
  cxx: Float32Array;
  /** See `cxx`. */
  cyy: Float32Array;
  /** See `cxx`. */
  cxy: Float32Array;
  /** Sum of the member pixels in the filtered data. */
  cflux: Float32Array;
  /** Sum of the member pixels in the unfiltered data (isophotal flux). */
  flux: Float32Array;
  /** Peak of the filtered data. */
  cpeak: Float32Array;
  /** Peak of the unfiltered data. */
  peak: Float32Array;
  /** Pixel of the filtered peak, x. */
  xcpeak: Int32Array;
  /** Pixel of the filtered peak, y. */
  ycpeak: Int32Array;
  /** Pixel of the unfiltered peak, x. */
  xpeak: Int32Array;
  /** Pixel of the unfiltered peak, y. */
  ypeak: Int32Array;
  /** {@link SourceFlag} bits. */
  flag: Uint16Array;
  /**
   * Segmentation map (when requested): `width * height`, 0 for background,
   * `i + 1` for the pixels of source i.
   */
  segmentationMap?: Int32Array;
}

/** One source as a plain object (see {@link sourceRows}). */
export interface SourceRow {
  /** See {@link SourceCatalog}. */
  thresh: number;
  /** See {@link SourceCatalog}. */
  npix: number;
  /** See {@link SourceCatalog}. */
  tnpix: number;
  /** See {@link SourceCatalog}. */
  xmin: number;
  /** See {@link SourceCatalog}. */
  xmax: number;
  /** See {@link SourceCatalog}. */
  ymin: number;
  /** See {@link SourceCatalog}. */
  ymax: number;
  /** See {@link SourceCatalog}. */
  x: number;
  /** See {@link SourceCatalog}. */
  y: number;
  /** See {@link SourceCatalog}. */
  x2: number;
  /** See {@link SourceCatalog}. */
  y2: number;
  /** See {@link SourceCatalog}. */
  xy: number;
  /** See {@link SourceCatalog}. */
  errx2: number;
  /** See {@link SourceCatalog}. */
  erry2: number;
  /** See {@link SourceCatalog}. */
  errxy: number;
  /** See {@link SourceCatalog}. */
  a: number;
  /** See {@link SourceCatalog}. */
  b: number;
  /** See {@link SourceCatalog}. */
  theta: number;
  /** See {@link SourceCatalog}. */
  cxx: number;
  /** See {@link SourceCatalog}. */
  cyy: number;
  /** See {@link SourceCatalog}. */
  cxy: number;
  /** See {@link SourceCatalog}. */
  cflux: number;
  /** See {@link SourceCatalog}. */
  flux: number;
  /** See {@link SourceCatalog}. */
  cpeak: number;
  /** See {@link SourceCatalog}. */
  peak: number;
  /** See {@link SourceCatalog}. */
  xcpeak: number;
  /** See {@link SourceCatalog}. */
  ycpeak: number;
  /** See {@link SourceCatalog}. */
  xpeak: number;
  /** See {@link SourceCatalog}. */
  ypeak: number;
  /** See {@link SourceCatalog}. */
  flag: number;
}

const COLUMNS = [
  'thresh', 'npix', 'tnpix', 'xmin', 'xmax', 'ymin', 'ymax', 'x', 'y', 'x2', 'y2', 'xy',
  'errx2', 'erry2', 'errxy', 'a', 'b', 'theta', 'cxx', 'cyy', 'cxy', 'cflux', 'flux',
  'cpeak', 'peak', 'xcpeak', 'ycpeak', 'xpeak', 'ypeak', 'flag',
] as const satisfies readonly (keyof SourceRow)[];

/** The sources of a catalogue as an array of plain objects (copies the values). */
export function sourceRows(catalog: SourceCatalog): SourceRow[] {
  const rows: SourceRow[] = [];
  for (let i = 0; i < catalog.count; i++) {
    const row = {} as Record<keyof SourceRow, number>;
    for (const c of COLUMNS) row[c] = catalog[c][i];
    rows.push(row as SourceRow);
  }
  return rows;
}

const DEFAULT_KERNEL: FilterKernel = [
  [1, 2, 1],
  [2, 4, 2],
  [1, 2, 1],
];

const COMPLETE = 0;
const INCOMPLETE = 1;
const NONOBJECT = 2;
const OBJECT = 3;
const MK_S = 1;
const MK_s = 2;
const MK_f = 3;
const MK_F = 4;
const UNKNOWN = -1;

function fail(message: string, code = 'PHOT_BAD_ARGUMENT'): never {
  throw new PhotometryError(`photometry: extractSources: ${message}`, { code });
}

function checkInt(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) fail(`option ${name} = ${String(value)} must be an integer >= ${min}`);
  return value;
}

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
export function extractSources(image: ExtractInput, thresh: number, options: ExtractOptions = {}): SourceCatalog {
  const { data, width: w, height: h } = image;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) {
    fail(`image size ${String(w)}x${String(h)} is not a positive integer size`);
  }
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    fail('image.data must be a Float32Array or Float64Array');
  }
  const npixImage = w * h;
  if (data.length < npixImage) {
    fail(`image.data has ${data.length} values, ${w}x${h} needs ${npixImage}`, 'PHOT_SIZE_MISMATCH');
  }
  if (typeof thresh !== 'number' || !Number.isFinite(thresh)) fail(`threshold ${String(thresh)} is not a finite number`);
  const minArea = checkInt(options.minArea ?? 5, 'minArea', 1);
  const nthresh = checkInt(options.deblendNthresh ?? 32, 'deblendNthresh', 1);
  const subObjectLimit = checkInt(options.subObjectLimit ?? 1024, 'subObjectLimit', 1);
  const deblendMaxPixels = checkInt(options.deblendMaxPixels ?? 300000, 'deblendMaxPixels', 1);
  const deblendCont = options.deblendCont ?? 0.005;
  if (!Number.isFinite(deblendCont) || deblendCont < 0) fail(`option deblendCont = ${String(deblendCont)} must be >= 0`);
  const cleanParam = options.cleanParam ?? 1;
  if (!Number.isFinite(cleanParam) || cleanParam <= 0) fail(`option cleanParam = ${String(cleanParam)} must be > 0`);
  const gain = options.gain ?? 0;
  if (!Number.isFinite(gain) || gain < 0) fail(`option gain = ${String(gain)} must be >= 0`);
  if (options.err !== undefined && options.var !== undefined) fail('give at most one of err and var');
  const mask = thresholdMask(options.mask ?? image.mask, options.maskThresh, npixImage, 'extractSources');

  // ---- filter kernel
  const kernelRows = options.filterKernel === undefined ? DEFAULT_KERNEL : options.filterKernel;
  let kernel: Float32Array | null = null;
  let kw = 0;
  let kh = 0;
  if (kernelRows !== null) {
    kh = kernelRows.length;
    kw = kh > 0 ? kernelRows[0].length : 0;
    if (kh === 0 || kw === 0 || kernelRows.some((r) => r.length !== kw)) {
      fail('filterKernel must be a non-empty rectangular array of rows');
    }
    kernel = new Float32Array(kw * kh);
    let sum = 0;
    for (let j = 0; j < kh; j++) {
      for (let i = 0; i < kw; i++) {
        const v = kernelRows[j][i];
        if (!Number.isFinite(v)) fail(`filterKernel[${j}][${i}] = ${String(v)} is not finite`);
        kernel[j * kw + i] = v;
        sum = f32(sum + Math.abs(kernel[j * kw + i]));
      }
    }
    if (!(sum > 0)) fail('filterKernel weights are all zero');
    for (let i = 0; i < kernel.length; i++) kernel[i] = f32(kernel[i] / sum);
  }

  // ---- noise
  const noiseOpt = options.err ?? options.var;
  const noiseIsStd = options.err !== undefined;
  let noiseArr: Float32Array | null = null;
  let pixsig = 0;
  let pixvar = 0;
  const hasNoise = noiseOpt !== undefined;
  if (typeof noiseOpt === 'number') {
    if (!Number.isFinite(noiseOpt) || noiseOpt <= 0) {
      fail(`${noiseIsStd ? 'err' : 'var'} = ${String(noiseOpt)} must be a positive finite number`);
    }
    if (noiseIsStd) {
      pixsig = f32(noiseOpt);
      pixvar = f32(pixsig * pixsig);
    } else {
      pixvar = f32(noiseOpt);
      pixsig = f32(Math.sqrt(pixvar));
    }
  } else if (noiseOpt !== undefined) {
    if (!(noiseOpt instanceof Float32Array) && !(noiseOpt instanceof Float64Array)) {
      fail(`${noiseIsStd ? 'err' : 'var'} must be a number, Float32Array or Float64Array`);
    }
    if (noiseOpt.length < npixImage) {
      fail(`${noiseIsStd ? 'err' : 'var'} has ${noiseOpt.length} values, the image ${npixImage}`, 'PHOT_SIZE_MISMATCH');
    }
    noiseArr = new Float32Array(npixImage);
    noiseArr.set(noiseOpt.length === npixImage ? noiseOpt : noiseOpt.subarray(0, npixImage));
  }
  const isVarNoise = noiseArr !== null;
  const relthresh = f32(thresh);
  let absThresh = f32(thresh);
  if (hasNoise && !isVarNoise) absThresh = f32(absThresh * pixsig);
  const matched = kernel !== null && isVarNoise && (options.filterType ?? 'matched') === 'matched';
  if (options.filterType !== undefined && options.filterType !== 'matched' && options.filterType !== 'conv') {
    fail(`filterType '${String(options.filterType)}' is not 'matched' or 'conv'`);
  }

  // ---- data as float32 with masked / non-finite pixels zeroed
  const img = prepareData(data, npixImage, mask, noiseArr);

  // ---- state
  const top = new PixelList(Math.min(npixImage + 1, 1 << 16), hasNoise);
  let freeHead = 0;
  for (let i = 0; i < top.capacity - 1; i++) top.next[i] = i + 1;
  top.next[top.capacity - 1] = -1;
  const L = new LutzState(w);
  const { marker, psstack, start, end } = L;
  const deblender = new DeblendContext(w, h, nthresh, deblendCont, minArea, subObjectLimit, hasNoise);
  deblender.rand.reset(1);
  const final = new ObjList(new PixelList(1024, hasNoise));
  const outList = new ObjList(new PixelList(256, hasNoise));
  const dummy = new Float32Array(w + 1).fill(-BIG);
  const cdscan = kernel ? new Float32Array(w + 1) : null;
  const sigscan = matched ? new Float32Array(w + 1) : null;
  const work = matched ? new Float32Array(w + 1) : null;
  for (let x = 0; x <= w; x++) marker[x] = 0;

  let curThresh = absThresh;
  let co = 0;
  let pstop = 0;

  const processObject = (first: number, last: number, flag: number, objThresh: number): void => {
    const obj = new Obj();
    obj.firstpix = first;
    obj.lastpix = last;
    obj.flag = flag;
    obj.thresh = objThresh;
    preanalyse(obj, top);
    const status = obj.fdnpix > deblendMaxPixels ? DEBLEND_OVERFLOW : deblender.deblend(obj, top, outList);
    if (status === DEBLEND_SPLIT) {
      for (const o of outList.objs) {
        analyse(o, outList.pix, true, gain);
        addObjDeep(o, outList.pix, final);
      }
    } else {
      // kept whole: measured in place (the same pixel order as SEP's copy)
      if (status === DEBLEND_OVERFLOW) obj.flag |= OBJ_DOVERFLOW;
      analyse(obj, top, true, gain);
      addObjDeep(obj, top, final);
    }
  };

  for (let yl = 0; yl <= h; yl++) {
    let ps = COMPLETE;
    let cs = NONOBJECT;
    let cd: Float32Array;
    let cdOff = 0;
    let sig: Float32Array | null = null;
    if (yl === h) {
      cd = dummy;
      if (sigscan) {
        sigscan.fill(-BIG);
        sig = sigscan;
      }
    } else if (kernel && cdscan) {
      convolveRow(img, w, h, yl, kernel, kw, kh, cdscan);
      cd = cdscan;
      if (matched && sigscan && work && noiseArr) {
        matchedFilterRow(img, noiseArr, noiseIsStd, w, h, yl, kernel, kw, kh, work, sigscan);
        sig = sigscan;
      }
    } else {
      cd = img;
      cdOff = yl * w;
    }
    const rowOff = yl * w;
    const trunflag = yl === 0 || yl === h - 1 ? OBJ_TRUNC : 0;

    for (let xl = 0; xl <= w; xl++) {
      const cdnew = xl === w || yl === h ? -BIG : cd[cdOff + xl];
      const newmarker = marker[xl];
      if (isVarNoise && noiseArr) {
        if (xl === w || yl === h) {
          pixsig = 0;
          pixvar = 0;
        } else if (noiseIsStd) {
          pixsig = noiseArr[rowOff + xl];
          pixvar = f32(pixsig * pixsig);
        } else {
          pixvar = noiseArr[rowOff + xl];
          pixsig = f32(Math.sqrt(pixvar));
        }
        curThresh = f32(relthresh * pixsig);
      }
      const luflag = sig ? xl !== w && sig[xl] > relthresh : cdnew > curThresh;
      // nothing to do for a background pixel with no pending marker
      if (!luflag && newmarker === 0 && cs !== OBJECT) continue;
      marker[xl] = 0;

      let cn = -1;
      let curflag = 0;
      if (luflag) {
        curflag = trunflag;
        if (xl === 0 || xl === w - 1) curflag |= OBJ_TRUNC;
        if (freeHead === -1) freeHead = growTop(top);
        cn = freeHead;
        freeHead = top.next[cn];
        top.next[cn] = -1;
        top.x[cn] = xl;
        top.y[cn] = yl;
        top.value[cn] = img[rowOff + xl];
        top.cdvalue[cn] = cdnew;
        if (top.var && top.thresh) {
          top.var[cn] = pixvar;
          top.thresh[cn] = curThresh;
        }
        if (cs !== OBJECT) {
          cs = OBJECT;
          if (ps === OBJECT) {
            if (start[co] === UNKNOWN) {
              marker[xl] = MK_S;
              start[co] = xl;
            } else {
              marker[xl] = MK_s;
            }
          } else {
            psstack[pstop++] = ps;
            marker[xl] = MK_S;
            start[++co] = xl;
            ps = COMPLETE;
            L.initInfo(co);
          }
        }
      }

      if (newmarker) {
        if (newmarker === MK_S) {
          psstack[pstop++] = ps;
          if (cs === NONOBJECT) {
            psstack[pstop++] = COMPLETE;
            L.infoFromStore(++co, xl);
            start[co] = UNKNOWN;
          } else {
            L.mergeStore(co, xl, top.next);
          }
          ps = OBJECT;
        } else if (newmarker === MK_s) {
          if (cs === OBJECT && ps === COMPLETE) {
            pstop--;
            const xl2 = start[co];
            L.mergeInfo(co - 1, co, top.next);
            if (start[--co] === UNKNOWN) start[co] = xl2;
            else marker[xl2] = MK_s;
          }
          ps = OBJECT;
        } else if (newmarker === MK_f) {
          ps = INCOMPLETE;
        } else {
          ps = psstack[--pstop];
          if (cs === NONOBJECT && ps === COMPLETE) {
            if (start[co] === UNKNOWN) {
              const first = L.infoFirst[co];
              const last = L.infoLast[co];
              if (L.infoN[co] >= minArea) processObject(first, last, L.infoFlag[co], curThresh);
              // free the chain
              if (last !== -1) {
                top.next[last] = freeHead;
                freeHead = first;
              }
            } else {
              marker[end[co]] = MK_F;
              L.storeFromInfo(start[co], co);
            }
            co--;
            ps = psstack[--pstop];
          }
        }
      }

      if (luflag) {
        L.merge(co, 1, cn, cn, curflag, top.next);
      } else if (cs === OBJECT) {
        cs = NONOBJECT;
        if (ps !== COMPLETE) {
          marker[xl] = MK_f;
          end[co] = xl;
        } else {
          ps = psstack[--pstop];
          marker[xl] = MK_F;
          L.storeFromInfo(start[co], co);
          co--;
        }
      }
    }
    if (options.onProgress && yl < h && ((yl + 1) % 64 === 0 || yl === h - 1)) {
      options.onProgress({ done: yl + 1, total: h, unit: 'rows' });
    }
  }

  // ---- cleaning
  const objs = final.objs;
  let survives: Uint8Array | null = null;
  if (options.clean ?? true) {
    const heap = new Float32Array(minArea);
    for (const o of objs) analyseMthresh(o, final.pix, minArea, curThresh, heap);
    survives = cleanObjects(objs, cleanParam);
  }
  return buildCatalog(objs, survives, final.pix, w, h, options.segmentationMap ?? false);
}

/** Double the top-level pixel buffer, link the new entries; returns the new free head. */
function growTop(top: PixelList): number {
  const old = top.capacity;
  top.reserve(old * 2);
  const c = top.capacity;
  for (let i = old; i < c - 1; i++) top.next[i] = i + 1;
  top.next[c - 1] = -1;
  return old;
}

/**
 * Float32 view of the data with masked and non-finite pixels set to 0 (and
 * their noise to BIG); copies only when needed.
 */
function prepareData(
  data: ImageData,
  n: number,
  mask: Uint8Array | undefined,
  noise: Float32Array | null,
): Float32Array {
  if (data instanceof Float32Array && mask === undefined && noise === null) {
    let finite = true;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v !== v || v === Infinity || v === -Infinity) {
        finite = false;
        break;
      }
    }
    if (finite) return data.length === n ? data : data.subarray(0, n);
  }
  const img = new Float32Array(n);
  img.set(data.length === n ? data : data.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const v = img[i];
    let bad = v !== v || v === Infinity || v === -Infinity || (mask !== undefined && mask[i] !== 0);
    if (noise !== null) {
      const nv = noise[i];
      if (!(nv > 0) || nv === Infinity) bad = true;
      if (bad) noise[i] = BIG;
    }
    if (bad) img[i] = 0;
  }
  return img;
}

function buildCatalog(
  objs: readonly Obj[],
  survives: Uint8Array | null,
  pix: PixelList,
  w: number,
  h: number,
  withSegmap: boolean,
): SourceCatalog {
  let n = 0;
  for (let i = 0; i < objs.length; i++) if (!survives || survives[i]) n++;
  const cat: SourceCatalog = {
    count: n,
    thresh: new Float32Array(n),
    npix: new Int32Array(n),
    tnpix: new Int32Array(n),
    xmin: new Int32Array(n),
    xmax: new Int32Array(n),
    ymin: new Int32Array(n),
    ymax: new Int32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    x2: new Float64Array(n),
    y2: new Float64Array(n),
    xy: new Float64Array(n),
    errx2: new Float64Array(n),
    erry2: new Float64Array(n),
    errxy: new Float64Array(n),
    a: new Float32Array(n),
    b: new Float32Array(n),
    theta: new Float32Array(n),
    cxx: new Float32Array(n),
    cyy: new Float32Array(n),
    cxy: new Float32Array(n),
    cflux: new Float32Array(n),
    flux: new Float32Array(n),
    cpeak: new Float32Array(n),
    peak: new Float32Array(n),
    xcpeak: new Int32Array(n),
    ycpeak: new Int32Array(n),
    xpeak: new Int32Array(n),
    ypeak: new Int32Array(n),
    flag: new Uint16Array(n),
  };
  const seg = withSegmap ? new Int32Array(w * h) : null;
  let j = 0;
  for (let i = 0; i < objs.length; i++) {
    if (survives && !survives[i]) continue;
    const o = objs[i];
    cat.thresh[j] = o.thresh;
    cat.npix[j] = o.fdnpix;
    cat.tnpix[j] = o.dnpix;
    cat.xmin[j] = o.xmin;
    cat.xmax[j] = o.xmax;
    cat.ymin[j] = o.ymin;
    cat.ymax[j] = o.ymax;
    cat.x[j] = o.mx;
    cat.y[j] = o.my;
    cat.x2[j] = o.mx2;
    cat.y2[j] = o.my2;
    cat.xy[j] = o.mxy;
    cat.errx2[j] = o.errx2;
    cat.erry2[j] = o.erry2;
    cat.errxy[j] = o.errxy;
    cat.a[j] = o.a;
    cat.b[j] = o.b;
    cat.theta[j] = o.theta;
    cat.cxx[j] = o.cxx;
    cat.cyy[j] = o.cyy;
    cat.cxy[j] = o.cxy;
    cat.cflux[j] = o.fdflux;
    cat.flux[j] = o.dflux;
    cat.cpeak[j] = o.fdpeak;
    cat.peak[j] = o.dpeak;
    cat.xcpeak[j] = o.xcpeak;
    cat.ycpeak[j] = o.ycpeak;
    cat.xpeak[j] = o.xpeak;
    cat.ypeak[j] = o.ypeak;
    cat.flag[j] = o.flag;
    if (seg) {
      for (let p = o.firstpix; p !== -1; p = pix.next[p]) seg[pix.x[p] + w * pix.y[p]] = j + 1;
    }
    j++;
  }
  if (seg) cat.segmentationMap = seg;
  return cat;
}
