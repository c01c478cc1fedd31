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
import { SEP_PI as PI_SEP } from './float32.js';
import { LutzState, scanLutz } from './lutz.js';
import type { LutzVisitor } from './lutz.js';
import { OBJ_MERGED, Obj, ObjList, PixelList, addObjDeep } from './objects.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const SEP_PI = PI_SEP;

const MAXDEBAREA = 3;

/** {@link DeblendContext.deblend}: the children are in `out`. */
export const DEBLEND_SPLIT = 1;
/** {@link DeblendContext.deblend}: no split, the object stays as it is. */
export const DEBLEND_UNCHANGED = 0;
/** {@link DeblendContext.deblend}: too many branches, not deblended. */
export const DEBLEND_OVERFLOW = -1;

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
  private readonly levelScan = new LevelScan();
  readonly rand = new GlibcRandR();
  private readonly levels: ObjList[] = [];
  private readonly deb2: ObjList;
  private submap = new Int32Array(0);
  private owner = new Int32Array(0);
  private stamp = new Int32Array(0);
  private stampValue = 0;

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
    this.deb2 = new ObjList(new PixelList(64, hasNoise));
  }

  /**
   * Deblend object `root` (pixels in `rootPix`). Returns DEBLEND_SPLIT with
   * the children in `out` (emptied first), DEBLEND_UNCHANGED when SEP would
   * return the object as it is, or DEBLEND_OVERFLOW when a level has more
   * than `subObjectLimit` branches (the caller keeps the object whole and
   * flags it).
   */
  deblend(root: Obj, rootPix: PixelList, out: ObjList): number {
    const xn = this.nthresh;
    const levels = this.levels;
    for (const l of levels) reset(l);
    const deb2 = this.deb2;
    reset(deb2);
    reset(out);

    const subx = root.xmin;
    const suby = root.ymin;
    const subw = root.xmax - subx + 1;
    const subh = root.ymax - suby + 1;
    const area = subw * subh;
    if (this.submap.length < area) {
      const n = Math.max(area, 2 * this.submap.length);
      this.submap = new Int32Array(n);
      this.owner = new Int32Array(n);
      this.stamp = new Int32Array(n);
      this.stampValue = 0;
    }
    const submap = this.submap;
    submap.fill(-1, 0, area);
    {
      const { next, x, y } = rootPix;
      for (let i = root.firstpix; i !== -1; i = next[i]) submap[x[i] - subx + (y[i] - suby) * subw] = i;
    }
    // Shortcut (same result as SEP): when a single pixel of the object has no
    // strictly brighter 8-neighbour, every upper level set of the object is
    // connected (each component holds such a pixel), so no level can split
    // and SEP's deblend returns the object unchanged.
    if (this.subObjectLimit > 1 && countPeaks(root, rootPix, submap, subx, suby, subw, subh, 2) < 2) {
      return DEBLEND_UNCHANGED;
    }
    const owner = this.owner;
    const stamp = this.stamp;
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
      const levelThresh = f32(peak > 0 ? thresh0 * Math.pow(peak / thresh0, k / xn) : thresh0);
      const prev = levels[k - 1];
      if (prev.objs.length >= this.subObjectLimit) return DEBLEND_OVERFLOW;
      // which object of level k-1 owns each pixel (SEP's belong(), in O(1));
      // entries are valid when their stamp is this level's
      if (this.stampValue >= 0x7ffffff0) {
        stamp.fill(0);
        this.stampValue = 0;
      }
      const sv = ++this.stampValue;
      {
        const { next, x, y } = prev.pix;
        for (let i = 0; i < prev.objs.length; i++) {
          for (let p = prev.objs[i].firstpix; p !== -1; p = next[p]) {
            const q = x[p] - subx + (y[p] - suby) * subw;
            owner[q] = i;
            stamp[q] = sv;
          }
        }
      }
      const levelSons: number[][] = [];
      const cur = levels[k];
      cur.thresh = levelThresh;
      // a pixel found at this level lies in exactly one object of the previous
      // level: room for those, so no reallocation while scanning
      let prevPixels = 0;
      for (const o of prev.objs) prevPixels += o.fdnpix;
      cur.pix.reserve(cur.pix.length + prevPixels + 1);
      for (let i = 0; i < prev.objs.length; i++) {
        const from = cur.objs.length;
        this.scanBranch(rootPix, submap, owner, stamp, sv, i, subx, suby, subw, prev.objs[i], cur);
        const s: number[] = [];
        for (let m = from; m < cur.objs.length; m++) {
          if (m >= this.subObjectLimit) return DEBLEND_OVERFLOW;
          s.push(m);
        }
        levelSons.push(s);
      }
      sons.push(levelSons);
      ok.push(new Uint8Array(cur.objs.length).fill(1));
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

    if (ok[0][0]) return DEBLEND_UNCHANGED;
    this.gatherUp(deb2, out);
    return DEBLEND_SPLIT;
  }

  /**
   * Lutz's labelling of the pixels of `parent` (object `shell` of the
   * previous level: the positions whose `stamp` is `sv` and `owner` is
   * `shell`; `submap` gives their index in `plistin`) above `found.thresh`.
   * Objects of at least min(minarea, 3) pixels are appended to `found`, in
   * SEP's order and pixel-chain order. (SEP scans every root pixel in the
   * parent's box and then keeps the objects that belong to the parent; a
   * component above the higher threshold lies inside one component above the
   * lower one, so scanning only the parent's pixels finds the same objects.)
   */
  private scanBranch(
    plistin: PixelList,
    submap: Int32Array,
    owner: Int32Array,
    stamp: Int32Array,
    sv: number,
    shell: number,
    subx: number,
    suby: number,
    subw: number,
    parent: Obj,
    found: ObjList,
  ): void {
    const v = this.levelScan;
    v.plistin = plistin;
    v.submap = submap;
    v.owner = owner;
    v.stamp = stamp;
    v.sv = sv;
    v.shell = shell;
    v.subx = subx;
    v.suby = suby;
    v.subw = subw;
    v.found = found;
    v.minArea = this.minarea < MAXDEBAREA ? this.minarea : MAXDEBAREA;
    v.cn = found.pix.length;
    v.x0 = parent.xmin;
    v.x1 = parent.xmax + 1;
    scanLutz(this.lutz, v.x0, v.x1, parent.ymin, parent.ymax + 1, this.height, v);
    found.pix.length = v.cn;
    v.release();
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

/**
 * Number of pixels of `root` (found through `submap`) with no strictly
 * greater filtered value among their 8 neighbours in the object, counting
 * up to `limit`.
 */
function countPeaks(
  root: Obj,
  pix: PixelList,
  submap: Int32Array,
  subx: number,
  suby: number,
  subw: number,
  subh: number,
  limit: number,
): number {
  const { next, x, y, cdvalue } = pix;
  let n = 0;
  for (let i = root.firstpix; i !== -1; i = next[i]) {
    const v = cdvalue[i];
    const px = x[i] - subx;
    const py = y[i] - suby;
    let peak = true;
    for (let dy = -1; dy <= 1 && peak; dy++) {
      const yy = py + dy;
      if (yy < 0 || yy >= subh) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = px + dx;
        if (xx < 0 || xx >= subw || (dx === 0 && dy === 0)) continue;
        const j = submap[xx + yy * subw];
        if (j >= 0 && cdvalue[j] > v) {
          peak = false;
          break;
        }
      }
    }
    if (peak && ++n >= limit) return n;
  }
  return n;
}

function reset(list: ObjList): void {
  list.objs = [];
  list.pix.length = 0;
  list.thresh = 0;
}

/**
 * The rows of one branch scan of {@link DeblendContext}: a pixel is labelled
 * when it belongs to the parent object and its filtered value is above the
 * level's threshold; it is appended to the level's pixel list (which the
 * deblender has reserved room for: every pixel found is a root pixel, once
 * per level, so the arrays are not reallocated while scanning).
 */
class LevelScan implements LutzVisitor {
  plistin: PixelList | null = null;
  submap: Int32Array = EMPTY;
  owner: Int32Array = EMPTY;
  stamp: Int32Array = EMPTY;
  sv = 0;
  shell = 0;
  subx = 0;
  suby = 0;
  subw = 0;
  found: ObjList | null = null;
  minArea = 0;
  /** The scanned columns: the parent's box. */
  x0 = 0;
  x1 = 0;
  /** Next free index of `found.pix`. */
  cn = 0;

  labelRow(y: number, row: Int32Array): Int32Array {
    const plistin = this.plistin as PixelList;
    const pix = (this.found as ObjList).pix;
    const thresh = (this.found as ObjList).thresh;
    const { submap, owner, stamp, sv, shell } = this;
    const { next: pnext, x: ppx, y: ppy, value: pval, cdvalue: pcd } = pix;
    const pvar = pix.var;
    const pth = pix.thresh;
    const { x: inx, y: iny, value: inval, var: invar, thresh: inth, cdvalue: cd } = plistin;
    const rowBase = (y - this.suby) * this.subw - this.subx;
    let cn = this.cn;
    for (let xl = this.x0, x1 = this.x1; xl < x1; xl++) {
      const q = rowBase + xl;
      const idx = stamp[q] === sv && owner[q] === shell ? submap[q] : -1;
      if (idx >= 0 && cd[idx] > thresh) {
        pnext[cn] = -1;
        ppx[cn] = inx[idx];
        ppy[cn] = iny[idx];
        pval[cn] = inval[idx];
        pcd[cn] = cd[idx];
        if (pvar && invar) pvar[cn] = invar[idx];
        if (pth && inth) pth[cn] = inth[idx];
        row[xl] = cn++;
      }
    }
    this.cn = cn;
    return pnext;
  }

  objectDone(first: number, last: number, n: number, flag: number): void {
    if (n < this.minArea) return;
    const found = this.found as ObjList;
    const o = new Obj();
    o.firstpix = first;
    o.lastpix = last;
    o.flag = flag;
    o.thresh = found.thresh;
    preanalyse(o, found.pix);
    found.objs.push(o);
  }

  /** Drop the references to the deblender's arrays between scans. */
  release(): void {
    this.plistin = null;
    this.found = null;
  }
}

const EMPTY = new Int32Array(0);
