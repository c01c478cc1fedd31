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
    return Object.assign(new Obj(), this);
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
  pix.reserve(pix.length + obj.fdnpix);
  const first = pix.length;
  let prev = -1;
  for (let i = obj.firstpix; i !== -1; i = src.next[i]) {
    const k = pix.pushFrom(src, i);
    if (prev !== -1) pix.next[prev] = k;
    prev = k;
  }
  const copy = obj.clone();
  copy.firstpix = prev === -1 ? -1 : first;
  copy.lastpix = prev;
  dst.objs.push(copy);
  return dst.objs.length - 1;
}
