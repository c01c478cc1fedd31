/**
 * Multi-threshold deblending (SEP's deblend.c): the object is re-thresholded
 * at `nthresh` exponentially spaced levels between its threshold and its
 * filtered peak; branches of the resulting tree that carry more than
 * `mincont` of the total flux become separate objects, and the remaining
 * faint pixels are handed out at random, weighted by each child's Gaussian
 * profile (the same random sequence as SEP: glibc `rand_r`, seed 1 per
 * extraction).
 */
import { analyse, preanalyse } from './analyse.js';
import { SEP_PI, f32 } from './float32.js';
import { OBJ_MERGED, OBJ_TRUNC, Obj, ObjList, PixelList, addObjDeep } from './objects.js';

const COMPLETE = 0;
const INCOMPLETE = 1;
const NONOBJECT = 2;
const OBJECT = 3;
const MK_S = 1; // 'S': segment start, first of an object on this line
const MK_s = 2; // 's': segment start, object already started
const MK_f = 3; // 'f': segment end, object incomplete
const MK_F = 4; // 'F': segment end, object complete so far
const UNKNOWN = -1;
const MAXDEBAREA = 3;

/**
 * Scratch state of Lutz's one-pass 8-connected labelling over an image row
 * of `width` pixels (SEP's lutzbuffers): markers, the segment stack and the
 * per-segment running "info" (pixel count, first/last pixel of the chain,
 * flags).
 */
export class LutzState {
  readonly marker: Uint8Array;
  readonly psstack: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly infoN: Int32Array;
  readonly infoFirst: Int32Array;
  readonly infoLast: Int32Array;
  readonly infoFlag: Int32Array;
  readonly storeN: Int32Array;
  readonly storeFirst: Int32Array;
  readonly storeLast: Int32Array;
  readonly storeFlag: Int32Array;

  constructor(width: number) {
    const n = width + 2;
    this.marker = new Uint8Array(n);
    this.psstack = new Uint8Array(n + 1);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.infoN = new Int32Array(n);
    this.infoFirst = new Int32Array(n);
    this.infoLast = new Int32Array(n);
    this.infoFlag = new Int32Array(n);
    this.storeN = new Int32Array(n);
    this.storeFirst = new Int32Array(n);
    this.storeLast = new Int32Array(n);
    this.storeFlag = new Int32Array(n);
  }

  initInfo(co: number): void {
    this.infoN[co] = 0;
    this.infoFlag[co] = 0;
    this.infoFirst[co] = -1;
    this.infoLast[co] = -1;
  }

  infoFromStore(co: number, xl: number): void {
    this.infoN[co] = this.storeN[xl];
    this.infoFlag[co] = this.storeFlag[xl];
    this.infoFirst[co] = this.storeFirst[xl];
    this.infoLast[co] = this.storeLast[xl];
  }

  storeFromInfo(xl: number, co: number): void {
    this.storeN[xl] = this.infoN[co];
    this.storeFlag[xl] = this.infoFlag[co];
    this.storeFirst[xl] = this.infoFirst[co];
    this.storeLast[xl] = this.infoLast[co];
  }

  /** Append a chain (n pixels, first..last, flags) to info[co]. */
  merge(co: number, n: number, first: number, last: number, flag: number, next: Int32Array): void {
    this.infoN[co] += n;
    this.infoFlag[co] |= flag;
    if (this.infoFirst[co] === -1) {
      this.infoFirst[co] = first;
      this.infoLast[co] = last;
    } else if (last !== -1) {
      next[this.infoLast[co]] = first;
      this.infoLast[co] = last;
    }
  }

  mergeStore(co: number, xl: number, next: Int32Array): void {
    this.merge(co, this.storeN[xl], this.storeFirst[xl], this.storeLast[xl], this.storeFlag[xl], next);
  }

  mergeInfo(dst: number, src: number, next: Int32Array): void {
    this.merge(dst, this.infoN[src], this.infoFirst[src], this.infoLast[src], this.infoFlag[src], next);
  }
}

/** glibc's `rand_r` (the generator SEP 1.2 uses while deblending). */
export class GlibcRandR {
  private seed = 1;

  reset(seed = 1): void {
    this.seed = seed >>> 0;
  }

  next(): number {
    let next = this.seed;
    next = (Math.imul(next, 1103515245) + 12345) >>> 0;
    let result = (next >>> 16) % 2048;
    next = (Math.imul(next, 1103515245) + 12345) >>> 0;
    result = (result << 10) ^ (next >>> 16) % 1024;
    next = (Math.imul(next, 1103515245) + 12345) >>> 0;
    result = (result << 10) ^ (next >>> 16) % 1024;
    this.seed = next;
    return result;
  }
}

/** Parameters and reusable scratch space of the deblender. */
export class DeblendContext {
  readonly lutz: LutzState;
  readonly rand = new GlibcRandR();
  private readonly levels: ObjList[] = [];
  private readonly deb: ObjList;
  private readonly deb2: ObjList;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly nthresh: number,
    readonly mincont: number,
    readonly minarea: number,
    readonly subObjectLimit: number,
    hasNoise: boolean,
  ) {
    this.lutz = new LutzState(width);
    for (let k = 0; k < nthresh; k++) this.levels.push(new ObjList(new PixelList(64, hasNoise)));
    this.deb = new ObjList(new PixelList(64, hasNoise));
    this.deb2 = new ObjList(new PixelList(64, hasNoise));
  }

  /**
   * Deblend object `root` (pixels in `rootPix`) into `out` (emptied first).
   * Returns false when a level has more than `subObjectLimit` branches (the
   * caller keeps the object whole and flags it).
   */
  deblend(root: Obj, rootPix: PixelList, out: ObjList): boolean {
    const xn = this.nthresh;
    const levels = this.levels;
    for (const l of levels) reset(l);
    const deb = this.deb;
    const deb2 = this.deb2;
    reset(deb);
    reset(deb2);
    reset(out);

    const subx = root.xmin;
    const suby = root.ymin;
    const subw = root.xmax - subx + 1;
    const subh = root.ymax - suby + 1;
    const submap = new Int32Array(subw * subh).fill(-1);
    for (let i = root.firstpix; i !== -1; i = rootPix.next[i]) {
      submap[rootPix.x[i] - subx + (rootPix.y[i] - suby) * subw] = i;
    }
    const owner = new Int32Array(subw * subh);

    const thresh0 = root.thresh;
    out.thresh = thresh0;
    deb2.thresh = thresh0;
    addObjDeep(root, rootPix, levels[0]);
    addObjDeep(root, rootPix, deb2);
    const value0 = levels[0].objs[0].fdflux * this.mincont;
    const ok: Uint8Array[] = [Uint8Array.of(1)];
    const sons: number[][][] = [];

    for (let k = 1; k < xn; k++) {
      const peak = root.fdpeak;
      deb.thresh = f32(peak > 0 ? thresh0 * Math.pow(peak / thresh0, k / xn) : thresh0);
      const prev = levels[k - 1];
      if (prev.objs.length >= this.subObjectLimit) return false;
      // which object of level k-1 owns each pixel (SEP's belong(), in O(1))
      owner.fill(-1);
      for (let i = 0; i < prev.objs.length; i++) {
        for (let p = prev.objs[i].firstpix; p !== -1; p = prev.pix.next[p]) {
          owner[prev.pix.x[p] - subx + (prev.pix.y[p] - suby) * subw] = i;
        }
      }
      const levelSons: number[][] = [];
      const levelOk: number[] = [];
      const cur = levels[k];
      for (let i = 0; i < prev.objs.length; i++) {
        this.lutzScan(rootPix, submap, subx, suby, subw, prev.objs[i], deb);
        const s: number[] = [];
        for (let j = 0; j < deb.objs.length; j++) {
          const o = deb.objs[j];
          const fp = o.firstpix;
          if (owner[deb.pix.x[fp] - subx + (deb.pix.y[fp] - suby) * subw] !== i) continue;
          o.thresh = deb.thresh;
          const m = addObjDeep(o, deb.pix, cur);
          if (m >= this.subObjectLimit) return false;
          s.push(m);
          levelOk[m] = 1;
        }
        levelSons.push(s);
      }
      sons.push(levelSons);
      ok.push(Uint8Array.from(levelOk));
    }

    // cut the branches, top to bottom
    for (let k = xn - 2; k >= 0; k--) {
      const next = levels[k + 1];
      const objs = next.objs;
      const okk = ok[k];
      const okk1 = ok[k + 1];
      for (let i = 0; i < levels[k].objs.length; i++) {
        const s = sons[k][i];
        let m = 0;
        for (const j of s) {
          const o = objs[j];
          if (f32(o.fdflux - f32(o.thresh * o.fdnpix)) > value0) m++;
          okk[i] &= okk1[j];
        }
        if (m > 1) {
          for (const j of s) {
            const o = objs[j];
            if (okk1[j] && f32(o.fdflux - f32(o.thresh * o.fdnpix)) > value0) {
              o.flag |= OBJ_MERGED;
              addObjDeep(o, next.pix, deb2);
            }
          }
          okk[i] = 0;
        }
      }
    }

    if (ok[0][0]) addObjDeep(deb2.objs[0], deb2.pix, out);
    else this.gatherUp(deb2, out);
    return true;
  }

  /**
   * Lutz's labelling of the pixels of `parent` (looked up through `submap`)
   * above `found.thresh`; objects of at least min(minarea, 3) pixels go to
   * `found` (emptied first), in SEP's order and pixel-chain order.
   */
  private lutzScan(
    plistin: PixelList,
    submap: Int32Array,
    subx: number,
    suby: number,
    subw: number,
    parent: Obj,
    found: ObjList,
  ): void {
    const L = this.lutz;
    const { marker, psstack, start, end } = L;
    found.objs = [];
    const pix = found.pix;
    pix.length = 0;
    const debMaxArea = this.minarea < MAXDEBAREA ? this.minarea : MAXDEBAREA;
    const stx = parent.xmin;
    const sty = parent.ymin;
    const enx = parent.xmax + 1;
    const eny = parent.ymax + 1;
    const thresh = found.thresh;
    const cd = plistin.cdvalue;
    const xmaxImg = this.width - 1;
    const ymaxImg = this.height - 1;
    for (let xl = stx; xl <= enx; xl++) marker[xl] = 0;
    let co = 0;
    let pstop = 0;

    for (let yl = sty; yl <= eny; yl++) {
      let ps = COMPLETE;
      let cs = NONOBJECT;
      const trunflag = yl === 0 || yl === ymaxImg ? OBJ_TRUNC : 0;
      const rowBase = (yl - suby) * subw - subx;
      for (let xl = stx; xl <= enx; xl++) {
        const newmarker = marker[xl];
        marker[xl] = 0;
        const idx = yl < eny && xl < enx ? submap[rowBase + xl] : -1;
        const luflag = idx >= 0 && cd[idx] > thresh;
        let cn = -1;
        let curflag = 0;
        if (luflag) {
          curflag = trunflag;
          if (xl === 0 || xl === xmaxImg) curflag |= OBJ_TRUNC;
          cn = pix.pushFrom(plistin, idx);
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
              L.mergeStore(co, xl, pix.next);
            }
            ps = OBJECT;
          } else if (newmarker === MK_s) {
            if (cs === OBJECT && ps === COMPLETE) {
              pstop--;
              const xl2 = start[co];
              L.mergeInfo(co - 1, co, pix.next);
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
                if (L.infoN[co] >= debMaxArea) {
                  const o = new Obj();
                  o.firstpix = L.infoFirst[co];
                  o.lastpix = L.infoLast[co];
                  o.flag = L.infoFlag[co];
                  preanalyse(o, pix);
                  found.objs.push(o);
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
          // pix.next may have been reallocated by pushFrom: read it now
          L.merge(co, 1, cn, cn, curflag, pix.next);
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
    }
  }

  /**
   * Give the pixels of the parent (object 0 of `inList`) not in any branch to
   * the branches (objects 1..), drawing at random with weights from each
   * branch's profile (SEP's gatherup).
   */
  private gatherUp(inList: ObjList, out: ObjList): void {
    out.thresh = inList.thresh;
    const objs = inList.objs;
    const inPix = inList.pix;
    const nobj = objs.length;
    for (let i = 1; i < nobj; i++) analyse(objs[i], inPix, false, 0);
    const objin = objs[0];
    const xs = objin.xmin;
    const ys = objin.ymin;
    const bmwidth = objin.xmax - xs + 1;
    const bmp = new Uint8Array(bmwidth * (objin.ymax - ys + 1));
    const amp = new Float32Array(nobj);
    const p = new Float32Array(nobj);
    const n = new Int32Array(nobj);
    for (let i = 1; i < nobj; i++) {
      const o = objs[i];
      o.thresh = inList.thresh;
      for (let q = o.firstpix; q !== -1; q = inPix.next[q]) {
        bmp[inPix.x[q] - xs + (inPix.y[q] - ys) * bmwidth] = 1;
      }
      n[i] = addObjDeep(o, inPix, out);
      const dist = f32(o.fdnpix / (2 * SEP_PI * o.abcor * o.a * o.b));
      amp[i] = dist < 70 ? f32(o.thresh * f32(Math.exp(dist))) : f32(4 * o.fdpeak);
      if (amp[i] > 4 * o.fdpeak) amp[i] = f32(4 * o.fdpeak);
    }

    const outPix = out.pix;
    const outObjs = out.objs;
    const distBig = f32(1e31);
    for (let q = objin.firstpix; q !== -1; q = inPix.next[q]) {
      const x = inPix.x[q];
      const y = inPix.y[q];
      if (bmp[x - xs + (y - ys) * bmwidth]) continue;
      const l = outPix.pushFrom(inPix, q);
      let distmin = distBig;
      let iclst = 0;
      for (let i = 1; i < nobj; i++) {
        const o = objs[i];
        const dx = f32(x - o.mx);
        const dy = f32(y - o.my);
        const quad = f32(
          f32(f32(f32(o.cxx * dx) * dx) + f32(f32(o.cyy * dy) * dy)) + f32(f32(o.cxy * dx) * dy),
        );
        const dist = f32((0.5 * quad) / o.abcor);
        p[i] = f32(p[i - 1] + (dist < 70 ? f32(amp[i] * f32(Math.exp(-dist))) : 0));
        if (dist < distmin) {
          distmin = dist;
          iclst = i;
        }
      }
      let i: number;
      if (p[nobj - 1] > 1e-31) {
        const drand = f32(f32(p[nobj - 1] * f32(this.rand.next())) / 2147483648);
        for (i = 1; i < nobj && p[i] < drand; i++);
        if (i === nobj) i = iclst;
      } else {
        i = iclst;
      }
      const o = outObjs[n[i]];
      outPix.next[o.lastpix] = l;
      o.lastpix = l;
    }
  }
}

function reset(list: ObjList): void {
  list.objs = [];
  list.pix.length = 0;
  list.thresh = 0;
}
