/**
 * Lutz's one-pass 8-connected labelling (SEP's lutz.c and the copy of it in
 * extract.c), written once: `scanLutz` walks a box of rows, keeps the
 * segment markers and the per-segment "info" (pixel count, first/last pixel
 * of the chain, flags) and calls back once per finished object. Extraction
 * (the whole image) and deblending (one parent object per threshold level)
 * differ only in how a row is labelled and what is done with an object,
 * which their {@link LutzVisitor}s supply.
 */
import { OBJ_TRUNC as TRUNC_FLAG } from './objects.js';

// Module-local copy: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const OBJ_TRUNC = TRUNC_FLAG;

const COMPLETE = 0;
const INCOMPLETE = 1;
const NONOBJECT = 2;
const OBJECT = 3;
const MK_S = 1; // 'S': segment start, first of an object on this line
const MK_s = 2; // 's': segment start, object already started
const MK_f = 3; // 'f': segment end, object incomplete
const MK_F = 4; // 'F': segment end, object complete so far
const UNKNOWN = -1;

/**
 * Scratch state of the scan over rows of `width` pixels (SEP's
 * lutzbuffers): markers, the segment stack, the per-segment running info and
 * the labels of the current row. One per scan that may run at a time (the
 * extraction's scan and the deblender's scan each have their own).
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
  /**
   * Labels of the row being scanned: pixel index in the visitor's pixel
   * list, or -1. All -1 between rows (the scan resets what it reads), plus
   * one slot past the scanned columns for the scan's sentinel.
   */
  readonly row: Int32Array;

  constructor(readonly width: number) {
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
    this.row = new Int32Array(n + 1).fill(-1);
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

/** What a scan asks of its user: the pixels of each row and what to do with an object. */
export interface LutzVisitor {
  /**
   * Label row `y`: `row` arrives with -1 everywhere; for every x of the
   * scanned columns [x0, x1) whose pixel belongs to an object, set `row[x]`
   * to the index of the pixel in the visitor's pixel list (the pixel is
   * appended there, its `next` set to -1); leave the other entries alone.
   * Returns the pixel list's `next` array (the chains are linked in it), which
   * this call may have reallocated.
   */
  labelRow(y: number, row: Int32Array): Int32Array;
  /**
   * An object is complete: `n` pixels chained from `first` to `last` through
   * `next`, {@link OBJ_TRUNC} in `flag` when a pixel lies on the image edge.
   * (x, y) is where the scan stands (SEP takes the object's threshold there).
   * The chain may be reused once this returns.
   */
  objectDone(first: number, last: number, n: number, flag: number, x: number, y: number): void;
  /** Row `y` has been scanned (not called for the closing row `y1`). */
  rowDone?(y: number): void;
}

/**
 * Scan rows y0..y1 - 1 and columns x0..x1 - 1 (then one closing background
 * column and row that finish the objects still open) in SEP's order, calling
 * `visitor.objectDone` for every 8-connected group of labelled pixels, in
 * the order SEP finishes them and with SEP's pixel-chain order. `height` is
 * the image height (edge flags); `state.width` its width.
 */
export function scanLutz(
  state: LutzState,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  height: number,
  visitor: LutzVisitor,
): void {
  const { marker, psstack, start, end, infoN, infoFirst, infoLast, infoFlag, row } = state;
  const xmaxImg = state.width - 1;
  const ymaxImg = height - 1;
  marker.fill(0, x0, x1 + 1);
  // -1 everywhere, the closing column x1 included (a scan cut short by an
  // exception may have left labels behind)
  row.fill(-1, x0, x1 + 2);
  let next = row; // replaced by the first labelRow (no chain is linked before)
  let co = 0;
  let pstop = 0;

  for (let yl = y0; yl <= y1; yl++) {
    let ps = COMPLETE;
    let cs = NONOBJECT;
    if (yl < y1) next = visitor.labelRow(yl, row);
    const trunflag = yl === 0 || yl === ymaxImg ? OBJ_TRUNC : 0;
    // sentinel: stops the background skip below after the closing column
    row[x1 + 1] = 0;

    for (let xl = x0; xl <= x1; xl++) {
      // skip background pixels with no pending marker (nothing to do there)
      // unless the previous pixel closes a segment
      if (cs !== OBJECT) {
        while (row[xl] < 0 && marker[xl] === 0) xl++;
        if (xl > x1) break;
      }
      const cn = row[xl];
      const newmarker = marker[xl];
      marker[xl] = 0;

      if (cn >= 0 && cs !== OBJECT) {
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
          state.initInfo(co);
        }
      }

      if (newmarker) {
        if (newmarker === MK_S) {
          psstack[pstop++] = ps;
          if (cs === NONOBJECT) {
            psstack[pstop++] = COMPLETE;
            state.infoFromStore(++co, xl);
            start[co] = UNKNOWN;
          } else {
            state.mergeStore(co, xl, next);
          }
          ps = OBJECT;
        } else if (newmarker === MK_s) {
          if (cs === OBJECT && ps === COMPLETE) {
            pstop--;
            const xl2 = start[co];
            state.mergeInfo(co - 1, co, next);
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
              visitor.objectDone(infoFirst[co], infoLast[co], infoN[co], infoFlag[co], xl, yl);
            } else {
              marker[end[co]] = MK_F;
              state.storeFromInfo(start[co], co);
            }
            co--;
            ps = psstack[--pstop];
          }
        }
      }

      if (cn >= 0) {
        row[xl] = -1;
        // append the pixel to info[co]
        infoN[co]++;
        infoFlag[co] |= trunflag | (xl === 0 || xl === xmaxImg ? OBJ_TRUNC : 0);
        if (infoFirst[co] === -1) infoFirst[co] = cn;
        else next[infoLast[co]] = cn;
        infoLast[co] = cn;
      } else if (cs === OBJECT) {
        cs = NONOBJECT;
        if (ps !== COMPLETE) {
          marker[xl] = MK_f;
          end[co] = xl;
        } else {
          ps = psstack[--pstop];
          marker[xl] = MK_F;
          state.storeFromInfo(start[co], co);
          co--;
        }
      }
    }
    row[x1 + 1] = -1;
    if (yl < y1) visitor.rowDone?.(yl);
  }
}
