import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@astro/test-support/temp-dir';
import {
  PhotometryError,
  PsfexModel,
  createGaussianPsf,
  createImagePsf,
  createMoffatPsf,
  loadImagePsf,
  psfexPolynomialTerms,
} from '@astro/photometry';
import type { PsfStamp } from '@astro/photometry';

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function centroid(s: PsfStamp): [number, number] {
  let t = 0;
  let x = 0;
  let y = 0;
  for (let j = 0; j < s.height; j++)
    for (let i = 0; i < s.width; i++) {
      const v = s.data[j * s.width + i];
      t += v;
      x += v * i;
      y += v * j;
    }
  return [x / t, y / t];
}

/** Sum o x o blocks of an oversampled stamp (aligned so the central pixels coincide). */
function bin(s: PsfStamp, o: number): Float64Array {
  const w = s.width / o;
  const h = s.height / o;
  const out = new Float64Array(w * h);
  for (let j = 0; j < s.height; j++)
    for (let i = 0; i < s.width; i++) out[Math.floor(j / o) * w + Math.floor(i / o)] += s.data[j * s.width + i];
  return out;
}


/**
 * A 2x-sampled grid of the pixel-convolved Gaussian (the flux a 1-px image
 * pixel centred at each 0.5-px step collects), size (2n+1)^2, centre at n.
 */
function pixelConvolvedFine(fwhm: number, n: number): Float64Array {
  const g = createGaussianPsf({ fwhm });
  const size = 2 * n + 1;
  const out = new Float64Array(size * size);
  const half = n / 2; // image-pixel half width of the fine grid
  const w = 2 * Math.ceil(half) + 1;
  for (const px of [0, 1])
    for (const py of [0, 1]) {
      // stamp pixel centres at offsets -dx from the source: fine index 2*i + px - n ... covered by w x w stamp
      const st = g.evaluate({ width: w, normalize: false, dx: -px / 2, dy: -py / 2 });
      const c = Math.floor(w / 2);
      for (let j = 0; j < w; j++)
        for (let i = 0; i < w; i++) {
          const fx = 2 * (i - c) + px + n;
          const fy = 2 * (j - c) + py + n;
          if (fx >= 0 && fx < size && fy >= 0 && fy < size) out[fy * size + fx] = st.data[j * w + i];
        }
    }
  return out;
}

describe('Gaussian PSF', () => {
  const psf = createGaussianPsf({ fwhm: 3 });

  it('pixel integrals: a large stamp holds all the flux, unnormalised', () => {
    const s = psf.evaluate({ width: 41, normalize: false, dx: 0.3, dy: -0.2 });
    expect(sum(s.data)).toBeCloseTo(1, 12);
    const [cx, cy] = centroid(s);
    expect(cx).toBeCloseTo(20.3, 9);
    expect(cy).toBeCloseTo(19.8, 9);
  });

  it('oversampled stamps bin back to the 1x stamp exactly', () => {
    // 3x oversampling of a 15x15 stamp: 45x45, same centre pixel, dx in image pixels
    const s1 = psf.evaluate({ width: 15, normalize: false, dx: 0.21, dy: 0.37 });
    const s3 = psf.evaluate({ width: 45, oversampling: 3, normalize: false, dx: 0.21, dy: 0.37 });
    const b = bin(s3, 3);
    for (let i = 0; i < b.length; i++) expect(b[i]).toBeCloseTo(s1.data[i], 12);
  });

  it('half maximum at fwhm/2 (oversampled 16x, centre pixel value ratio)', () => {
    const s = psf.evaluate({ width: 161, oversampling: 16 });
    const c = s.data[80 * 161 + 80];
    const at = s.data[80 * 161 + 80 + 24]; // 1.5 px = fwhm / 2
    expect(at / c).toBeCloseTo(0.5, 3);
  });

  it('rejects a bad fwhm and bad stamp options', () => {
    expect(() => createGaussianPsf({ fwhm: 0 })).toThrow(/fwhm = 0/);
    expect(() => psf.evaluate({ oversampling: 0 })).toThrow(PhotometryError);
    expect(() => psf.evaluate({ width: 2.5 })).toThrow(/width/);
    expect(() => psf.evaluate({ dx: NaN })).toThrow(/not finite/);
  });
});

describe('Moffat PSF', () => {
  const beta = 3;
  const fwhm = 3.0132;
  const psf = createMoffatPsf({ fwhm, beta });
  const alpha = fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  const enclosed = (r: number) => 1 - (1 + (r * r) / (alpha * alpha)) ** (1 - beta);

  it('flux in a 61x61 stamp lies between the analytic flux within the inscribed and circumscribed circles', () => {
    const s = psf.evaluate({ width: 61, normalize: false });
    const f = sum(s.data);
    expect(f).toBeGreaterThan(enclosed(30.5));
    expect(f).toBeLessThan(enclosed(30.5 * Math.SQRT2));
  });

  it('pixel integrals agree with brute-force 200x200 sampling to 1e-7', () => {
    const s = psf.evaluate({ width: 7, normalize: false, dx: 0.4, dy: 0.1 });
    const m = psf as unknown as { profile(r2: number): number };
    for (const [i, j] of [
      [3, 3],
      [4, 3],
      [5, 5],
      [0, 6],
    ]) {
      let acc = 0;
      const n = 200;
      for (let b = 0; b < n; b++)
        for (let a = 0; a < n; a++) {
          const x = i - 3 - 0.4 - 0.5 + (a + 0.5) / n;
          const y = j - 3 - 0.1 - 0.5 + (b + 0.5) / n;
          acc += m.profile(x * x + y * y);
        }
      acc /= n * n;
      expect(Math.abs(s.data[j * 7 + i] - acc) / acc).toBeLessThan(1e-5);
    }
  });

  it('oversampled stamps bin back to the 1x stamp', () => {
    const s1 = psf.evaluate({ width: 11, normalize: false });
    const s5 = psf.evaluate({ width: 55, oversampling: 5, normalize: false });
    const b = bin(s5, 5);
    for (let i = 0; i < b.length; i++) expect(Math.abs(b[i] - s1.data[i])).toBeLessThan(1e-7);
  });

  it('rejects beta <= 1', () => {
    expect(() => createMoffatPsf({ fwhm: 3, beta: 1 })).toThrow(/beta = 1/);
  });
});

describe('pixelized image PSF (Lanczos-3)', () => {
  const g = createGaussianPsf({ fwhm: 3.2 });
  for (const size of [25, 24]) {
    const base = g.evaluate({ width: size, normalize: false, dx: size % 2 ? 0 : -0.5, dy: size % 2 ? 0 : -0.5 });
    const psf = createImagePsf({ data: base.data, width: size, height: size });

    it(`${size}x${size}: a zero shift returns the image; an integer shift translates it`, () => {
      const s = psf.evaluate({ width: size, normalize: false, dx: size % 2 ? 0 : -0.5, dy: size % 2 ? 0 : -0.5 });
      for (let i = 0; i < s.data.length; i++) expect(s.data[i]).toBeCloseTo(base.data[i], 14);
      const t = psf.evaluate({ width: size, normalize: false, dx: (size % 2 ? 0 : -0.5) + 2, dy: size % 2 ? 0 : -0.5 });
      for (let j = 0; j < size; j++) for (let i = 2; i < size; i++) expect(t.data[j * size + i]).toBeCloseTo(base.data[j * size + i - 2], 14);
    });

    it(`${size}x${size}: a sub-pixel shift matches the analytic shifted Gaussian to 7e-3 of the peak (Lanczos-3 error at FWHM 3.2)`, () => {
      const s = psf.evaluate({ width: 21, dx: 0.37, dy: -0.26 });
      const ref = g.evaluate({ width: 21, dx: 0.37, dy: -0.26 });
      let peak = 0;
      let worst = 0;
      for (let i = 0; i < ref.data.length; i++) {
        peak = Math.max(peak, ref.data[i]);
        worst = Math.max(worst, Math.abs(s.data[i] - ref.data[i]));
      }
      expect(worst / peak).toBeLessThan(7e-3);
      const [cx, cy] = centroid(s);
      // Lanczos-3 is not exactly first-moment preserving: ~0.015 px at this FWHM
      expect(Math.abs(cx - 10.37)).toBeLessThan(0.02);
      expect(Math.abs(cy - 9.74)).toBeLessThan(0.02);
    });
  }

  it('an oversampled PSF image (sampling 0.5, pixel-convolved PSF) renders at image scale', () => {
    const fine = pixelConvolvedFine(3.2, 25);
    const psf = createImagePsf({ data: fine, width: 51, height: 51, sampling: 0.5, center: 'half' });
    const s = psf.evaluate({ width: 15, dx: 0.25 });
    const ref = g.evaluate({ width: 15, dx: 0.25 });
    for (let i = 0; i < s.data.length; i++) expect(Math.abs(s.data[i] - ref.data[i])).toBeLessThan(5e-4);
    expect(Math.abs(psf.fwhm - 3.2)).toBeLessThan(0.15); // moment estimate of the pixel-convolved PSF
  });

  it('rejects bad images with PSF_BAD_MODEL', () => {
    expect(() => createImagePsf({ data: [1, 2, 3], width: 2, height: 2 })).toThrow(/3 values for a 2x2/);
    expect(() => createImagePsf({ data: [1, NaN, 1, 1], width: 2, height: 2 })).toThrow(/pixel \(1, 0\) is NaN/);
    expect(() => createImagePsf({ data: [0, 0, 0, 0], width: 2, height: 2 })).toThrow(/sum to 0/);
  });

  it('loads a PSF image from a FITS file (even size, BITPIX -32)', async () => {
    const w = 12;
    const h = 10;
    const cards = [
      'SIMPLE  =                    T',
      'BITPIX  =                  -32',
      'NAXIS   =                    2',
      `NAXIS1  = ${String(w).padStart(20)}`,
      `NAXIS2  = ${String(h).padStart(20)}`,
      'END',
    ];
    const header = Buffer.alloc(2880, ' ');
    cards.forEach((c, i) => header.write(c.padEnd(80), i * 80, 'latin1'));
    const data = Buffer.alloc(2880, 0);
    const src = g.evaluate({ width: w, height: h, normalize: false, dx: -0.5, dy: -0.5 });
    for (let i = 0; i < w * h; i++) data.writeFloatBE(src.data[i], i * 4);
    const dir = tempDir('psf-');
    const file = path.join(dir, 'psf.fits');
    writeFileSync(file, Buffer.concat([header, data]));
    const psf = await loadImagePsf(file);
    expect(psf.width).toBe(12);
    expect(psf.height).toBe(10);
    expect(psf.centerX).toBe(5.5);
    expect(psf.data[4 * 12 + 5]).toBeCloseTo(Math.fround(src.data[4 * 12 + 5]), 12);
    await expect(loadImagePsf(path.join(dir, 'missing.fits'))).rejects.toThrow(/missing\.fits/);
  });
});

describe('PSFEx polynomial', () => {
  it('one group of two contexts, degree 2: 1, x, x^2, y, xy, y^2', () => {
    expect(psfexPolynomialTerms([0, 0], [2])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [0, 1],
      [1, 1],
      [0, 2],
    ]);
  });

  it('two groups: every exponent combination within the group degrees, once', () => {
    const terms = psfexPolynomialTerms([0, 0, 1], [2, 3]);
    expect(terms.length).toBe(6 * 4);
    const keys = new Set(terms.map((t) => t.join(',')));
    expect(keys.size).toBe(24);
    for (const t of terms) {
      expect(t[0] + t[1]).toBeLessThanOrEqual(2);
      expect(t[2]).toBeLessThanOrEqual(3);
    }
    expect(terms[0]).toEqual([0, 0, 0]);
  });

  const header = {
    PSFNAXIS: 3,
    PSFAXIS1: 3,
    PSFAXIS2: 3,
    PSFAXIS3: 4,
    POLNAXIS: 2,
    POLNAME1: 'X_IMAGE',
    POLNAME2: 'MAG_AUTO',
    POLGRP1: 1,
    POLGRP2: 2,
    POLZERO1: 100,
    POLSCAL1: 50,
    POLZERO2: 20,
    POLSCAL2: 2,
    POLNGRP: 2,
    POLDEG1: 1,
    POLDEG2: 1,
    PSF_SAMP: 1,
  };
  const mask = new Float32Array(36);
  mask[4] = 1; // constant plane: centre
  mask[9 + 4] = 0.5; // x term
  mask[18 + 4] = -0.25; // mag term
  mask[27 + 4] = 0.125; // x * mag term

  it('evaluates any context; a missing one is PSF_BAD_CONTEXT naming it', () => {
    const m = PsfexModel.fromTable({ header, psfMask: mask, file: 'ctx.psf' });
    expect(m.terms).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    // X_IMAGE = x + 1 = 150 -> u = 1; MAG_AUTO = 22 -> v = 1
    const g = m.gridAt({ x: 149, context: { MAG_AUTO: 22 } });
    expect(g[4]).toBeCloseTo(1 + 0.5 - 0.25 + 0.125, 12);
    const g2 = m.gridAt({ x: 74, context: { MAG_AUTO: 16 } }); // u = -0.5, v = -2
    expect(g2[4]).toBeCloseTo(1 - 0.25 + 0.5 + 0.125, 12);
    expect(() => m.gridAt({ x: 10, y: 10 })).toThrow(/ctx\.psf: context MAG_AUTO \(POLNAME2\) has no value/);
    try {
      m.evaluate({ x: 1 });
    } catch (e) {
      expect((e as PhotometryError).code).toBe('PSF_BAD_CONTEXT');
    }
  });

  it('an inconsistent header is PSF_BAD_MODEL naming the keyword', () => {
    expect(() => PsfexModel.fromTable({ header: { ...header, PSFAXIS3: 5 }, psfMask: new Float32Array(45), file: 'x.psf' })).toThrow(
      /x\.psf: the polynomial .* has 4 terms but PSFAXIS3 = 5/,
    );
    expect(() => PsfexModel.fromTable({ header: { ...header, POLSCAL1: undefined }, psfMask: mask })).toThrow(/POLSCAL1 is missing/);
    expect(() => PsfexModel.fromTable({ header, psfMask: mask.subarray(1) })).toThrow(/PSF_MASK has 35 values/);
  });

  it('PSF_SAMP = 0.5 (2x oversampled model, no context): rendered at image scale matches the Gaussian', () => {
    const g = createGaussianPsf({ fwhm: 3 });
    const fine = pixelConvolvedFine(3, 20);
    const m = PsfexModel.fromTable({
      header: { PSFNAXIS: 2, PSFAXIS1: 41, PSFAXIS2: 41, POLNAXIS: 0, PSF_SAMP: 0.5 },
      psfMask: fine,
      file: 'samp.psf',
    });
    expect(m.terms).toEqual([[]]);
    const s = m.evaluate({ width: 15, dx: -0.3, dy: 0.2 });
    const ref = g.evaluate({ width: 15, dx: -0.3, dy: 0.2 });
    for (let i = 0; i < s.data.length; i++) expect(Math.abs(s.data[i] - ref.data[i])).toBeLessThan(5e-4);
  });
});
