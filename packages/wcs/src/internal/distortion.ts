/**
 * Polynomial distortions: SIP (Shupe et al. 2005, on pixel offsets from
 * CRPIX) and TPV (the SCAMP/TNX-derived convention, on intermediate world
 * coordinates in degrees). Inverses are solved by Newton iteration to
 * 1e-12 of the input units, seeded with the reverse polynomial (SIP AP/BP)
 * when the header has one.
 */

/** A 2-D polynomial distortion with an exact (iterated) inverse. */
export interface Distortion {
  /** Distorted coordinates of (u, v). */
  forward(u: number, v: number): [number, number];
  /** (u, v) whose distortion is (U, V); NaN when the iteration does not converge. */
  inverse(U: number, V: number): [number, number];
}

/** Coefficients c[p][q] of sum c_pq u^p v^q (p + q <= order). */
export type PolyCoefficients = number[][];

function polyEval(c: PolyCoefficients, order: number, u: number, v: number): number {
  // Horner in v inside Horner in u
  let s = 0;
  for (let p = order; p >= 0; p--) {
    const row = c[p];
    let t = 0;
    for (let q = order - p; q >= 0; q--) t = t * v + (row[q] ?? 0);
    s = s * u + t;
  }
  return s;
}

function polyGrad(c: PolyCoefficients, order: number, u: number, v: number): [number, number] {
  let du = 0;
  let dv = 0;
  for (let p = 0; p <= order; p++) {
    const row = c[p];
    for (let q = 0; q <= order - p; q++) {
      const k = row[q] ?? 0;
      if (k === 0) continue;
      if (p > 0) du += k * p * u ** (p - 1) * v ** q;
      if (q > 0) dv += k * q * u ** p * v ** (q - 1);
    }
  }
  return [du, dv];
}

/** Newton solve of forward(u, v) = (U, V) from a starting point. */
function newton(
  f: (u: number, v: number) => [number, number],
  jac: (u: number, v: number) => [number, number, number, number],
  U: number,
  V: number,
  u0: number,
  v0: number,
  tol: number,
): [number, number] {
  let u = u0;
  let v = v0;
  for (let k = 0; k < 50; k++) {
    const [fu, fv] = f(u, v);
    const ru = fu - U;
    const rv = fv - V;
    const [a, b, c, d] = jac(u, v);
    const det = a * d - b * c;
    if (!Number.isFinite(det) || det === 0) return [NaN, NaN];
    const du = (d * ru - b * rv) / det;
    const dv = (a * rv - c * ru) / det;
    u -= du;
    v -= dv;
    if (Math.abs(du) <= tol && Math.abs(dv) <= tol) return [u, v];
  }
  return [NaN, NaN];
}

/** SIP coefficients as read from a header. */
export interface SipCoefficients {
  a: PolyCoefficients;
  aOrder: number;
  b: PolyCoefficients;
  bOrder: number;
  ap?: PolyCoefficients;
  apOrder?: number;
  bp?: PolyCoefficients;
  bpOrder?: number;
}

/**
 * SIP: U = u + A(u, v), V = v + B(u, v) on pixel offsets from CRPIX. The
 * inverse starts from u = U + AP(U, V), v = V + BP(U, V) when AP/BP exist and
 * refines with Newton's method on the forward polynomials.
 */
export function sipDistortion(sip: SipCoefficients, tolerancePx = 1e-12): Distortion {
  const { a, aOrder, b, bOrder } = sip;
  const forward = (u: number, v: number): [number, number] => [u + polyEval(a, aOrder, u, v), v + polyEval(b, bOrder, u, v)];
  const jac = (u: number, v: number): [number, number, number, number] => {
    const [au, av] = polyGrad(a, aOrder, u, v);
    const [bu, bv] = polyGrad(b, bOrder, u, v);
    return [1 + au, av, bu, 1 + bv];
  };
  return {
    forward,
    inverse(U, V) {
      let u0 = U;
      let v0 = V;
      if (sip.ap && sip.bp) {
        u0 = U + polyEval(sip.ap, sip.apOrder ?? 0, U, V);
        v0 = V + polyEval(sip.bp, sip.bpOrder ?? 0, U, V);
      }
      return newton(forward, jac, U, V, u0, v0, tolerancePx);
    },
  };
}

/** Number of TPV terms (k = 0..39). */
export const TPV_TERMS = 40;

/**
 * Value and gradient of TPV term k at (x, y): the terms run 1, x, y, r, x^2,
 * xy, y^2, x^3, x^2y, xy^2, y^3, r^3, x^4 ... y^4, x^5 ... y^5, r^5, x^6 ...
 * y^6, x^7 ... y^7, r^7 (r = sqrt(x^2 + y^2)).
 */
function tpvTerm(k: number, x: number, y: number, r: number): [number, number, number] {
  // map k to (power of x, power of y) or an odd power of r
  const RADIAL: Record<number, number> = { 3: 1, 11: 3, 23: 5, 39: 7 };
  const rp = RADIAL[k];
  if (rp !== undefined) {
    const value = r ** rp;
    const dr = rp * r ** (rp - 1);
    return r === 0 ? [value, rp === 1 ? 0 : 0, 0] : [value, (dr * x) / r, (dr * y) / r];
  }
  // starting index of degree n block
  const starts = [0, 1, 4, 7, 12, 17, 24, 31];
  let n = 0;
  for (let d = 7; d >= 0; d--) {
    if (k >= starts[d]) {
      n = d;
      break;
    }
  }
  const j = k - starts[n]; // 0..n: x^(n-j) y^j
  const px = n - j;
  const py = j;
  const value = x ** px * y ** py;
  const dx = px > 0 ? px * x ** (px - 1) * y ** py : 0;
  const dy = py > 0 ? py * x ** px * y ** (py - 1) : 0;
  return [value, dx, dy];
}

/**
 * TPV: xi = sum PV1_k T_k(x, y), eta = sum PV2_k T_k(y, x) on intermediate
 * world coordinates (degrees). `pv1`, `pv2` have 40 entries (missing = 0).
 */
export function tpvDistortion(pv1: readonly number[], pv2: readonly number[], toleranceDeg = 1e-14): Distortion {
  const used1 = pv1.map((c, k) => [k, c] as const).filter(([, c]) => c !== 0);
  const used2 = pv2.map((c, k) => [k, c] as const).filter(([, c]) => c !== 0);
  const evalAxis = (used: ReadonlyArray<readonly [number, number]>, x: number, y: number): [number, number, number] => {
    const r = Math.hypot(x, y);
    let s = 0;
    let dx = 0;
    let dy = 0;
    for (const [k, c] of used) {
      const [t, tx, ty] = tpvTerm(k, x, y, r);
      s += c * t;
      dx += c * tx;
      dy += c * ty;
    }
    return [s, dx, dy];
  };
  const forward = (x: number, y: number): [number, number] => [evalAxis(used1, x, y)[0], evalAxis(used2, y, x)[0]];
  const jac = (x: number, y: number): [number, number, number, number] => {
    const [, xiX, xiY] = evalAxis(used1, x, y);
    const [, etaY, etaX] = evalAxis(used2, y, x);
    return [xiX, xiY, etaX, etaY];
  };
  return {
    forward,
    inverse(xi, eta) {
      return newton(forward, jac, xi, eta, xi, eta, toleranceDeg);
    },
  };
}
