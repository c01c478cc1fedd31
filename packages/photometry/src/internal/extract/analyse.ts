/**
 * Object measurements over a pixel chain: SEP's preanalyse (bounding box,
 * peaks, filtered flux), analyse (barycentre, second moments, their errors,
 * ellipse parameters) and the cleaning threshold (analysemthresh).
 */
import { BIG as SEP_BIG, SEP_PI as PI_SEP } from './float32.js';
import { OBJ_MERGED, OBJ_SINGU, type Obj, type PixelList } from './objects.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const BIG = SEP_BIG;
const SEP_PI = PI_SEP;

/** Bounding box, peaks, npix and filtered flux of `obj`. */
export function preanalyse(obj: Obj, pix: PixelList): void {
  const { next, x: px, y: py, value, cdvalue } = pix;
  let fdnpix = 0;
  let rv = 0;
  let peak = -BIG;
  let cpeak = -BIG;
  let xmin = 1 << 30;
  let ymin = 1 << 30;
  let xmax = 0;
  let ymax = 0;
  let xpeak = 0;
  let ypeak = 0;
  let xcpeak = 0;
  let ycpeak = 0;
  for (let i = obj.firstpix; i !== -1; i = next[i]) {
    const x = px[i];
    const y = py[i];
    const val = value[i];
    const cval = cdvalue[i];
    if (peak < val) {
      peak = val;
      xpeak = x;
      ypeak = y;
    }
    if (cpeak < cval) {
      cpeak = cval;
      xcpeak = x;
      ycpeak = y;
    }
    rv += cval;
    if (xmin > x) xmin = x;
    if (xmax < x) xmax = x;
    if (ymin > y) ymin = y;
    if (ymax < y) ymax = y;
    fdnpix++;
  }
  obj.fdnpix = fdnpix;
  obj.fdflux = f32(rv);
  obj.fdpeak = f32(cpeak);
  obj.dpeak = f32(peak);
  obj.xpeak = xpeak;
  obj.ypeak = ypeak;
  obj.xcpeak = xcpeak;
  obj.ycpeak = ycpeak;
  obj.xmin = xmin;
  obj.xmax = xmax;
  obj.ymin = ymin;
  obj.ymax = ymax;
}

/**
 * Full measurement of `obj`. With `robust` and a deblended (MERGED) object
 * the moments are taken about the barycentre computed before the faint
 * pixels were gathered, as SEP does. `gain > 0` adds the Poisson term to the
 * position errors.
 */
export function analyse(obj: Obj, pix: PixelList, robust: boolean, gain: number): void {
  preanalyse(obj, pix);
  const { next, x: px, y: py, value, cdvalue } = pix;
  const pvar = pix.var;
  let dnpix = 0;
  let mx = 0;
  let my = 0;
  let tv = 0;
  let mx2 = 0;
  let my2 = 0;
  let mxy = 0;
  let cvarsum = 0;
  let errx2 = 0;
  let erry2 = 0;
  let errxy = 0;
  const thresh = obj.thresh;
  const peak = obj.dpeak;
  const rv = obj.fdflux;
  const rv2 = rv * rv;
  const thresh2 = (thresh + peak) / 2;
  let area2 = 0;
  const xmin = obj.xmin;
  const ymin = obj.ymin;

  for (let i = obj.firstpix; i !== -1; i = next[i]) {
    const x = px[i] - xmin;
    const y = py[i] - ymin;
    const cval = cdvalue[i];
    const val = value[i];
    tv += val;
    if (val > thresh) dnpix++;
    if (val > thresh2) area2++;
    // C: float * int is a float product
    const cx = f32(cval * x);
    const cy = f32(cval * y);
    mx += cx;
    my += cy;
    mx2 += f32(cx * x);
    my2 += f32(cy * y);
    mxy += f32(cx * y);
  }

  let xm = mx / rv;
  let ym = my / rv;
  let xm2: number;
  let ym2: number;
  let xym: number;
  if (robust && obj.flag & OBJ_MERGED) {
    const xn = obj.mx - xmin;
    const yn = obj.my - ymin;
    xm2 = mx2 / rv + xn * xn - 2 * xm * xn;
    ym2 = my2 / rv + yn * yn - 2 * ym * yn;
    xym = mxy / rv + xn * yn - xm * yn - xn * ym;
    xm = xn;
    ym = yn;
  } else {
    xm2 = mx2 / rv - xm * xm;
    ym2 = my2 / rv - ym * ym;
    xym = mxy / rv - xm * ym;
  }

  for (let i = obj.firstpix; i !== -1; i = next[i]) {
    const x = px[i] - xmin;
    const y = py[i] - ymin;
    let cvar = pvar ? pvar[i] : 0;
    if (gain > 0) {
      const cval = cdvalue[i];
      if (cval > 0) cvar += cval / gain;
    }
    cvarsum += cvar;
    errx2 += cvar * (x - xm) * (x - xm);
    erry2 += cvar * (y - ym) * (y - ym);
    errxy += cvar * (x - xm) * (y - ym);
  }
  errx2 /= rv2;
  erry2 /= rv2;
  errxy /= rv2;

  let temp2 = xm2 * ym2 - xym * xym;
  if (temp2 < 0.00694) {
    xm2 += 0.0833333;
    ym2 += 0.0833333;
    temp2 = xm2 * ym2 - xym * xym;
    obj.flag |= OBJ_SINGU;
    cvarsum *= 0.08333 / rv2;
    if (errx2 * erry2 - errxy * errxy < cvarsum * cvarsum) {
      errx2 += cvarsum;
      erry2 += cvarsum;
    }
  }

  let temp = xm2 - ym2;
  const theta = Math.abs(temp) > 0 ? Math.atan2(2 * xym, temp) / 2 : SEP_PI / 4;
  temp = Math.sqrt(0.25 * temp * temp + xym * xym);
  let pmx2 = 0.5 * (xm2 + ym2);
  let pmy2 = pmx2;
  pmx2 += temp;
  pmy2 -= temp;

  obj.dnpix = dnpix;
  obj.dflux = f32(tv);
  obj.mx = xm + xmin;
  obj.my = ym + ymin;
  obj.mx2 = xm2;
  obj.errx2 = errx2;
  obj.my2 = ym2;
  obj.erry2 = erry2;
  obj.mxy = xym;
  obj.errxy = errxy;
  obj.a = f32(Math.sqrt(pmx2));
  obj.b = f32(Math.sqrt(pmy2));
  obj.theta = f32(theta);
  obj.cxx = f32(ym2 / temp2);
  obj.cyy = f32(xm2 / temp2);
  obj.cxy = f32((-2 * xym) / temp2);

  const darea = area2 - dnpix;
  const t1t2 = thresh / thresh2;
  if (t1t2 > 0) {
    let abcor = f32(
      (darea < 0 ? darea : -1) / (2 * SEP_PI * Math.log(t1t2 < 1 ? t1t2 : 0.99) * obj.a * obj.b),
    );
    if (abcor > 1) abcor = 1;
    obj.abcor = abcor;
  } else {
    obj.abcor = 1;
  }
}

/**
 * The cleaning threshold of `obj`: the `minarea`-th highest pixel above the
 * threshold, computed with SEP's own heap (including its quirks: the pixel
 * at which the heap is first sorted is dropped and the sift-down index
 * steps one slot too far), so that cleaning decisions match SEP's.
 */
export function analyseMthresh(
  obj: Obj,
  pix: PixelList,
  minarea: number,
  thresh: number,
  heap: Float32Array,
): void {
  if (obj.fdnpix < minarea) {
    obj.mthresh = 0;
    return;
  }
  heap.fill(0, 0, minarea);
  const { next, cdvalue } = pix;
  const pthresh = pix.thresh;
  let h = minarea;
  let ht = 0;
  for (let i = obj.firstpix; i !== -1; i = next[i]) {
    const tpix = f32(cdvalue[i] - (pthresh ? pthresh[i] : thresh));
    if (h > 0) {
      heap[ht++] = tpix;
    } else if (h !== 0) {
      if (tpix > heap[0]) {
        heap[0] = tpix;
        for (let j = 0, k = 2; k <= minarea; k = (j + 1) << 1) {
          let idx: number;
          if (k !== minarea && heap[k - 1] > heap[k]) {
            idx = k;
            k++;
          } else {
            idx = k - 1;
          }
          if (heap[j] <= heap[idx]) break;
          const swap = heap[idx];
          heap[idx] = heap[j];
          heap[j] = swap;
          j = k;
        }
      }
    } else {
      // SEP calls fqmedian here for its side effect: the heap sorted ascending
      heap.subarray(0, minarea).sort();
    }
    h--;
  }
  obj.mthresh = heap[0];
}
