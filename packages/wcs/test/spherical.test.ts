/**
 * Analytic truths: the spherical rotation (native pole at CRVAL, LONPOLE),
 * the gnomonic projection along an axis (x = tan of the angle), the
 * orthographic and equidistant radii, and round trips at random points.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@astro/core';
import { Wcs, celestialToNative, nativeToCelestial } from '@astro/wcs';
import type { HeaderLike } from '@astro/wcs';

const D2R = Math.PI / 180;

function header(cards: Record<string, unknown>): HeaderLike {
  const m = new Map(Object.entries(cards));
  return { get: (k: string) => m.get(k) };
}

describe('nativeToCelestial / celestialToNative', () => {
  it('the native pole is (alphaP, deltaP); alpha wraps into [0, 360)', () => {
    const [a, d] = nativeToCelestial(0, 90, 359.5, -30, 180);
    expect(a).toBeCloseTo(359.5, 12);
    expect(d).toBeCloseTo(-30, 12);
    // on the equator, 1 degree of native latitude below the pole along phi = LONPOLE + 180 is +1 deg in dec
    const [a2, d2] = nativeToCelestial(0, 89, 0, 0, 180);
    expect(a2).toBeCloseTo(0, 12);
    expect(d2).toBeCloseTo(-1, 12);
    expect(nativeToCelestial(NaN, 10, 0, 0, 180)).toEqual([NaN, NaN]);
  });

  it('round trips random points to 1e-9 degree for random poles', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const alphaP = random() * 360;
      const deltaP = random() * 180 - 90;
      const phiP = random() < 0.5 ? 180 : random() * 360;
      const alpha = random() * 360;
      const delta = Math.asin(2 * random() - 1) / D2R;
      const [phi, theta] = celestialToNative(alpha, delta, alphaP, deltaP, phiP);
      const [a, d] = nativeToCelestial(phi, theta, alphaP, deltaP, phiP);
      expect(d).toBeCloseTo(delta, 9);
      if (Math.abs(delta) < 89.999) expect(Math.abs(((a - alpha + 540) % 360) - 180)).toBeLessThan(1e-9);
    }
  });
});

describe('projections along an axis (CRVAL = (0, 0), CD = identity in degrees)', () => {
  const base = { CRVAL1: 0, CRVAL2: 0, CRPIX1: 1, CRPIX2: 1, CD1_1: 1, CD1_2: 0, CD2_1: 0, CD2_2: 1 };
  const radius: Record<string, (thetaFromPoleDeg: number) => number> = {
    TAN: (z) => Math.tan(z * D2R) / D2R,
    SIN: (z) => Math.sin(z * D2R) / D2R,
    ARC: (z) => z,
    ZEA: (z) => (2 * Math.sin((z * D2R) / 2)) / D2R,
  };
  for (const [code, r] of Object.entries(radius)) {
    it(`${code}: a point 30 deg north of CRVAL lies at y = R(30 deg) pixels`, () => {
      const wcs = Wcs.fromHeader(header({ ...base, CTYPE1: `RA---${code}`, CTYPE2: `DEC--${code}` }));
      const p = wcs.worldToPixel(0, 30);
      expect(p.x[0]).toBeCloseTo(0, 9);
      expect(p.y[0]).toBeCloseTo(r(30), 9);
      const w = wcs.pixelToWorld(0, r(30));
      expect(w.dec[0]).toBeCloseTo(30, 9);
      expect(w.ra[0]).toBeCloseTo(0, 9);
    });
  }

  it('ZPN with PV2_1 = 1 only is ARC', () => {
    const zpn = Wcs.fromHeader(header({ ...base, CTYPE1: 'RA---ZPN', CTYPE2: 'DEC--ZPN', PV2_1: 1 }));
    const arc = Wcs.fromHeader(header({ ...base, CTYPE1: 'RA---ARC', CTYPE2: 'DEC--ARC' }));
    const a = zpn.pixelToWorld([3, -20, 45], [7, 33, -60]);
    const b = arc.pixelToWorld([3, -20, 45], [7, 33, -60]);
    for (let i = 0; i < 3; i++) {
      expect(a.ra[i]).toBeCloseTo(b.ra[i], 10);
      expect(a.dec[i]).toBeCloseTo(b.dec[i], 10);
    }
  });

  it('swapped axes (CTYPE1 = DEC, CTYPE2 = RA) give the same sky as the transposed WCS', () => {
    const normal = Wcs.fromHeader(header({ ...base, CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CRVAL1: 40, CRVAL2: 10 }));
    const swapped = Wcs.fromHeader(header({ ...base, CTYPE1: 'DEC--TAN', CTYPE2: 'RA---TAN', CRVAL1: 10, CRVAL2: 40 }));
    expect(swapped.lngAxis).toBe(1);
    const a = normal.pixelToWorld(2, 5);
    const b = swapped.pixelToWorld(5, 2);
    expect(b.ra[0]).toBeCloseTo(a.ra[0], 12);
    expect(b.dec[0]).toBeCloseTo(a.dec[0], 12);
  });
});
