/** convolve / matchedFilter: analytic truths, the row and whole-image forms agree, hostile input. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@astro/core';
import { ImageError, convolve, convolveRow, matchedFilter, matchedFilterRow } from '@astro/image';
import type { Kernel } from '@astro/image';

const kernel = (rows: number[][]): Kernel => ({ data: Float32Array.from(rows.flat()), width: rows[0].length, height: rows.length });

function randomImage(w: number, h: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  return Float32Array.from({ length: w * h }, () => 1 + 10 * rnd());
}

/** Correlation in double, the kernel cut at the edges. */
function reference(img: ArrayLike<number>, w: number, h: number, k: Kernel): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = 0; j < k.height; j++)
        for (let i = 0; i < k.width; i++) {
          const xx = x + i - (k.width >> 1);
          const yy = y + j - (k.height >> 1);
          if (xx >= 0 && xx < w && yy >= 0 && yy < h) s += k.data[j * k.width + i] * img[yy * w + xx];
        }
      out[y * w + x] = s;
    }
  return out;
}

describe('convolve', () => {
  it('a delta kernel returns the image', () => {
    const data = randomImage(11, 7, 1);
    const out = convolve({ data, width: 11, height: 7 }, kernel([[0, 0, 0], [0, 1, 0], [0, 0, 0]]));
    expect(Array.from(out)).toEqual(Array.from(data));
  });

  it('a 3x3 box on a constant image: 9c inside, 6c on edges, 4c in corners (kernel cut at the edges)', () => {
    const w = 6;
    const h = 5;
    const out = convolve({ data: new Float32Array(w * h).fill(2), width: w, height: h }, kernel([[1, 1, 1], [1, 1, 1], [1, 1, 1]]));
    expect(out[2 * w + 2]).toBe(18);
    expect(out[2]).toBe(12);
    expect(out[2 * w]).toBe(12);
    expect(out[0]).toBe(8);
    expect(out[w * h - 1]).toBe(8);
  });

  it('3x3 and non-square kernels match a double-precision correlation to 1e-5', () => {
    const w = 23;
    const h = 17;
    const data = randomImage(w, h, 2);
    for (const k of [kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]]), kernel([[0.5, 1, 2, 1, 0.5], [1, 3, 5, 3, 1], [0.2, 1, 2, 1, 0.1]]), kernel([[1], [2], [3], [2]])]) {
      const out = convolve({ data, width: w, height: h }, k);
      const ref = reference(data, w, h, k);
      for (let i = 0; i < w * h; i++) expect(Math.abs(out[i] - ref[i]) / ref[i]).toBeLessThan(1e-5);
    }
  });

  it('convolveRow gives the rows of convolve; a float64 image gives its float32 result; out is reused', () => {
    const w = 9;
    const h = 8;
    const data = randomImage(w, h, 3);
    const k = kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]]);
    const whole = convolve({ data, width: w, height: h }, k);
    const row = new Float32Array(w);
    for (let y = 0; y < h; y++) {
      expect(convolveRow({ data, width: w, height: h }, y, k, row)).toBe(row);
      expect(Array.from(row)).toEqual(Array.from(whole.subarray(y * w, (y + 1) * w)));
    }
    const out = new Float32Array(w * h);
    expect(convolve({ data: Float64Array.from(data), width: w, height: h }, k, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(whole));
  });

  it('hostile input throws ImageError', () => {
    const image = { data: new Float32Array(12), width: 4, height: 3 };
    const k = kernel([[1]]);
    expect(() => convolve({ ...image, width: 5 }, k)).toThrow(/image: convolve: data has 12 values, 5x3 needs 15/);
    expect(() => convolve(image, { data: [1] as unknown as Float32Array, width: 1, height: 1 })).toThrow(ImageError);
    expect(() => convolve(image, { data: new Float32Array(3), width: 2, height: 2 })).toThrow(ImageError);
    expect(() => convolve(image, k, new Float32Array(5))).toThrow(ImageError);
    expect(() => convolve({ ...image, data: [1, 2] as unknown as Float32Array }, k)).toThrow(ImageError);
  });
});

describe('matchedFilter', () => {
  it('with constant noise sigma: the convolution / (sigma sqrt(sum k^2)); std and variance noise agree', () => {
    const w = 12;
    const h = 10;
    const data = randomImage(w, h, 4);
    const k = kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]]);
    const sigma = 2;
    const conv = reference(data, w, h, k);
    const a = matchedFilter({ data, width: w, height: h }, k, { noise: new Float32Array(w * h).fill(sigma) });
    const b = matchedFilter({ data, width: w, height: h }, k, { noise: new Float32Array(w * h).fill(sigma * sigma), noiseKind: 'variance' });
    expect(Array.from(a)).toEqual(Array.from(b));
    // inside, every kernel term is present
    const norm = sigma * Math.sqrt(1 + 4 + 1 + 4 + 16 + 4 + 1 + 4 + 1);
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) expect(Math.abs(a[y * w + x] - conv[y * w + x] / norm) / a[y * w + x]).toBeLessThan(1e-5);
    const row = new Float32Array(w);
    matchedFilterRow({ data, width: w, height: h }, 3, k, { noise: new Float32Array(w * h).fill(sigma) }, row);
    expect(Array.from(row)).toEqual(Array.from(a.subarray(3 * w, 4 * w)));
  });

  it('zero-variance pixels are skipped; hostile noise throws', () => {
    const data = new Float32Array(9).fill(1);
    const noise = new Float32Array(9).fill(1);
    noise[4] = 0;
    const k = kernel([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    const out = matchedFilter({ data, width: 3, height: 3 }, k, { noise });
    expect(out[4]).toBeCloseTo(8 / Math.sqrt(8), 5);
    expect(() => matchedFilter({ data, width: 3, height: 3 }, k, { noise: new Float32Array(2) })).toThrow(ImageError);
    expect(() => matchedFilter({ data, width: 3, height: 3 }, k, { noise, noiseKind: 'rms' as 'std' })).toThrow(ImageError);
  });
});
