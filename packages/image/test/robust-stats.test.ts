/**
 * Robust statistics against analytic truths and against numpy / astropy
 * (fixtures/robust-stats.json, made by scripts/make-robust-fixtures.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageError, MAD_TO_STD, median, medianAbsoluteDeviation, sigmaClip } from '@astro/image';

interface Case {
  name: string;
  dtype: 'float64' | 'float32';
  values: (number | null)[];
  median: number;
  mad: number;
  madStd: number;
  sigmaClip: { mean: number; median: number; std: number };
  sigmaClipAsym: { mean: number; median: number; std: number };
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/robust-stats.json', import.meta.url), 'utf8')) as { cases: Case[] };

function input(c: Case): Float64Array | Float32Array {
  const v = c.values.map((x) => (x === null ? NaN : x));
  return c.dtype === 'float32' ? Float32Array.from(v) : Float64Array.from(v);
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('median', () => {
  it('odd and even counts: the central value, the mean of the central two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(Float64Array.from({ length: 1001 }, (_, i) => 1000 - i))).toBe(500);
    expect(median([7])).toBe(7);
  });

  it('NaN values are ignored; none left gives NaN', () => {
    expect(median([NaN, 1, 2, NaN, 3])).toBe(2);
    expect(median([])).toBeNaN();
    expect(median([NaN, NaN])).toBeNaN();
  });

  it('float32 input: the central mean rounded in float32 (as numpy and SEP)', () => {
    const a = Float32Array.of(1, Math.fround(1.1));
    expect(median(a)).toBe(Math.fround(Math.fround(1 + Math.fround(1.1)) / 2));
    expect(median(Float64Array.from(a))).toBe((1 + Math.fround(1.1)) / 2);
  });

  it('does not reorder the caller\'s array', () => {
    const a = Float32Array.of(3, 1, 2, 5, 4);
    median(a);
    medianAbsoluteDeviation(a);
    sigmaClip(a);
    expect(Array.from(a)).toEqual([3, 1, 2, 5, 4]);
  });
});

describe('medianAbsoluteDeviation', () => {
  it('analytic: 1..9 has MAD 2; normal scaling by 1.4826', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(medianAbsoluteDeviation(a)).toBe(2);
    expect(medianAbsoluteDeviation(a, { normal: true })).toBe(2 * MAD_TO_STD);
    expect(medianAbsoluteDeviation(a, { center: 0 })).toBe(5);
  });

  it('rejects a non-finite centre', () => {
    expect(() => medianAbsoluteDeviation([1, 2], { center: NaN })).toThrow(ImageError);
  });
});

describe('sigmaClip', () => {
  it('analytic: one far outlier is rejected, the rest kept', () => {
    const a = [...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 9 : 11)), 1000];
    const r = sigmaClip(a);
    expect(r.count).toBe(20);
    expect(r.mean).toBe(10);
    expect(r.median).toBe(10);
    expect(r.std).toBe(1);
    expect(r.iterations).toBe(2);
  });

  it('a constant sample keeps everything; empty and all-NaN give NaN and count 0', () => {
    const r = sigmaClip([4, 4, 4]);
    expect([r.mean, r.median, r.std, r.count]).toEqual([4, 4, 0, 3]);
    const e = sigmaClip([NaN]);
    expect(e.count).toBe(0);
    expect(e.mean).toBeNaN();
  });

  it('hostile options throw ImageError', () => {
    expect(() => sigmaClip([1], { sigmaLower: -1 })).toThrow(/image: sigmaClip: sigmaLower = -1/);
    expect(() => sigmaClip([1], { maxIters: 0 })).toThrow(ImageError);
    expect(() => sigmaClip([1], { maxIters: 2.5 })).toThrow(ImageError);
    expect(() => sigmaClip([1], { center: 'mode' as 'mean' })).toThrow(ImageError);
  });
});

describe('against numpy / astropy (fixtures/robust-stats.json)', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.dtype}): median and MAD exact, sigma-clipped stats to 1e-12 (float32: 1e-6)`, () => {
      const a = input(c);
      expect(median(a)).toBe(c.median);
      expect(medianAbsoluteDeviation(a)).toBe(c.mad);
      expect(rel(medianAbsoluteDeviation(a, { normal: true }), c.madStd)).toBeLessThan(1e-6);
      const tol = c.dtype === 'float32' ? 1e-6 : 1e-12;
      const s = sigmaClip(a);
      expect(rel(s.mean, c.sigmaClip.mean), 'mean').toBeLessThan(tol);
      expect(rel(s.median, c.sigmaClip.median), 'median').toBeLessThan(tol);
      expect(rel(s.std, c.sigmaClip.std), 'std').toBeLessThan(tol);
      const t = sigmaClip(a, { sigmaLower: 2, sigmaUpper: 4, maxIters: Infinity });
      expect(rel(t.mean, c.sigmaClipAsym.mean), 'asym mean').toBeLessThan(tol);
      expect(rel(t.median, c.sigmaClipAsym.median), 'asym median').toBeLessThan(tol);
      expect(rel(t.std, c.sigmaClipAsym.std), 'asym std').toBeLessThan(tol);
    });
  }
});
