/**
 * Cleaning (SEP's clean()): an object is removed when the Moffat-like
 * profile of a brighter neighbour, extrapolated to its position, stays above
 * its own cleaning threshold (`mthresh`), i.e. it is a spurious detection in
 * the wings of the neighbour.
 */
import { SEP_PI as PI_SEP } from './float32.js';
import type { Obj } from './objects.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const SEP_PI = PI_SEP;

const CLEAN_ZONE = 10;

/** Which objects survive cleaning with Moffat index `beta` (clean_param). */
export function cleanObjects(objs: readonly Obj[], beta: number): Uint8Array {
  const n = objs.length;
  const survives = new Uint8Array(n).fill(1);
  const candidates = candidateLists(objs);
  for (let i = 0; i < n; i++) {
    if (!survives[i]) continue;
    const o1 = objs[i];
    const unitareain = SEP_PI * o1.a * o1.b;
    const ampin = o1.fdflux / (2 * unitareain * o1.abcor);
    const alphain = ((Math.pow(ampin / o1.thresh, 1 / beta) - 1) * unitareain) / o1.fdnpix;
    const cand = candidates(i);
    for (let c = 0; c < cand.length; c++) {
      const j = cand[c];
      if (!survives[j]) continue;
      const o2 = objs[j];
      const dx = f32(o1.mx - o2.mx);
      const dy = f32(o1.my - o2.my);
      let rlim = f32(o1.a + o2.a);
      rlim = f32(rlim * rlim);
      if (f32(f32(dx * dx) + f32(dy * dy)) > rlim * CLEAN_ZONE * CLEAN_ZONE) continue;
      if (o2.fdflux < o1.fdflux) {
        const val = 1 + alphain * quad(o1, dx, dy);
        if (val > 1 && f32(val < 1e10 ? ampin * Math.pow(val, -beta) : 0) > o2.mthresh) survives[j] = 0;
      } else {
        const unitarea = SEP_PI * o2.a * o2.b;
        const amp = o2.fdflux / (2 * unitarea * o2.abcor);
        const alpha = ((Math.pow(amp / o2.thresh, 1 / beta) - 1) * unitarea) / o2.fdnpix;
        const val = 1 + alpha * quad(o2, dx, dy);
        if (val > 1 && f32(val < 1e10 ? amp * Math.pow(val, -beta) : 0) > o1.mthresh) survives[i] = 0;
      }
    }
  }
  return survives;
}

/**
 * For object i, the objects j > i (ascending, SEP's order) that can pass the
 * CLEAN_ZONE distance test: |x_i - x_j| <= 10 (a_i + max a), found in a list
 * sorted by x (a conservative bound, the exact test follows), plus every
 * object whose position or size is not finite (for those SEP's test never
 * skips). Objects that fail the test are skipped by SEP without effect, so
 * the result is SEP's.
 */
function candidateLists(objs: readonly Obj[]): (i: number) => Int32Array {
  const n = objs.length;
  const order = new Int32Array(n);
  const xs = new Float64Array(n);
  const wild: number[] = [];
  let m = 0;
  let maxA = 0;
  for (let i = 0; i < n; i++) {
    const o = objs[i];
    if (!Number.isFinite(o.mx) || !Number.isFinite(o.my) || !Number.isFinite(o.a)) {
      wild.push(i);
      continue;
    }
    order[m++] = i;
    if (o.a > maxA) maxA = o.a;
  }
  const sorted = order.subarray(0, m).sort((p, q) => objs[p].mx - objs[q].mx);
  for (let k = 0; k < m; k++) xs[k] = objs[sorted[k]].mx;
  const buf = new Int32Array(n);
  const wildArr = Int32Array.from(wild);
  const isWild = new Uint8Array(n);
  for (const i of wild) isWild[i] = 1;
  return (i: number) => {
    if (isWild[i]) {
      // compares with everything after it
      let c = 0;
      for (let j = i + 1; j < n; j++) buf[c++] = j;
      return buf.subarray(0, c);
    }
    const o = objs[i];
    const reach = (CLEAN_ZONE * (o.a + maxA)) * 1.001 + 1e-3;
    // first index with x >= mx - reach
    let lo = 0;
    let hi = m;
    const xlo = o.mx - reach;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < xlo) lo = mid + 1;
      else hi = mid;
    }
    let c = 0;
    const xhi = o.mx + reach;
    for (let k = lo; k < m && xs[k] <= xhi; k++) {
      const j = sorted[k];
      if (j > i) buf[c++] = j;
    }
    for (let k = 0; k < wildArr.length; k++) if (wildArr[k] > i) buf[c++] = wildArr[k];
    return buf.subarray(0, c).sort();
  };
}

function quad(o: Obj, dx: number, dy: number): number {
  return f32(f32(f32(f32(o.cxx * dx) * dx) + f32(f32(o.cyy * dy) * dy)) + f32(f32(o.cxy * dx) * dy));
}
