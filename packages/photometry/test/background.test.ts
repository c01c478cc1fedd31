import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhotometryError, estimateBackground } from '@astro/photometry';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { FIXTURES, buildCaseImage, readFitsFloat32, ruleMask } from './extract-helpers.js';
import type { ImageSpec, RuleSpec } from './extract-helpers.js';

interface BackgroundCase {
  name: string;
  image: ImageSpec;
  mask: RuleSpec | null;
  nan: RuleSpec | null;
  options: { bw: number; bh: number; fw: number; fh: number; fthresh?: number };
  globalback: number;
  globalrms: number;
  probes: [number, number, number, number][];
  backSum: number;
  rmsSum: number;
}

const cases = (JSON.parse(readFileSync(path.join(FIXTURES, 'sep-extract-cases.json'), 'utf8')) as { background: BackgroundCase[] })
  .background;

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
}

describe('estimateBackground vs SEP 1.2.1 on synthetic images (fixtures/sep-extract-cases.json)', () => {
  for (const c of cases) {
    it(`${c.name}: globals, probes and whole-map sums equal SEP's`, () => {
      const data = buildCaseImage(c.image);
      const { w, h } = c.image;
      if (c.nan) {
        const m = ruleMask(c.nan, w, h);
        for (let i = 0; i < m.length; i++) if (m[i]) data[i] = NaN;
      }
      const mask = c.mask ? ruleMask(c.mask, w, h) : undefined;
      const bkg = estimateBackground({ data, width: w, height: h }, { ...c.options, mask });
      expect(bkg.globalBack).toBe(c.globalback);
      expect(bkg.globalRms).toBe(c.globalrms);
      const back = bkg.back();
      const rms = bkg.rms();
      let worst = 0;
      for (const [x, y, b, r] of c.probes) {
        worst = Math.max(worst, relErr(back[y * w + x], b), relErr(rms[y * w + x], r));
      }
      expect(worst).toBe(0);
      let sb = 0;
      let sr = 0;
      for (let i = 0; i < w * h; i++) {
        sb += back[i];
        sr += rms[i];
      }
      expect(relErr(sb, c.backSum)).toBeLessThan(1e-12);
      expect(relErr(sr, c.rmsSum)).toBeLessThan(1e-12);
    });
  }

  it('rows from backLine/rmsLine and maps written into given arrays equal the full maps, subtractFrom equals data - back', () => {
    const c = cases[0];
    const data = buildCaseImage(c.image);
    const { w, h } = c.image;
    const bkg = estimateBackground({ data, width: w, height: h }, c.options);
    const back = bkg.back();
    const rms = bkg.rms();
    for (const y of [0, 1, 77, h - 1]) {
      expect(bkg.backLine(y)).toEqual(back.subarray(y * w, (y + 1) * w));
      expect(bkg.rmsLine(y, new Float32Array(w))).toEqual(rms.subarray(y * w, (y + 1) * w));
    }
    const into = new Float32Array(w * h + 3);
    expect(bkg.back(into)).toBe(into);
    expect(into.subarray(0, w * h)).toEqual(back);
    expect(bkg.rms(into)).toBe(into);
    expect(into.subarray(0, w * h)).toEqual(rms);
    expect(() => bkg.back(new Float32Array(5))).toThrow(/at least 30000 values/);
    const sub = new Float32Array(data);
    bkg.subtractFrom(sub);
    const sub64 = Float64Array.from(data);
    bkg.subtractFrom(sub64);
    for (let i = 0; i < w * h; i += 97) {
      expect(sub[i]).toBe(Math.fround(data[i] - back[i]));
      expect(sub64[i]).toBe(data[i] - back[i]);
    }
    // the input is not modified
    expect(data).toEqual(buildCaseImage(c.image));
  });

  it('a float64 image gives the same model as its float32 values (SEP converts to float)', () => {
    const c = cases[1];
    const data = buildCaseImage(c.image);
    const mask = ruleMask(c.mask ?? {}, c.image.w, c.image.h);
    const a = estimateBackground({ data, width: c.image.w, height: c.image.h }, { ...c.options, mask });
    const b = estimateBackground({ data: Float64Array.from(data), width: c.image.w, height: c.image.h, mask }, c.options);
    expect(b.globalBack).toBe(a.globalBack);
    expect(b.meshBack).toEqual(a.meshBack);
    expect(b.meshRms).toEqual(a.meshRms);
  });

  it('reports progress per row of meshes', () => {
    const c = cases[0];
    const seen: number[] = [];
    estimateBackground(
      { data: buildCaseImage(c.image), width: c.image.w, height: c.image.h },
      { ...c.options, onProgress: (p) => seen.push(p.done) },
    );
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
});

const fieldDir = sharedData('photometry');

describe.skipIf(!fieldDir)(`estimateBackground on field.fits vs SEP (field.sep.json) ${fieldDir ? '' : missingDataMessage('photometry')}`, () => {
  it('global back/rms and the probe pixels within 0.1% of SEP (measured: identical)', () => {
    const dir = fieldDir as string;
    const img = readFitsFloat32(path.join(dir, 'field.fits'));
    const ref = JSON.parse(readFileSync(path.join(dir, 'field.sep.json'), 'utf8')) as {
      background: {
        bw: number;
        bh: number;
        fw: number;
        fh: number;
        globalback: number;
        globalrms: number;
        probes: { x: number; y: number; back: number; rms: number }[];
      };
    };
    const r = ref.background;
    const bkg = estimateBackground(img, { bw: r.bw, bh: r.bh, fw: r.fw, fh: r.fh });
    const back = bkg.back();
    const rms = bkg.rms();
    const errs = [relErr(bkg.globalBack, r.globalback), relErr(bkg.globalRms, r.globalrms)];
    for (const p of r.probes) {
      errs.push(relErr(back[p.y * img.width + p.x], p.back), relErr(rms[p.y * img.width + p.x], p.rms));
    }
    const worst = Math.max(...errs);
    console.log(
      `background vs SEP: globalback ${bkg.globalBack} (SEP ${r.globalback}), globalrms ${bkg.globalRms} ` +
        `(SEP ${r.globalrms}), ${r.probes.length} probes, worst relative error ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThan(1e-3);
    expect(worst).toBeLessThan(1e-7); // float precision: the same algorithm in the same arithmetic
  });
});

describe('estimateBackground on degenerate input', () => {
  it('a constant image: back = the constant, rms 0, globalRms 1 (SEP: no positive mesh rms)', () => {
    const bkg = estimateBackground({ data: new Float32Array(100 * 100).fill(7.5), width: 100, height: 100 });
    expect(bkg.globalBack).toBe(7.5);
    expect(bkg.globalRms).toBe(1);
    expect(new Set(bkg.back())).toEqual(new Set([7.5]));
    expect(new Set(bkg.rms())).toEqual(new Set([0]));
  });

  it('an all-masked image: back 0, rms 1 everywhere (SEP rule), no exception', () => {
    const data = buildCaseImage(cases[0].image);
    const w = cases[0].image.w;
    const h = cases[0].image.h;
    const bkg = estimateBackground({ data, width: w, height: h }, { mask: new Uint8Array(w * h).fill(1) });
    expect(bkg.globalBack).toBe(0);
    expect(bkg.globalRms).toBe(1);
    expect(new Set(bkg.back())).toEqual(new Set([0]));
    expect(new Set(bkg.rms())).toEqual(new Set([1]));
  });

  it('NaN and infinite pixels are ignored like masked ones', () => {
    const c = cases[0];
    const { w, h } = c.image;
    const data = buildCaseImage(c.image);
    const mask = new Uint8Array(w * h);
    const bad = new Float32Array(data);
    for (let i = 5; i < w * h; i += 41) {
      bad[i] = i % 3 === 0 ? NaN : i % 3 === 1 ? Infinity : -Infinity;
      mask[i] = 1;
    }
    const a = estimateBackground({ data: bad, width: w, height: h }, c.options);
    const b = estimateBackground({ data, width: w, height: h }, { ...c.options, mask });
    expect(a.meshBack).toEqual(b.meshBack);
    expect(a.meshRms).toEqual(b.meshRms);
    expect(a.globalBack).toBe(b.globalBack);
    expect(Number.isFinite(a.globalRms)).toBe(true);
  });

  it('a 1x1 image: back = the pixel, rms 0 (SEP 1.2.1 would return twice the value)', () => {
    const bkg = estimateBackground({ data: Float32Array.of(3), width: 1, height: 1 });
    expect(bkg.globalBack).toBe(3);
    expect(Array.from(bkg.back())).toEqual([3]);
    expect(Array.from(bkg.rms())).toEqual([0]);
  });

  it('maskThresh: a pixel is masked when mask > maskThresh', () => {
    const c = cases[1];
    const { w, h } = c.image;
    const data = buildCaseImage(c.image);
    const binary = ruleMask(c.mask ?? {}, w, h);
    const levels = Uint8Array.from(binary, (m, i) => (m ? 3 + (i % 4) : i % 3)); // masked 3..6, unmasked 0..2
    const a = estimateBackground({ data, width: w, height: h }, { ...c.options, mask: levels, maskThresh: 2 });
    expect(a.globalBack).toBe(c.globalback);
    expect(a.globalRms).toBe(c.globalrms);
  });

  it('masked meshes are filled from the nearest good meshes', () => {
    const c = cases[0];
    const { w, h } = c.image;
    const data = buildCaseImage(c.image);
    const mask = ruleMask({ rects: [[0, 0, 100, 64]] }, w, h);
    const bkg = estimateBackground({ data, width: w, height: h }, { bw: 32, bh: 32, fw: 1, fh: 1, mask });
    for (const v of bkg.meshBack) expect(Number.isFinite(v) && v > 50 && v < 150).toBe(true);
  });

  it('bad calls throw PhotometryError naming the problem', () => {
    const data = new Float32Array(16);
    const call = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as PhotometryError;
      }
      throw new Error('no error');
    };
    let e = call(() => estimateBackground({ data, width: 5, height: 4 }));
    expect(e).toBeInstanceOf(PhotometryError);
    expect(e.code).toBe('PHOT_SIZE_MISMATCH');
    expect(e.message).toMatch(/16 values, 5x4 needs 20/);
    e = call(() => estimateBackground({ data, width: 4, height: 4 }, { bw: 0 }));
    expect(e.message).toMatch(/bw = 0 must be a positive integer/);
    e = call(() => estimateBackground({ data, width: 0, height: 4 }));
    expect(e.message).toMatch(/image size 0x4/);
    e = call(() => estimateBackground({ data, width: 4, height: 4 }, { mask: new Uint8Array(3) }));
    expect(e.code).toBe('PHOT_SIZE_MISMATCH');
    e = call(() => estimateBackground({ data: [1, 2] as unknown as Float32Array, width: 2, height: 1 }));
    expect(e.message).toMatch(/Float32Array or Float64Array/);
    const bkg = estimateBackground({ data, width: 4, height: 4 });
    e = call(() => bkg.backLine(4));
    expect(e.message).toMatch(/row 4 is outside 0..3/);
    e = call(() => bkg.subtractFrom(new Float32Array(3)));
    expect(e.code).toBe('PHOT_SIZE_MISMATCH');
  });
});
