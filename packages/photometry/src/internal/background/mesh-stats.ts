/**
 * Statistics of one background mesh (SEP's backstat, backhisto and
 * backguess): mean and sigma of the good pixels, one clip at +-2 sigma, a
 * histogram over mean +- 5 sigma, iterative +-3 sigma clipping on the
 * histogram and the mode.
 */
import { BIG as SEP_BIG, SEP_PI as PI_SEP } from '../extract/float32.js';

// Module-local copies: hot loops must not read imported bindings (test
// runners turn those into getter calls on every use).
const f32 = Math.fround;
const BIG = SEP_BIG;
const SEP_PI = PI_SEP;

const MIN_GOOD_FRAC = 0.5;
const QUANTIF_NSIGMA = 5;
/** Size of the histogram scratch arrays meshStats needs. */
export const QUANTIF_NMAXLEVELS = 4096;
const QUANTIF_AMIN = 4;
const HIST_STEP = (Math.sqrt(2 / SEP_PI) * QUANTIF_NSIGMA) / QUANTIF_AMIN;


export /** Statistics of one mesh: SEP's backstat + backhisto + backguess. */
function meshStats(
  data: Float32Array,
  mask: Uint8Array | undefined,
  w: number,
  x0: number,
  y0: number,
  mw: number,
  mh: number,
  histo: Int32Array,
  p0: Float64Array,
  p1: Float64Array,
  p2: Float64Array,
  outBack: Float32Array,
  outSigma: Float32Array,
  k: number,
): void {
  // pass 1: mean and sigma of the good pixels
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = y0; y < y0 + mh; y++) {
    const off = y * w;
    if (mask === undefined) {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p > -BIG && p < Infinity) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    } else {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p > -BIG && p < Infinity && mask[i] === 0) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    }
  }
  if (f32(n) < f32(mw * mh * MIN_GOOD_FRAC) || n === 0) {
    outBack[k] = -BIG;
    outSigma[k] = -BIG;
    return;
  }
  let mean = sum / n;
  let v = sum2 / n - mean * mean;
  let sig = v > 0 ? Math.sqrt(v) : 0;
  const lcut = f32(mean - 2 * sig);
  const hcut = f32(mean + 2 * sig);

  // pass 2: clipped at +-2 sigma
  sum = 0;
  sum2 = 0;
  n = 0;
  for (let y = y0; y < y0 + mh; y++) {
    const off = y * w;
    if (mask === undefined) {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p <= hcut && p >= lcut) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    } else {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const p = data[i];
        if (p <= hcut && p >= lcut && mask[i] === 0) {
          sum += p;
          sum2 += p * p;
          n++;
        }
      }
    }
  }
  if (n === 0) {
    outBack[k] = -BIG;
    outSigma[k] = -BIG;
    return;
  }
  mean = sum / n;
  v = sum2 / n - mean * mean;
  sig = v > 0 ? Math.sqrt(v) : 0;
  const bmMean = f32(mean);
  const bmSigma = f32(sig);
  let nlevels = Math.trunc(HIST_STEP * n + 1);
  if (nlevels > QUANTIF_NMAXLEVELS) nlevels = QUANTIF_NMAXLEVELS;
  const qscale = f32(sig > 0 ? (2 * QUANTIF_NSIGMA * sig) / nlevels : 1);
  const qzero = f32(mean - QUANTIF_NSIGMA * sig);

  // pass 3: histogram
  histo.fill(0, 0, nlevels);
  const cste = f32(0.499999 - f32(qzero / qscale));
  // C truncates toward zero: values in (-1, 0) land in bin 0
  for (let y = y0; y < y0 + mh; y++) {
    const off = y * w;
    if (mask === undefined) {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const b = f32(f32(data[i] / qscale) + cste);
        if (b > -1 && b < nlevels) histo[b | 0]++;
      }
    } else {
      for (let i = off + x0, e = off + x0 + mw; i < e; i++) {
        const b = f32(f32(data[i] / qscale) + cste);
        if (b > -1 && b < nlevels && mask[i] === 0) histo[b | 0]++;
      }
    }
  }
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  p0[0] = p1[0] = p2[0] = 0;
  for (let i = 0; i < nlevels; i++) {
    const pix = histo[i];
    const dpix = pix * i;
    c0 += pix;
    c1 += dpix;
    c2 += dpix * i;
    p0[i + 1] = c0;
    p1[i + 1] = c1;
    p2[i + 1] = c2;
  }
  backGuess(histo, p0, p1, p2, nlevels, bmMean, bmSigma, qzero, qscale, outBack, outSigma, k);
}

/** Mode and sigma of a mesh from its histogram (SEP's backguess). */
function backGuess(
  histo: Int32Array,
  p0: Float64Array,
  p1: Float64Array,
  p2: Float64Array,
  nlevels: number,
  bmMean: number,
  bmSigma: number,
  qzero: number,
  qscale: number,
  outBack: Float32Array,
  outSigma: Float32Array,
  k: number,
): void {
  const EPS = 1e-4;
  const nlevelsm1 = nlevels - 1;
  if (nlevelsm1 === 0) {
    // a single good pixel: SEP would return qzero + mean * qscale, i.e. twice
    // the value (its bin-unit mean starts in data units); the value is meant
    outBack[k] = bmMean;
    outSigma[k] = 0;
    return;
  }
  let lcut = 0;
  let hcut = nlevelsm1;
  let sig = 10 * nlevelsm1;
  let sig1 = 1;
  let mea = bmMean;
  let med = bmMean;
  for (let n = 100; n-- > 0 && sig >= 0.1 && Math.abs(sig / sig1 - 1) > EPS; ) {
    sig1 = sig;
    // sums over bins lcut..hcut from the prefix sums (integers below 2^53:
    // exact, so identical to SEP's running sums)
    const nb = hcut - lcut + 1;
    const base = p0[lcut];
    const acc = p0[hcut + 1] - base;
    const sum = acc;
    mea = p1[hcut + 1] - p1[lcut];
    sig = p2[hcut + 1] - p2[lcut];
    // SEP walks in from both ends (adding the low bin while the low sum is
    // below the high sum, else the high bin) until the walkers cross. That
    // walk is a merge of two sorted sequences, so its end point follows from
    // binary searches on the prefix sums (same result, no branch per bin).
    const a = lowSteps(p0, lcut, nb, acc);
    const lo = lcut + a;
    const hi = lo - 1;
    const lowsum = p0[lo] - base;
    const highsum = acc - lowsum;
    if (hi >= 0) {
      const hl = histo[lo];
      const hh = histo[hi];
      med = hi + 0.5 + (highsum - lowsum) / (2 * (hl > hh ? hl : hh));
    } else {
      med = 0;
    }
    if (sum) {
      mea /= sum;
      sig = sig / sum - mea * mea;
    }
    sig = sig > 0 ? Math.sqrt(sig) : 0;
    let t = med - 3 * sig;
    lcut = t > 0 ? Math.trunc(t > 0 ? t + 0.5 : t - 0.5) : 0;
    t = med + 3 * sig;
    hcut = t < nlevelsm1 ? Math.trunc(t > 0 ? t + 0.5 : t - 0.5) : nlevelsm1;
  }
  let mode: number;
  if (Math.abs(sig) > 0) {
    mode = Math.abs((mea - med) / sig) < 0.3 ? qzero + (2.5 * med - 1.5 * mea) * qscale : qzero + med * qscale;
  } else {
    mode = qzero + mea * qscale;
  }
  void bmSigma; // SEP's alternative branch on the mesh sigma is never taken
  outBack[k] = mode;
  outSigma[k] = sig * qscale;
}

/**
 * Number of low-end steps of SEP's median walk over `n` bins whose prefix
 * sums are `p0[off + j] - p0[off]`, j = 0..n (total `total`). At each of the n steps the walk
 * takes the next low bin when the low sum is below the high sum, else the
 * next high bin: a merge of the nondecreasing sequences A_a = prefix[a] and
 * B_b = total - prefix[n - b] with ties going to B. A_a is merged at
 * position a + #{b : B_b <= A_a}; the answer is how many of those positions
 * are below n.
 */
function lowSteps(p0: Float64Array, off: number, n: number, total: number): number {
  const base = p0[off];
  // position of A_a in the merged order
  const pos = (a: number): number => {
    // #{j in 0..n : prefix[j] >= total - A_a}: n + 1 - (first such j)
    const v = total - (p0[off + a] - base);
    let l = 0;
    let r = n + 1;
    while (l < r) {
      const m = (l + r) >> 1;
      if (p0[off + m] - base >= v) r = m;
      else l = m + 1;
    }
    return a + n + 1 - l;
  };
  // largest count c in 0..n+1 with pos(c - 1) < n (pos increases with a)
  let l = 0;
  let r = n + 1;
  while (l < r) {
    const m = (l + r + 1) >> 1;
    if (pos(m - 1) < n) l = m;
    else r = m - 1;
  }
  return Math.min(l, n);
}
