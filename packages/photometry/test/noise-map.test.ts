import { describe, expect, it } from 'vitest';
import { PhotometryError, noiseMap } from '@astro/photometry';

describe('noiseMap', () => {
  const data = new Float32Array([100, 1100, 50, NaN, -20, 400]);
  const image = { data, width: 3, height: 2 };

  it('sigma = sqrt(rms^2 + max(data - back, 0) / (gain * exptime))', () => {
    const s = noiseMap(image, { backgroundRms: 10, background: 100, gain: 2, exposureTime: 1.5 });
    expect(s[0]).toBeCloseTo(10, 12);
    expect(s[1]).toBeCloseTo(Math.sqrt(100 + 1000 / 3), 12);
    expect(s[2]).toBeCloseTo(10, 12); // below the background: no Poisson term
    expect(s[3]).toBe(Infinity); // NaN pixel: zero weight
    expect(s[5]).toBeCloseTo(Math.sqrt(100 + 300 / 3), 12);
    const v = noiseMap(image, { backgroundRms: 10, background: 100, gain: 2, exposureTime: 1.5, variance: true });
    expect(v[1]).toBeCloseTo(100 + 1000 / 3, 10);
  });

  it('per-pixel rms and background maps; gain 0 = rms only', () => {
    const rms = new Float64Array([1, 2, 3, 4, 5, 6]);
    const back = new Float64Array(6).fill(0);
    const s = noiseMap(image, { backgroundRms: rms, background: back });
    expect(Array.from(s.filter((_, i) => i !== 3))).toEqual([1, 2, 3, 5, 6]);
  });

  it('bad options are PhotometryError naming the option', () => {
    expect(() => noiseMap(image, { backgroundRms: -1 })).toThrow(/backgroundRms = -1/);
    expect(() => noiseMap(image, { backgroundRms: 1, gain: -2 })).toThrow(/gain = -2/);
    expect(() => noiseMap(image, { backgroundRms: 1, exposureTime: 0 })).toThrow(/exposureTime = 0/);
    expect(() => noiseMap(image, { backgroundRms: new Float32Array(5) })).toThrow(PhotometryError);
  });
});
