/**
 * Hostile and degenerate input for extractSources: every case gives a
 * documented result or a PhotometryError naming the problem, never a crash,
 * a hang or a silent wrong value.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhotometryError, SourceFlag, extractSources } from '@astro/photometry';
import type { ExtractOptions } from '@astro/photometry';
import { FIXTURES, buildCaseImage } from './extract-helpers.js';
import type { ImageSpec } from './extract-helpers.js';

const spec = (
  JSON.parse(readFileSync(path.join(FIXTURES, 'sep-extract-cases.json'), 'utf8')) as { extract: { image: ImageSpec }[] }
).extract[0].image;
const W = spec.w;
const H = spec.h;
const field = () => buildCaseImage(spec);

function columns(c: ReturnType<typeof extractSources>) {
  return { n: c.count, x: Array.from(c.x), y: Array.from(c.y), flux: Array.from(c.flux), flag: Array.from(c.flag) };
}

function thrown(f: () => unknown): PhotometryError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PhotometryError);
    return e as PhotometryError;
  }
  throw new Error('expected a PhotometryError');
}

describe('extractSources: bad pixels', () => {
  it('NaN and infinite pixels are masked (same result as masking them)', () => {
    const data = field();
    const bad = new Float32Array(data);
    const mask = new Uint8Array(W * H);
    for (let i = 7; i < W * H; i += 53) {
      bad[i] = i % 3 === 0 ? NaN : i % 3 === 1 ? Infinity : -Infinity;
      mask[i] = 1;
    }
    const a = extractSources({ data: bad, width: W, height: H }, 1.5, { err: 3 });
    const b = extractSources({ data, width: W, height: H }, 1.5, { err: 3, mask });
    expect(columns(a)).toEqual(columns(b));
    for (const v of [...a.x, ...a.y, ...a.flux]) expect(Number.isFinite(v)).toBe(true);
  });

  it('a masked pixel counts as 0 with infinite noise, on every row (SEP 1.2.1 skips the first rows when filtering)', () => {
    const data = field();
    const mask = new Uint8Array(W * H);
    for (let x = 0; x < W; x += 3) mask[x] = 1; // row 0
    for (let i = 5 * W; i < 9 * W; i += 7) mask[i] = 1;
    const err = new Float32Array(W * H).fill(3);
    const zeroed = new Float32Array(data);
    for (let i = 0; i < W * H; i++) {
      if (mask[i]) {
        zeroed[i] = 0;
        err[i] = 1e30;
      }
    }
    const a = extractSources({ data, width: W, height: H }, 1.5, { err: new Float32Array(W * H).fill(3), mask });
    const b = extractSources({ data: zeroed, width: W, height: H }, 1.5, { err });
    expect(columns(a)).toEqual(columns(b));
  });

  it('noise values that are zero, negative, NaN or infinite mask their pixel', () => {
    const data = field();
    const err = new Float32Array(W * H).fill(3);
    const mask = new Uint8Array(W * H);
    const bad = [0, -1, NaN, Infinity];
    for (let i = 11, k = 0; i < W * H; i += 61, k++) {
      err[i] = bad[k % 4];
      mask[i] = 1;
    }
    const a = extractSources({ data, width: W, height: H }, 1.5, { err });
    const b = extractSources({ data, width: W, height: H }, 1.5, { err: new Float32Array(W * H).fill(3), mask });
    expect(columns(a)).toEqual(columns(b));
    const v = extractSources({ data, width: W, height: H }, 1.5, { var: Float32Array.from(err, (e) => e * e) });
    expect(v.count).toBeGreaterThan(0);
  });

  it('maskThresh: a pixel is masked when mask > maskThresh (SEP maskthresh)', () => {
    const data = field();
    const levels = new Uint8Array(W * H);
    const binary = new Uint8Array(W * H);
    for (let i = 0; i < W * H; i += 17) {
      levels[i] = 1 + (i % 5); // 1..5
      if (levels[i] > 2) binary[i] = 1;
    }
    const a = extractSources({ data, width: W, height: H }, 1.5, { err: 3, mask: levels, maskThresh: 2 });
    const b = extractSources({ data, width: W, height: H }, 1.5, { err: 3, mask: binary });
    expect(columns(a)).toEqual(columns(b));
    expect(() => extractSources({ data, width: W, height: H }, 1.5, { mask: [1] as unknown as Uint8Array })).toThrow(
      /mask must be a Uint8Array/,
    );
  });

  it('an all-masked image and an all-zero image give no sources', () => {
    const data = field();
    expect(extractSources({ data, width: W, height: H }, 1.5, { err: 3, mask: new Uint8Array(W * H).fill(1) }).count).toBe(0);
    expect(extractSources({ data: new Float32Array(W * H), width: W, height: H }, 1.5, { err: 3 }).count).toBe(0);
  });
});

describe('extractSources: degenerate geometry and crowding', () => {
  it('a 1x1 image: no source through the default filter, one TRUNCATED|SINGULAR source without it (as SEP)', () => {
    const img = { data: Float32Array.of(3), width: 1, height: 1 };
    expect(extractSources(img, 1, { minArea: 1 }).count).toBe(0);
    const c = extractSources(img, 1, { minArea: 1, filterKernel: null });
    // SEP 1.2.1: npix 1, x = y = 0, x2 = y2 = 0.0833333, a = b = 0.28867507, flag 10
    expect(c.count).toBe(1);
    expect([c.npix[0], c.x[0], c.y[0], c.flux[0], c.flag[0]]).toEqual([1, 0, 0, 3, SourceFlag.TRUNCATED | SourceFlag.SINGULAR]);
    expect(c.x2[0]).toBeCloseTo(0.0833333, 7);
    expect(c.a[0]).toBeCloseTo(0.28867507, 6);
  });

  it('a constant image above threshold is one TRUNCATED source covering it (as SEP: npix 1200, x 19.5, y 14.5)', () => {
    const c = extractSources({ data: new Float32Array(40 * 30).fill(5), width: 40, height: 30 }, 1);
    expect(c.count).toBe(1);
    expect([c.npix[0], c.x[0], c.y[0], c.flag[0]]).toEqual([1200, 19.5, 14.5, SourceFlag.TRUNCATED]);
  });

  it('sources cut by the edges carry TRUNCATED', () => {
    const w = 60;
    const h = 40;
    const data = new Float32Array(w * h);
    const put = (cx: number, cy: number) => {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const q = 1 + ((x - cx) ** 2 + (y - cy) ** 2) / 4;
          data[y * w + x] += 1000 / (q * q);
        }
      }
    };
    put(0, 20);
    put(59.4, 5);
    put(30, 39);
    put(30, 20);
    const c = extractSources({ data, width: w, height: h }, 5);
    expect(c.count).toBe(4);
    for (let i = 0; i < c.count; i++) {
      const edge = c.xmin[i] === 0 || c.ymin[i] === 0 || c.xmax[i] === w - 1 || c.ymax[i] === h - 1;
      expect(Boolean(c.flag[i] & SourceFlag.TRUNCATED)).toBe(edge);
    }
    expect(Array.from(c.flag).filter((f) => f & SourceFlag.TRUNCATED)).toHaveLength(3);
  });

  it('a crowded field with every pixel above threshold does not throw; a sub-object overflow is a flag', () => {
    const data = field(); // sky ~0 with 76 overlapping stars
    const lifted = Float32Array.from(data, (v) => v + 1000);
    const t0 = performance.now();
    const all = extractSources({ data: lifted, width: W, height: H }, 950, { deblendCont: 0, clean: false });
    expect(performance.now() - t0).toBeLessThan(30_000);
    // deblending hands every pixel of the detection to one child: the pixels
    // are those of the undeblended detection (the filter, cut at the edges,
    // leaves the border below threshold); SEP 1.2.1: 61 sources, 18669 pixels
    const whole = extractSources({ data: lifted, width: W, height: H }, 950, { deblendNthresh: 1, clean: false });
    expect(whole.count).toBe(1);
    expect([all.count, all.npix.reduce((s, n) => s + n, 0)]).toEqual([61, whole.npix[0]]);
    expect(whole.npix[0]).toBe(18669);
    // with cleaning, SEP 1.2.1 keeps 20 sources holding 10551 pixels
    const cleaned = extractSources({ data: lifted, width: W, height: H }, 950, { deblendCont: 0 });
    expect([cleaned.count, cleaned.npix.reduce((s, n) => s + n, 0)]).toEqual([20, 10551]);
    const capped = extractSources({ data: lifted, width: W, height: H }, 950, { deblendCont: 0, subObjectLimit: 2 });
    expect(capped.count).toBe(1);
    expect(capped.flag[0] & SourceFlag.DEBLEND_OVERFLOW).toBeTruthy();
    expect(capped.npix[0]).toBe(whole.npix[0]);
    // a detection above deblendMaxPixels is kept whole and flagged, not deblended
    const big = extractSources({ data: lifted, width: W, height: H }, 950, { deblendCont: 0, deblendMaxPixels: 10000 });
    expect([big.count, big.npix[0], big.flag[0] & SourceFlag.DEBLEND_OVERFLOW]).toEqual([1, whole.npix[0], SourceFlag.DEBLEND_OVERFLOW]);
  });
});

describe('extractSources: bad calls', () => {
  const img = { data: new Float32Array(20), width: 5, height: 4 };
  const cases: [string, () => unknown, RegExp, string?][] = [
    ['short data', () => extractSources({ data: new Float32Array(3), width: 2, height: 2 }, 1), /3 values, 2x2 needs 4/, 'PHOT_SIZE_MISMATCH'],
    ['bad size', () => extractSources({ data: img.data, width: 5.5, height: 4 }, 1), /image size 5.5x4/],
    ['not a typed array', () => extractSources({ data: [1, 2] as unknown as Float32Array, width: 2, height: 1 }, 1), /Float32Array or Float64Array/],
    ['NaN threshold', () => extractSources(img, NaN), /threshold NaN is not a finite number/],
    ['err and var', () => extractSources(img, 1, { err: 1, var: 1 }), /at most one of err and var/],
    ['zero err', () => extractSources(img, 1, { err: 0 }), /err = 0 must be a positive finite number/],
    ['negative var', () => extractSources(img, 1, { var: -2 }), /var = -2 must be a positive finite number/],
    ['short err map', () => extractSources(img, 1, { err: new Float32Array(4) }), /err has 4 values, the image 20/, 'PHOT_SIZE_MISMATCH'],
    ['short mask', () => extractSources(img, 1, { mask: new Uint8Array(2) }), /mask has 2 values/, 'PHOT_SIZE_MISMATCH'],
    ['ragged kernel', () => extractSources(img, 1, { filterKernel: [[1, 2], [1]] }), /rectangular/],
    ['zero kernel', () => extractSources(img, 1, { filterKernel: [[0, 0]] }), /all zero/],
    ['NaN in kernel', () => extractSources(img, 1, { filterKernel: [[1, NaN]] }), /filterKernel\[0\]\[1\] = NaN/],
    ['filter type', () => extractSources(img, 1, { filterType: 'fast' as ExtractOptions['filterType'] }), /filterType 'fast'/],
    ['minArea 0', () => extractSources(img, 1, { minArea: 0 }), /minArea = 0 must be an integer >= 1/],
    ['deblendNthresh 2.5', () => extractSources(img, 1, { deblendNthresh: 2.5 }), /deblendNthresh = 2.5/],
    ['cleanParam 0', () => extractSources(img, 1, { cleanParam: 0 }), /cleanParam = 0 must be > 0/],
    ['gain -1', () => extractSources(img, 1, { gain: -1 }), /gain = -1 must be >= 0/],
  ];
  for (const [name, f, re, code] of cases) {
    it(`${name}: PhotometryError naming the problem`, () => {
      const e = thrown(f);
      expect(e.message).toMatch(/^photometry: extractSources: /);
      expect(e.message).toMatch(re);
      expect(e.code).toBe(code ?? 'PHOT_BAD_ARGUMENT');
    });
  }
});
