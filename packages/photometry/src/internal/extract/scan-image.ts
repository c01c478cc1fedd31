/**
 * The scan phase of extractSources: filter each row, label the pixels above
 * the threshold, and deblend and measure every object the Lutz scan
 * finishes (SEP's main loop in extract.c).
 */
import type { ImageLike, ProgressCallback } from '@astro/core';
import { convolveRow, matchedFilterRow } from '@astro/image';
import type { MatchedFilterOptions } from '@astro/image';
import { analyse, preanalyse } from './analyse.js';
import { DEBLEND_OVERFLOW as DEBLEND_OVERFLOW_STATUS, DEBLEND_SPLIT as DEBLEND_SPLIT_STATUS, DeblendContext } from './deblend.js';
import type { Kernel } from '@astro/image';
import { LutzState, scanLutz } from './lutz.js';
import type { LutzVisitor } from './lutz.js';
import type { NoiseModel } from './noise.js';
import { OBJ_DOVERFLOW, Obj, ObjList, PixelList, addObjDeep } from './objects.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const DEBLEND_OVERFLOW = DEBLEND_OVERFLOW_STATUS;
const DEBLEND_SPLIT = DEBLEND_SPLIT_STATUS;

/** What the scan needs besides the pixels. */
export interface ScanSettings {
  kernel: Kernel | null;
  noise: NoiseModel;
  minArea: number;
  deblendNthresh: number;
  deblendCont: number;
  subObjectLimit: number;
  deblendMaxPixels: number;
  gain: number;
  onProgress: ProgressCallback | undefined;
}

/** The measured objects (pixels in `objects.pix`) and the threshold where the scan ended. */
export interface ScanResult {
  objects: ObjList;
  /** SEP's threshold after the last pixel (used by cleaning). */
  lastThresh: number;
}

/** Scan the `w` x `h` float32 pixels `img` (see prepareData). */
export function scanImage(img: Float32Array, w: number, h: number, settings: ScanSettings): ScanResult {
  const scan = new ImageScan(img, w, h, settings);
  scanLutz(new LutzState(w), 0, w, 0, h, h, scan);
  const { noise } = settings;
  // SEP's running threshold after the closing pixel (x = w, y = h): a noise
  // map gives zero noise there
  const lastThresh = noise.map === null ? noise.absThresh : f32(noise.relthresh * 0);
  return { objects: scan.final, lastThresh };
}

/**
 * Rows of the whole image: pixels above the threshold go to a pixel buffer
 * with a free list (a finished object's pixels are reused); every finished
 * object of `minArea` pixels is deblended and measured into `final`.
 */
class ImageScan implements LutzVisitor {
  readonly final: ObjList;
  private readonly top: PixelList;
  private freeHead = 0;
  private readonly deblender: DeblendContext;
  private readonly outList: ObjList;
  private readonly cdscan: Float32Array | null;
  private readonly sigscan: Float32Array | null;
  private readonly image: ImageLike<Float32Array>;
  private readonly matchedOptions: MatchedFilterOptions | null;

  constructor(
    private readonly img: Float32Array,
    private readonly w: number,
    private readonly h: number,
    private readonly s: ScanSettings,
  ) {
    const { hasNoise, matched } = s.noise;
    const top = new PixelList(Math.min(w * h + 1, 1 << 16), hasNoise);
    for (let i = 0; i < top.capacity - 1; i++) top.next[i] = i + 1;
    top.next[top.capacity - 1] = -1;
    this.top = top;
    this.deblender = new DeblendContext(w, h, s.deblendNthresh, s.deblendCont, s.minArea, s.subObjectLimit, hasNoise);
    this.deblender.rand.reset(1);
    this.final = new ObjList(new PixelList(1024, hasNoise));
    this.outList = new ObjList(new PixelList(256, hasNoise));
    this.cdscan = s.kernel ? new Float32Array(w + 1) : null;
    this.sigscan = matched ? new Float32Array(w + 1) : null;
    this.image = { data: img, width: w, height: h };
    this.matchedOptions =
      matched && s.noise.map
        ? { noise: s.noise.map, noiseKind: s.noise.isStd ? 'std' : 'variance', work: new Float32Array(w + 1) }
        : null;
  }

  labelRow(yl: number, row: Int32Array): Int32Array {
    const { img, w, top } = this;
    const { kernel, noise } = this.s;
    let cd = img;
    let cdOff = yl * w;
    let sig: Float32Array | null = null;
    if (kernel && this.cdscan) {
      convolveRow(this.image, yl, kernel, this.cdscan);
      cd = this.cdscan;
      cdOff = 0;
      if (this.sigscan && this.matchedOptions) {
        matchedFilterRow(this.image, yl, kernel, this.matchedOptions, this.sigscan);
        sig = this.sigscan;
      }
    }
    const { map, isStd, relthresh } = noise;
    let pixsig = noise.pixsig;
    let pixvar = noise.pixvar;
    let curThresh = noise.absThresh;
    const rowOff = yl * w;
    let freeHead = this.freeHead;
    for (let xl = 0; xl < w; xl++) {
      const cdnew = cd[cdOff + xl];
      if (map !== null) {
        if (isStd) {
          pixsig = map[rowOff + xl];
          pixvar = f32(pixsig * pixsig);
        } else {
          pixvar = map[rowOff + xl];
          pixsig = f32(Math.sqrt(pixvar));
        }
        curThresh = f32(relthresh * pixsig);
      }
      if (!(sig !== null ? sig[xl] > relthresh : cdnew > curThresh)) continue;
      if (freeHead === -1) freeHead = growTop(top);
      const cn = freeHead;
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
      row[xl] = cn;
    }
    this.freeHead = freeHead;
    return top.next;
  }

  objectDone(first: number, last: number, n: number, flag: number, x: number, y: number): void {
    if (n >= this.s.minArea) this.processObject(first, last, flag, this.threshAt(x, y));
    // free the chain
    if (last !== -1) {
      this.top.next[last] = this.freeHead;
      this.freeHead = first;
    }
  }

  rowDone(y: number): void {
    const onProgress = this.s.onProgress;
    if (onProgress && ((y + 1) % 64 === 0 || y === this.h - 1)) onProgress({ done: y + 1, total: this.h, unit: 'rows' });
  }

  /** SEP's running threshold at scan position (x, y): where an object takes its threshold. */
  private threshAt(x: number, y: number): number {
    const { map, isStd, relthresh, absThresh } = this.s.noise;
    if (map === null) return absThresh;
    if (x === this.w || y === this.h) return f32(relthresh * 0);
    const v = map[y * this.w + x];
    return f32(relthresh * (isStd ? v : f32(Math.sqrt(v))));
  }

  /** Deblend one detection and measure its parts (or itself) into `final`. */
  private processObject(first: number, last: number, flag: number, objThresh: number): void {
    const { top, outList, final } = this;
    const { gain, deblendMaxPixels } = this.s;
    const obj = new Obj();
    obj.firstpix = first;
    obj.lastpix = last;
    obj.flag = flag;
    obj.thresh = objThresh;
    preanalyse(obj, top);
    const status = obj.fdnpix > deblendMaxPixels ? DEBLEND_OVERFLOW : this.deblender.deblend(obj, top, outList);
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
  }
}

/** Double the pixel buffer, link the new entries; returns the new free head. */
function growTop(top: PixelList): number {
  const old = top.capacity;
  top.reserve(old * 2);
  const c = top.capacity;
  for (let i = old; i < c - 1; i++) top.next[i] = i + 1;
  top.next[c - 1] = -1;
  return old;
}
