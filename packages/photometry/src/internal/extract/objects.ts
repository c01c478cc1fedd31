/**
 * Pixel lists and object records of the extraction (SEP's plist / objstruct /
 * objliststruct), as growable struct-of-arrays. Pixels of an object are a
 * singly linked chain (`next`, -1 terminated); the chain order is SEP's, which
 * the deblender's random pixel assignment depends on.
 */

/** Object flag bits (same values as SEP). */
export const OBJ_MERGED = 0x0001;
export const OBJ_TRUNC = 0x0002;
export const OBJ_DOVERFLOW = 0x0004;
export const OBJ_SINGU = 0x0008;

/** A growable list of pixels. */
export class PixelList {
  next: Int32Array;
  x: Int32Array;
  y: Int32Array;
  /** Unfiltered pixel value. */
  value: Float32Array;
  /** Filtered (convolved) value; equals `value` without a filter. */
  cdvalue: Float32Array;
  /** Pixel variance (only with noise). */
  var: Float32Array | null;
  /** Pixel detection threshold (only with noise). */
  thresh: Float32Array | null;
  /** Number of entries in use (compact lists) or allocated (free-list lists). */
  length = 0;

  constructor(
    capacity: number,
    readonly hasNoise: boolean,
  ) {
    const c = Math.max(16, capacity);
    this.next = new Int32Array(c);
    this.x = new Int32Array(c);
    this.y = new Int32Array(c);
    this.value = new Float32Array(c);
    this.cdvalue = new Float32Array(c);
    this.var = hasNoise ? new Float32Array(c) : null;
    this.thresh = hasNoise ? new Float32Array(c) : null;
  }

  get capacity(): number {
    return this.next.length;
  }

  /** Make room for at least `n` entries. */
  reserve(n: number): void {
    if (n <= this.next.length) return;
    let c = this.next.length * 2;
    while (c < n) c *= 2;
    this.next = grow(this.next, c);
    this.x = grow(this.x, c);
    this.y = grow(this.y, c);
    this.value = grow(this.value, c);
    this.cdvalue = grow(this.cdvalue, c);
    if (this.var) this.var = grow(this.var, c);
    if (this.thresh) this.thresh = grow(this.thresh, c);
  }

  /** Append a copy of pixel `i` of `src` (its `next` set to -1); returns its index. */
  pushFrom(src: PixelList, i: number): number {
    const k = this.length;
    if (k >= this.next.length) this.reserve(k + 1);
    this.next[k] = -1;
    this.x[k] = src.x[i];
    this.y[k] = src.y[i];
    this.value[k] = src.value[i];
    this.cdvalue[k] = src.cdvalue[i];
    if (this.var && src.var) this.var[k] = src.var[i];
    if (this.thresh && src.thresh) this.thresh[k] = src.thresh[i];
    this.length = k + 1;
    return k;
  }
}

function grow<T extends Int32Array | Float32Array>(a: T, n: number): T {
  const b = new (a.constructor as { new (n: number): T })(n);
  b.set(a);
  return b;
}

/** One object (SEP's objstruct); float fields hold float32 values. */
export class Obj {
  thresh = 0;
  mthresh = 0;
  fdnpix = 0;
  dnpix = 0;
  xpeak = 0;
  ypeak = 0;
  xcpeak = 0;
  ycpeak = 0;
  mx = 0;
  my = 0;
  xmin = 0;
  xmax = 0;
  ymin = 0;
  ymax = 0;
  mx2 = 0;
  my2 = 0;
  mxy = 0;
  errx2 = 0;
  erry2 = 0;
  errxy = 0;
  a = 0;
  b = 0;
  theta = 0;
  abcor = 0;
  cxx = 0;
  cyy = 0;
  cxy = 0;
  fdflux = 0;
  dflux = 0;
  fdpeak = 0;
  dpeak = 0;
  flag = 0;
  firstpix = -1;
  lastpix = -1;

  clone(): Obj {
    const o = new Obj();
    o.thresh = this.thresh;
    o.mthresh = this.mthresh;
    o.fdnpix = this.fdnpix;
    o.dnpix = this.dnpix;
    o.xpeak = this.xpeak;
    o.ypeak = this.ypeak;
    o.xcpeak = this.xcpeak;
    o.ycpeak = this.ycpeak;
    o.mx = this.mx;
    o.my = this.my;
    o.xmin = this.xmin;
    o.xmax = this.xmax;
    o.ymin = this.ymin;
    o.ymax = this.ymax;
    o.mx2 = this.mx2;
    o.my2 = this.my2;
    o.mxy = this.mxy;
    o.errx2 = this.errx2;
    o.erry2 = this.erry2;
    o.errxy = this.errxy;
    o.a = this.a;
    o.b = this.b;
    o.theta = this.theta;
    o.abcor = this.abcor;
    o.cxx = this.cxx;
    o.cyy = this.cyy;
    o.cxy = this.cxy;
    o.fdflux = this.fdflux;
    o.dflux = this.dflux;
    o.fdpeak = this.fdpeak;
    o.dpeak = this.dpeak;
    o.flag = this.flag;
    o.firstpix = this.firstpix;
    o.lastpix = this.lastpix;
    return o;
  }
}

/** A list of objects with their own pixel list (SEP's objliststruct). */
export class ObjList {
  objs: Obj[] = [];
  thresh = 0;

  constructor(public pix: PixelList) {}
}

/**
 * Copy object `obj` (whose pixels live in `src`) and its pixel chain into
 * `dst` (SEP's addobjdeep); returns the index of the copy in `dst.objs`.
 */
export function addObjDeep(obj: Obj, src: PixelList, dst: ObjList): number {
  const pix = dst.pix;
  pix.reserve(pix.length + obj.fdnpix + 1);
  const { next, x, y, value, cdvalue } = pix;
  const dvar = pix.var;
  const dth = pix.thresh;
  const snext = src.next;
  const sx = src.x;
  const sy = src.y;
  const sval = src.value;
  const scd = src.cdvalue;
  const svar = src.var;
  const sth = src.thresh;
  const first = pix.length;
  let k = first;
  for (let i = obj.firstpix; i !== -1; i = snext[i]) {
    if (k >= next.length) {
      // fdnpix was stale: grow and start again
      pix.length = first;
      pix.reserve(first + 2 * (k - first) + 16);
      return addObjDeep(obj, src, dst);
    }
    next[k] = k + 1;
    x[k] = sx[i];
    y[k] = sy[i];
    value[k] = sval[i];
    cdvalue[k] = scd[i];
    if (dvar && svar) dvar[k] = svar[i];
    if (dth && sth) dth[k] = sth[i];
    k++;
  }
  const copy = obj.clone();
  if (k === first) {
    copy.firstpix = copy.lastpix = -1;
  } else {
    next[k - 1] = -1;
    copy.firstpix = first;
    copy.lastpix = k - 1;
  }
  pix.length = k;
  dst.objs.push(copy);
  return dst.objs.length - 1;
}
