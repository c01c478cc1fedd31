import { describe, expect, it } from 'vitest';
import { ApertureFlag, PhotometryError, sumCircAnn, sumCircle, sumEllipse } from '@astro/photometry';
import type { ApertureResult, SumCircleOptions } from '@astro/photometry';
import { loadSepFixture, relDiff } from './helpers/sep-fixture.js';
import type { SepCase } from './helpers/sep-fixture.js';

const fx = loadSepFixture();
const { width, height } = fx.image;
const data = Float32Array.from(fx.image.data);
const variance = Float32Array.from(fx.image.var);
const mask = Uint8Array.from(fx.image.mask);
const image = { data, width, height };

function optionsOf(c: SepCase): SumCircleOptions {
  const k = c.kwargs;
  const o: SumCircleOptions = {};
  if (typeof k.subpix === 'number') o.subpix = k.subpix;
  if (typeof k.gain === 'number') o.gain = k.gain;
  if (k.err === 'array') o.err = Float32Array.from(variance, Math.sqrt);
  else if (typeof k.err === 'number') o.err = k.err;
  if (k.var === 'array') o.var = variance;
  else if (typeof k.var === 'number') o.var = k.var;
  if (k.mask === true) o.mask = mask;
  if (typeof k.maskThresh === 'number') o.maskThresh = k.maskThresh;
  if (Array.isArray(k.bkgann)) o.bkgann = [k.bkgann[0] as number, k.bkgann[1] as number];
  return o;
}

function compare(c: SepCase, res: ApertureResult, tol: number): void {
  const n = fx.x.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    worst = Math.max(worst, relDiff(res.sum[i], c.out.sum[i], 1e-3), relDiff(res.sumErr[i], c.out.sumErr[i], 1e-3));
    // Our own bits (not set by SEP): ALLMASKED on sums, BKGANN_EMPTY.
    const ours = res.flags[i] & (ApertureFlag.ALLMASKED | ApertureFlag.BKGANN_EMPTY);
    expect(res.flags[i] & ~ours, `${c.name} flags[${i}]`).toBe(c.out.flags[i]);
    if (ours & ApertureFlag.ALLMASKED) expect(c.out.sum[i], `${c.name}: SEP NaN when all masked`).toBeNull();
  }
  expect(worst, `${c.name}: worst relative difference`).toBeLessThan(tol);
}

describe('aperture sums vs SEP 1.2.1 (synthetic image fixture)', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'sumCircle')) {
    it(c.name, () => {
      compare(c, sumCircle(image, fx.x, fx.y, c.params.r as number, optionsOf(c)), 1e-9);
    });
  }
  for (const c of fx.cases.filter((k) => k.fn === 'sumEllipse')) {
    it(c.name, () => {
      const p = c.params as { a: number; b: number; theta: number; r: number };
      compare(c, sumEllipse(image, fx.x, fx.y, p.a, p.b, p.theta, { ...optionsOf(c), r: p.r }), 1e-9);
    });
  }
  for (const c of fx.cases.filter((k) => k.fn === 'sumCircAnn')) {
    it(c.name, () => {
      const p = c.params as { rin: number; rout: number };
      compare(c, sumCircAnn(image, fx.x, fx.y, p.rin, p.rout, optionsOf(c)), 1e-9);
    });
  }
});

describe('aperture sums: properties', () => {
  it('exact overlap of a circle far from edges sums the area pi r^2 on a flat image', () => {
    const flat = { data: new Float64Array(50 * 50).fill(1), width: 50, height: 50 };
    const res = sumCircle(flat, [25.3, 20.77], [24.6, 21.01], [3.7, 6.2], { subpix: 0 });
    expect(res.sum[0]).toBeCloseTo(Math.PI * 3.7 * 3.7, 10);
    expect(res.sum[1]).toBeCloseTo(Math.PI * 6.2 * 6.2, 10);
    expect(res.area[1]).toBeCloseTo(Math.PI * 6.2 * 6.2, 10);
    const e = sumEllipse(flat, 25.2, 24.9, 5, 2.5, 0.77, { subpix: 0 });
    expect(e.sum[0]).toBeCloseTo(Math.PI * 5 * 2.5, 10);
    const ann = sumCircAnn(flat, 24.1, 25.4, 2.2, 7.9, { subpix: 0 });
    expect(ann.sum[0]).toBeCloseTo(Math.PI * (7.9 * 7.9 - 2.2 * 2.2), 10);
  });

  it('NaN and Inf pixels are treated as masked (flag HASMASKED, filled with the aperture mean)', () => {
    const d = new Float32Array(30 * 30).fill(2);
    d[15 * 30 + 15] = NaN;
    d[14 * 30 + 16] = Infinity;
    const res = sumCircle({ data: d, width: 30, height: 30 }, 15, 15, 4, { subpix: 0 });
    expect(res.flags[0] & ApertureFlag.HASMASKED).toBeTruthy();
    expect(res.sum[0]).toBeCloseTo(2 * Math.PI * 16, 9);
  });

  it('an all-masked aperture gives NaN with ALLMASKED; off-image gives 0 with TRUNC', () => {
    const d = new Float32Array(20 * 20).fill(1);
    const m = new Uint8Array(20 * 20).fill(1);
    const res = sumCircle({ data: d, width: 20, height: 20 }, [10, -50], [10, 5], 3, { mask: m });
    expect(Number.isNaN(res.sum[0])).toBe(true);
    expect(res.flags[0]).toBe(ApertureFlag.HASMASKED | ApertureFlag.ALLMASKED);
    const off = sumCircle({ data: d, width: 20, height: 20 }, -50, 5, 3);
    expect(off.sum[0]).toBe(0);
    expect(off.flags[0]).toBe(ApertureFlag.TRUNC);
  });

  it('a 1x1 image works', () => {
    const res = sumCircle({ data: new Float32Array([7]), width: 1, height: 1 }, 0, 0, 10, { subpix: 0 });
    expect(res.sum[0]).toBeCloseTo(7, 12);
    expect(res.flags[0]).toBe(ApertureFlag.TRUNC);
  });

  it('negative or NaN per-pixel variance masks the pixel, zero variance is allowed', () => {
    const d = new Float32Array(15 * 15).fill(1);
    const v = new Float32Array(15 * 15).fill(0);
    let res = sumCircle({ data: d, width: 15, height: 15 }, 7, 7, 2, { var: v });
    expect(res.sumErr[0]).toBe(0);
    expect(res.flags[0]).toBe(0);
    v[7 * 15 + 7] = -1;
    res = sumCircle({ data: d, width: 15, height: 15 }, 7, 7, 2, { var: v });
    expect(res.flags[0]).toBe(ApertureFlag.HASMASKED);
    expect(Number.isFinite(res.sumErr[0])).toBe(true);
  });

  it('a source with invalid parameters is flagged ILLEGAL, others are unaffected', () => {
    const res = sumCircle(image, [20, NaN, 30], [15, 10, 20], [3, 3, -1]);
    expect(res.flags[0] & ApertureFlag.ILLEGAL).toBe(0);
    expect(res.flags[1]).toBe(ApertureFlag.ILLEGAL);
    expect(res.flags[2]).toBe(ApertureFlag.ILLEGAL);
    expect(Number.isNaN(res.sum[2])).toBe(true);
    const e = sumEllipse(image, 20, 15, 1, 2, 0);
    expect(e.flags[0]).toBe(ApertureFlag.ILLEGAL);
    expect(sumCircle(image, 20, 15, Infinity).flags[0]).toBe(ApertureFlag.ILLEGAL);
    expect(sumCircle(image, 20, 15, 3, { bkgann: [5, 4] }).flags[0]).toBe(ApertureFlag.ILLEGAL);
    expect(sumCircAnn(image, 20, 15, 4, 2).flags[0]).toBe(ApertureFlag.ILLEGAL);
  });

  it('median background annulus subtracts the median level', () => {
    const d = new Float32Array(40 * 40).fill(10);
    d[20 * 40 + 28] = 1e6; // one outlier in the annulus
    const mean = sumCircle({ data: d, width: 40, height: 40 }, 20, 20, 3, { bkgann: [6, 10] });
    const med = sumCircle({ data: d, width: 40, height: 40 }, 20, 20, 3, { bkgann: [6, 10], bkgannStat: 'median' });
    expect(Math.abs(med.sum[0])).toBeLessThan(1e-9);
    expect(mean.sum[0]).toBeLessThan(-1000);
  });

  it('bad calls throw PhotometryError naming the problem', () => {
    expect(() => sumCircle({ data: new Float32Array(10), width: 3, height: 3 }, 1, 1, 1)).toThrow(/10 values but width x height = 9/);
    expect(() => sumCircle(image, [1, 2], [1, 2, 3], 2)).toThrow(PhotometryError);
    expect(() => sumCircle(image, 1, 1, 2, { err: 1, var: 1 })).toThrow(/either err or var/);
    expect(() => sumCircle(image, 1, 1, 2, { err: -1 })).toThrow(/err = -1/);
    expect(() => sumCircle(image, 1, 1, 2, { subpix: 2.5 })).toThrow(/subpix/);
    expect(() => sumCircle(image, 1, 1, 2, { mask: new Uint8Array(3) })).toThrow(/mask has 3 values/);
  });
});
