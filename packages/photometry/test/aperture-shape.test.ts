/** Kron radius, FLUX_AUTO, flux radius and windowed positions vs SEP 1.2.1 (fixture). */
import { describe, expect, it } from 'vitest';
import { ApertureFlag, fluxAuto, fluxRadius, kronRadius, sumEllipse, windowedPosition } from '@astro/photometry';
import { loadSepFixture, relDiff } from './helpers/sep-fixture.js';

const fx = loadSepFixture();
const { width, height } = fx.image;
const minus50 = Float32Array.from(fx.image.data, (v) => Math.fround(v - 50));
const image = { data: minus50, width, height };
const mask = Uint8Array.from(fx.image.mask);
const n = fx.x.length;

function flagsOf(c: { out: Record<string, (number | null)[]> }): number[] {
  return c.out.flags as number[];
}

describe('kronRadius vs SEP', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'kronRadius')) {
    it(c.name, () => {
      const p = c.params as { a: number; b: number; theta: number; r: number };
      const res = kronRadius(image, fx.x, fx.y, p.a, p.b, p.theta, p.r, c.kwargs.mask ? { mask } : {});
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, relDiff(res.kronRadius[i], c.out.kronrad[i]));
      expect(worst).toBeLessThan(1e-9);
      expect(Array.from(res.flags)).toEqual(flagsOf(c));
    });
  }
});

describe('fluxRadius vs SEP', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'fluxRadius')) {
    it(c.name, () => {
      const p = c.params as { rmax: number; frac: number[]; normflux?: number };
      const res = fluxRadius(image, fx.x, fx.y, p.rmax, p.frac, {
        ...(c.kwargs.mask ? { mask } : {}),
        ...(p.normflux !== undefined ? { normFlux: p.normflux } : {}),
        ...(typeof c.kwargs.subpix === 'number' ? { subpix: c.kwargs.subpix } : {}),
      });
      expect(res.nfrac).toBe(p.frac.length);
      let worst = 0;
      for (let i = 0; i < res.radius.length; i++) worst = Math.max(worst, relDiff(res.radius[i], c.out.radius[i]));
      expect(worst).toBeLessThan(1e-9);
      expect(Array.from(res.flags)).toEqual(flagsOf(c));
    });
  }
});

describe('windowedPosition vs SEP', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'windowedPosition')) {
    it(c.name, () => {
      const p = c.params as { sig: number };
      const res = windowedPosition(image, fx.x, fx.y, p.sig, {
        ...(c.kwargs.mask ? { mask } : {}),
        ...(typeof c.kwargs.subpix === 'number' ? { subpix: c.kwargs.subpix } : {}),
      });
      let worst = 0;
      for (let i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(res.x[i] - (c.out.x[i] ?? NaN)), Math.abs(res.y[i] - (c.out.y[i] ?? NaN)));
      }
      expect(worst).toBeLessThan(1e-9);
      expect(Array.from(res.flags)).toEqual(flagsOf(c));
    });
  }
});

describe('fluxAuto', () => {
  it('is the ellipse sum at max(2.5 kron, 3.5), with the Kron and sum flags ORed', () => {
    const x = [20.3, 44.8, 8.6, 0.5];
    const y = [15.7, 30.2, 38.1, 0.5];
    const res = fluxAuto(image, x, y, 1.8, 1.5, 0.3, { err: 3, gain: 1 });
    const kr = kronRadius(image, x, y, 1.8, 1.5, 0.3, 6);
    for (let i = 0; i < x.length; i++) {
      const rr = Math.max(2.5 * kr.kronRadius[i], 3.5);
      expect(res.radius[i]).toBe(rr);
      const s = sumEllipse(image, x[i], y[i], 1.8, 1.5, 0.3, { r: rr, err: 3, gain: 1 });
      expect(res.flux[i]).toBe(s.sum[0]);
      expect(res.fluxErr[i]).toBe(s.sumErr[0]);
      expect(res.flags[i]).toBe(kr.flags[i] | s.flags[0]);
    }
    expect(res.flags[3] & ApertureFlag.TRUNC).toBeTruthy();
    // a blob of ~5000 counts with sigma 1.6 px: FLUX_AUTO catches > 90 % of it
    expect(res.flux[0]).toBeGreaterThan(4500);
  });

  it('a source on empty (zero) data falls back to minRadius with NONPOSITIVE', () => {
    const zero = { data: new Float32Array(40 * 40), width: 40, height: 40 };
    const res = fluxAuto(zero, 20, 20, 2, 1, 0);
    expect(res.flags[0] & ApertureFlag.NONPOSITIVE).toBeTruthy();
    expect(res.radius[0]).toBe(3.5);
    expect(res.flux[0]).toBe(0);
  });
});
