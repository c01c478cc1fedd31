import { describe, expect, it } from 'vitest';
import { detectCosmicRays, medianFilter } from '@astro/photometry';
import { seededRandom } from '@astro/core';

function gaussianNoise(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** 160x140 field: sky 200 e-, 25 Gaussian stars (FWHM 3), Poisson + read noise 5, cosmic rays. */
function makeField(seed: number) {
  const w = 160;
  const h = 140;
  const rand = seededRandom(seed);
  const truth = new Float64Array(w * h).fill(200);
  const stars: [number, number][] = [];
  for (let k = 0; k < 25; k++) {
    const x0 = 8 + rand() * (w - 16);
    const y0 = 8 + rand() * (h - 16);
    const flux = 2000 + rand() * 60000;
    const s = 3 / 2.3548;
    stars.push([Math.round(x0), Math.round(y0)]);
    for (let y = Math.floor(y0 - 8); y <= y0 + 8; y++)
      for (let x = Math.floor(x0 - 8); x <= x0 + 8; x++)
        truth[y * w + x] += (flux / (2 * Math.PI * s * s)) * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * s * s));
  }
  const data = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) data[i] = truth[i] + Math.sqrt(truth[i] + 25) * gaussianNoise(rand);
  const cr = new Uint8Array(w * h);
  const hit = (x: number, y: number, amp: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    data[y * w + x] += amp;
    cr[y * w + x] = 1;
  };
  for (let k = 0; k < 40; k++) {
    const x = 3 + Math.floor(rand() * (w - 6));
    const y = 3 + Math.floor(rand() * (h - 6));
    const amp = 300 + rand() * 3000;
    hit(x, y, amp);
    if (k % 4 === 0) {
      // short track
      hit(x + 1, y, amp * 0.8);
      hit(x + 2, y + 1, amp * 0.6);
    }
  }
  return { w, h, data, truth, cr, stars };
}

describe('medianFilter', () => {
  it('equals a brute-force mirrored median', () => {
    const rand = seededRandom(3);
    const w = 9;
    const h = 7;
    const src = Float64Array.from({ length: w * h }, () => rand());
    const m = medianFilter(src, w, h, 5);
    const mir = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v: number[] = [];
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) v.push(src[mir(y + dy, h) * w + mir(x + dx, w)]);
        v.sort((a, b) => a - b);
        expect(m[y * w + x]).toBe(v[12]);
      }
  });
});

describe('detectCosmicRays (L.A.Cosmic)', () => {
  const f = makeField(11);
  const res = detectCosmicRays({ data: f.data, width: f.w, height: f.h }, { gain: 1, readnoise: 5 });

  it('finds >= 95% of the cosmic-ray pixels', () => {
    let found = 0;
    let total = 0;
    for (let i = 0; i < f.cr.length; i++)
      if (f.cr[i]) {
        total++;
        if (res.mask[i]) found++;
      }
    console.log(`L.A.Cosmic: ${found}/${total} cosmic-ray pixels found, ${res.count} flagged, ${res.iterations} iterations`);
    expect(found / total).toBeGreaterThanOrEqual(0.95);
  });

  it('flags no star core and few other pixels', () => {
    const nearHit = (x: number, y: number) => {
      for (let dy = -5; dy <= 5; dy++) for (let dx = -5; dx <= 5; dx++) if (f.cr[(y + dy) * f.w + x + dx]) return true;
      return false;
    };
    for (const [x, y] of f.stars) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const i = (y + dy) * f.w + x + dx;
      // a hit on or next to a star grows into the star's core (neighbours above
      // sigfrac * sigclip), as in L.A.Cosmic: only stars without a hit within 5 px are checked
      if (!nearHit(x + dx, y + dy)) expect(res.mask[i], `star core (${x + dx}, ${y + dy})`).toBe(0);
    }
    let spurious = 0;
    for (let i = 0; i < f.cr.length; i++) if (res.mask[i] && !f.cr[i]) spurious++;
    // grown neighbours of real hits are allowed; beyond that almost nothing
    expect(spurious).toBeLessThan(0.002 * f.cr.length);
  });

  it('cleans cosmic-ray pixels back to within 5 sigma of the truth (away from stars)', () => {
    let bad = 0;
    let n = 0;
    for (let i = 0; i < f.cr.length; i++) {
      if (!f.cr[i] || !res.mask[i] || f.truth[i] > 260) continue;
      n++;
      if (Math.abs(res.cleaned[i] - f.truth[i]) > 5 * Math.sqrt(f.truth[i] + 25)) bad++;
    }
    expect(n).toBeGreaterThan(20);
    expect(bad).toBe(0);
    // untouched pixels are copied exactly
    for (let i = 0; i < f.cr.length; i++) if (!res.mask[i]) expect(res.cleaned[i]).toBe(f.data[i]);
  });

  it('NaN pixels and masked pixels are never flagged; constant and 1x1 images give nothing', () => {
    const d = Float32Array.from(f.data);
    d[10] = NaN;
    const m = new Uint8Array(d.length);
    const some = f.cr.findIndex((v) => v === 1);
    m[some] = 1;
    const r = detectCosmicRays({ data: d, width: f.w, height: f.h }, { gain: 1, readnoise: 5, mask: m });
    expect(r.mask[10]).toBe(0);
    expect(r.mask[some]).toBe(0);
    expect(Number.isNaN(r.cleaned[10])).toBe(true);
    const flat = detectCosmicRays({ data: new Float32Array(50 * 50).fill(100), width: 50, height: 50 });
    expect(flat.count).toBe(0);
    const one = detectCosmicRays({ data: new Float32Array([5]), width: 1, height: 1 });
    expect(one.count).toBe(0);
  });

  it('rejects bad parameters', () => {
    expect(() => detectCosmicRays({ data: f.data, width: f.w, height: f.h }, { sigclip: 0 })).toThrow(/sigclip = 0/);
    expect(() => detectCosmicRays({ data: f.data, width: f.w, height: f.h }, { niter: 0 })).toThrow(/niter/);
    expect(() => detectCosmicRays({ data: f.data, width: 10, height: 10 })).toThrow(/not valid/);
  });
});
