/** medianFilter: analytic cases and scipy.ndimage.median_filter(mode='mirror') (fixtures/robust-stats.json). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageError, medianFilter } from '@astro/image';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/robust-stats.json', import.meta.url), 'utf8')) as {
  medianFilter: { width: number; height: number; data: number[]; size3: number[]; size5: number[] };
};

describe('medianFilter', () => {
  it('a constant image stays constant; a single spike is removed; size 1 copies', () => {
    const w = 7;
    const h = 5;
    const a = new Float64Array(w * h).fill(2);
    expect(Array.from(medianFilter(a, w, h, 3))).toEqual(Array.from(a));
    a[2 * w + 3] = 100;
    const f = medianFilter(a, w, h, 3);
    expect(f[2 * w + 3]).toBe(2);
    expect(a[2 * w + 3]).toBe(100); // the input is not modified
    expect(Array.from(medianFilter(a, w, h, 1))).toEqual(Array.from(a));
  });

  it('equals scipy median_filter(mode="mirror") for sizes 3 and 5', () => {
    const { width, height, data, size3, size5 } = fixture.medianFilter;
    expect(Array.from(medianFilter(data, width, height, 3))).toEqual(size3);
    expect(Array.from(medianFilter(data, width, height, 5))).toEqual(size5);
  });

  it('hostile input throws ImageError', () => {
    expect(() => medianFilter([1, 2, 3], 2, 2, 3)).toThrow(/image: medianFilter: data has 3 values, 2x2 needs 4/);
    expect(() => medianFilter([1, 2, 3, 4], 2, 2, 2)).toThrow(ImageError);
    expect(() => medianFilter([1, 2, 3, 4], 0, 2, 3)).toThrow(ImageError);
  });
});
