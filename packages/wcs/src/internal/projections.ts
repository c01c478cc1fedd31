/**
 * Zenithal projections of Calabretta & Greisen (2002, A&A 395, 1077), as
 * WCSLIB implements them: native spherical (phi, theta) <-> projection-plane
 * coordinates (x, y), all in degrees. The reference point is the native pole
 * (theta0 = 90 deg) for every projection here.
 */

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** A zenithal projection: the radius R(theta) and its inverse theta(R). */
export interface ZenithalProjection {
  /** Three-letter code (TAN, SIN, ZEA, ARC, ZPN). */
  readonly code: string;
  /** Radius in the projection plane (degrees) for native latitude theta (degrees); NaN when not projectable. */
  radius(thetaDeg: number): number;
  /** Native latitude (degrees) for a radius (degrees); NaN outside the projection's domain. */
  theta(radiusDeg: number): number;
}

/** Gnomonic: R = (180/pi) cot(theta). */
export const TAN: ZenithalProjection = {
  code: 'TAN',
  radius(theta) {
    const s = Math.sin(theta * D2R);
    return s > 0 ? (R2D * Math.cos(theta * D2R)) / s : NaN;
  },
  theta(r) {
    return Math.atan2(R2D, r) * R2D;
  },
};

/** Orthographic (without the slant parameters): R = (180/pi) cos(theta). */
export const SIN: ZenithalProjection = {
  code: 'SIN',
  radius(theta) {
    return theta >= 0 ? R2D * Math.cos(theta * D2R) : NaN;
  },
  theta(r) {
    const w = r / R2D;
    if (w > 1) {
      // tolerate rounding at the limb
      return w - 1 < 1e-13 ? 0 : NaN;
    }
    return Math.acos(w) * R2D;
  },
};

/** Zenithal equal-area: R = (360/pi) sin((90 - theta) / 2). */
export const ZEA: ZenithalProjection = {
  code: 'ZEA',
  radius(theta) {
    return 2 * R2D * Math.sin(((90 - theta) / 2) * D2R);
  },
  theta(r) {
    const w = r / (2 * R2D);
    if (w > 1) return w - 1 < 1e-13 ? -90 : NaN;
    return 90 - 2 * Math.asin(w) * R2D;
  },
};

/** Zenithal equidistant: R = 90 - theta. */
export const ARC: ZenithalProjection = {
  code: 'ARC',
  radius(theta) {
    return 90 - theta;
  },
  theta(r) {
    return r > 180 ? NaN : 90 - r;
  },
};

/**
 * Zenithal polynomial: R = (180/pi) sum_m P_m (pi/2 - theta)^m with theta in
 * radians and P_m = PV2_m (m = 0..20; VISTA uses it). The inverse solves the
 * polynomial on the interval where it increases (WCSLIB does the same), by
 * Newton's method safeguarded with bisection.
 */
export function zpn(coefficients: readonly number[]): ZenithalProjection {
  let degree = coefficients.length - 1;
  while (degree > 0 && coefficients[degree] === 0) degree--;
  const p = coefficients.slice(0, degree + 1);
  const poly = (z: number): number => {
    let s = 0;
    for (let m = degree; m >= 0; m--) s = s * z + p[m];
    return s;
  };
  const deriv = (z: number): number => {
    let s = 0;
    for (let m = degree; m >= 1; m--) s = s * z + m * p[m];
    return s;
  };
  // Largest zeta in [0, pi] up to which R increases (first root of the derivative).
  let zmax = Math.PI;
  if (degree >= 2) {
    const steps = 2000;
    let prev = deriv(0);
    for (let i = 1; i <= steps; i++) {
      const z = (Math.PI * i) / steps;
      const d = deriv(z);
      if (d <= 0 && prev > 0) {
        let lo = (Math.PI * (i - 1)) / steps;
        let hi = z;
        for (let k = 0; k < 100; k++) {
          const mid = 0.5 * (lo + hi);
          if (deriv(mid) > 0) lo = mid;
          else hi = mid;
        }
        zmax = lo;
        break;
      }
      prev = d;
    }
  }
  const rmax = poly(zmax);
  const r0 = poly(0);
  return {
    code: 'ZPN',
    radius(theta) {
      const z = (90 - theta) * D2R;
      if (z > zmax + 1e-12) return NaN;
      return R2D * poly(z);
    },
    theta(r) {
      const target = r / R2D;
      if (target < r0 - 1e-15 || target > rmax + 1e-12) return NaN;
      if (degree === 1) return 90 - ((target - p[0]) / p[1]) * R2D;
      let lo = 0;
      let hi = zmax;
      let z = Math.min(Math.max((target - p[0]) / (p[1] || 1), 0), zmax);
      for (let k = 0; k < 100; k++) {
        const f = poly(z) - target;
        if (Math.abs(f) < 1e-16) break;
        if (f > 0) hi = z;
        else lo = z;
        const d = deriv(z);
        let next = d > 0 ? z - f / d : NaN;
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        if (Math.abs(next - z) < 1e-16) {
          z = next;
          break;
        }
        z = next;
      }
      return 90 - z * R2D;
    },
  };
}

/** Projection-plane (x, y) of native (phi, theta) for a zenithal projection. */
export function zenithalForward(proj: ZenithalProjection, phiDeg: number, thetaDeg: number): [number, number] {
  const r = proj.radius(thetaDeg);
  const phi = phiDeg * D2R;
  return [r * Math.sin(phi), -r * Math.cos(phi)];
}

/** Native (phi, theta) of projection-plane (x, y) for a zenithal projection. */
export function zenithalInverse(proj: ZenithalProjection, x: number, y: number): [number, number] {
  const r = Math.hypot(x, y);
  const phi = r === 0 ? 0 : Math.atan2(x, -y) * R2D;
  return [phi, proj.theta(r)];
}
