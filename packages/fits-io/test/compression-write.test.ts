/**
 * Writing tile-compressed images: round trips through our reader (integers
 * exact, floats within the quantization step, NaN kept), and astropy reading
 * the files we write (when /usr/bin/python3 has astropy).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compressImage, readFits, toFitsBytes } from '@astro/fits-io';
import type { CompressImageOptions, FitsTypedArray } from '@astro/fits-io';
import { ASTROPY_MISSING, HAS_ASTROPY, runPython } from './support/compression-python.js';
import { seededRandom } from '@astro/core';

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

const W = 67;
const H = 45;

function makeImages(): Record<string, FitsTypedArray> {
  const r = seededRandom(42);
  const n = W * H;
  const i16 = new Int16Array(n);
  const u16 = new Uint16Array(n);
  const i32 = new Int32Array(n);
  const u8 = new Uint8Array(n);
  const f32 = new Float32Array(n);
  const f64 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    i16[i] = Math.round(1000 + 30 * gaussian(r)) - (i % 97 === 0 ? 32000 : 0);
    u16[i] = Math.round(40000 + 200 * gaussian(r));
    i32[i] = Math.round(1e6 * gaussian(r)) + (i % 13 === 0 ? 2 ** 30 : 0);
    u8[i] = Math.floor(256 * r());
    f32[i] = 100 + 5 * gaussian(r);
    f64[i] = 1e-3 * gaussian(r);
  }
  f32[5] = NaN;
  f32[W * 10 + 3] = NaN;
  f32[W * 11 + 4] = 0;
  // constant rows cannot be quantized: stored losslessly (rows 20..23 = one 4-row tile)
  for (let x = 0; x < 4 * W; x++) f32[W * 20 + x] = 7.25;
  return { i16, u16, i32, u8, f32, f64 };
}

const images = makeImages();

async function roundTrip(data: FitsTypedArray, shape: number[], options: CompressImageOptions) {
  const bytes = toFitsBytes([{ kind: 'empty' }, compressImage(data, shape, options)]);
  const fits = await readFits(bytes);
  expect(fits.hdus[1].kind).toBe('compressed-image');
  return { bytes, image: await fits.hdus[1].readImage() };
}

const INTEGER_CASES: Array<[string, CompressImageOptions]> = [
  ['RICE_1 row tiles', { compression: 'RICE_1' }],
  ['RICE_1 32x16 tiles (partial edge tiles)', { compression: 'RICE_1', tileShape: [32, 16] }],
  ['GZIP_1 row tiles', { compression: 'GZIP_1' }],
  ['GZIP_2 20x20 tiles', { compression: 'GZIP_2', tileShape: [20, 20] }],
];

describe('compressed image round trips', () => {
  for (const [key, dtype] of [['i16', 'int16'], ['u16', 'uint16'], ['i32', 'int32'], ['u8', 'uint8']] as const) {
    for (const [label, options] of INTEGER_CASES) {
      it(`${dtype} ${label}: exact`, async () => {
        const { image } = await roundTrip(images[key], [W, H], options);
        expect(image.dtype).toBe(dtype);
        expect(image.shape).toEqual([W, H]);
        expect(Array.from(image.data as ArrayLike<number>)).toEqual(Array.from(images[key] as ArrayLike<number>));
      });
    }
  }

  for (const method of ['SUBTRACTIVE_DITHER_1', 'SUBTRACTIVE_DITHER_2', 'NO_DITHER'] as const) {
    for (const [compression, nanTiles] of [['RICE_1', 'lossless'], ['GZIP_2', 'blank']] as const) {
      it(`float32 ${method} ${compression} nanTiles ${nanTiles}: within the quantization step, NaN kept, constant tile exact`, async () => {
        const src = images.f32 as Float32Array;
        const { image } = await roundTrip(src, [W, H], { compression, quantizeMethod: method, tileShape: [W, 4], nanTiles });
        const got = image.data as Float32Array;
        expect(image.dtype).toBe('float32');
        let maxErr = 0;
        for (let i = 0; i < src.length; i++) {
          if (Number.isNaN(src[i])) {
            expect(Number.isNaN(got[i]), `pixel ${i} must stay NaN`).toBe(true);
            continue;
          }
          maxErr = Math.max(maxErr, Math.abs(got[i] - src[i]));
        }
        // noise 5, level 16: step ~0.31; error at most half a step (plus float32 rounding)
        expect(maxErr).toBeLessThan(0.25);
        expect(maxErr).toBeGreaterThan(0);
        for (let x = 0; x < W; x++) expect(got[W * 20 + x]).toBe(7.25);
        if (method === 'SUBTRACTIVE_DITHER_2') expect(got[W * 11 + 4]).toBe(0);
      });
    }
  }

  for (const compression of ['GZIP_1', 'GZIP_2'] as const) {
    it(`float64 and float32 lossless ${compression} (quantizeMethod NONE): exact`, async () => {
      const { image } = await roundTrip(images.f64, [W, H], { compression, quantizeMethod: 'NONE', tileShape: [13, 7] });
      expect(image.dtype).toBe('float64');
      expect(Array.from(image.data as Float64Array)).toEqual(Array.from(images.f64 as Float64Array));
      const f32 = await roundTrip(images.f32, [W, H], { compression, quantizeMethod: 'NONE' });
      expect(f32.image.dtype).toBe('float32');
      expect(Array.from(f32.image.data as Float32Array)).toEqual(Array.from(images.f32 as Float32Array));
    });
  }

  it('3-D cube with 2-D tiles', async () => {
    const cube = new Int32Array(10 * 7 * 3).map((_, i) => (i * 7919) % 1000 - 500);
    const { image } = await roundTrip(cube, [10, 7, 3], { compression: 'RICE_1', tileShape: [4, 3, 1] });
    expect(image.shape).toEqual([10, 7, 3]);
    expect(Array.from(image.data as Int32Array)).toEqual(Array.from(cube));
  });

  it('keeps user header cards (WCS) and drops structural ones', async () => {
    const hdu = compressImage(images.i16, [W, H], { header: { CTYPE1: 'RA---TAN', CRVAL1: 150.5, NAXIS1: 3, BITPIX: -32, OBJECT: 'M31' } });
    const fits = await readFits(toFitsBytes([{ kind: 'empty' }, hdu]));
    const h = fits.hdus[1].header;
    expect(h.get('CTYPE1')).toBe('RA---TAN');
    expect(h.get('CRVAL1')).toBe(150.5);
    expect(h.get('OBJECT')).toBe('M31');
    expect(h.get('NAXIS1')).not.toBe(3);
    expect(h.get('ZBITPIX')).toBe(16);
  });

  it('refuses RICE_1 for lossless floats and mismatched shapes', () => {
    expect(() => compressImage(images.f32, [W, H], { quantizeMethod: 'NONE' })).toThrow(/GZIP_1 or GZIP_2/);
    expect(() => compressImage(images.f32, [W, H + 1])).toThrow(/shape/);
    expect(() => compressImage(images.i16, [W, H], { tileShape: [0, 1] })).toThrow(/tileShape/);
  });
});

const READ_BACK = `
import sys, json, numpy as np
from astropy.io import fits
out = []
for f in sys.argv[1:]:
    with fits.open(f) as hdul:
        d = np.ascontiguousarray(hdul[1].data)
        out.append({'file': f, 'dtype': str(d.dtype), 'shape': list(d.shape), 'hex': d.astype(d.dtype.newbyteorder('<')).tobytes().hex()})
print(json.dumps(out))
`;

describe.skipIf(!HAS_ASTROPY)(`astropy reads what we write (${HAS_ASTROPY ? 'astropy found' : ASTROPY_MISSING})`, () => {
  const dir = HAS_ASTROPY ? mkdtempSync(path.join(tmpdir(), 'fits-compress-')) : '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('RICE_1 / GZIP_1 / GZIP_2 integer and quantized / lossless float files give identical pixels in astropy', async () => {
    const cases: Array<[string, FitsTypedArray, number[], CompressImageOptions]> = [
      ['i16_rice', images.i16, [W, H], { compression: 'RICE_1' }],
      ['i16_rice_tiles', images.i16, [W, H], { compression: 'RICE_1', tileShape: [16, 16] }],
      ['u16_gzip1', images.u16, [W, H], { compression: 'GZIP_1' }],
      ['i32_gzip2', images.i32, [W, H], { compression: 'GZIP_2', tileShape: [30, 7] }],
      ['u8_rice', images.u8, [W, H], { compression: 'RICE_1' }],
      ['f32_dither1_rice', images.f32, [W, H], { compression: 'RICE_1', quantizeMethod: 'SUBTRACTIVE_DITHER_1' }],
      ['f32_dither2_gzip2', images.f32, [W, H], { compression: 'GZIP_2', quantizeMethod: 'SUBTRACTIVE_DITHER_2', tileShape: [W, 5] }],
      ['f32_nodither_rice', images.f32, [W, H], { compression: 'RICE_1', quantizeMethod: 'NO_DITHER' }],
      ['f64_lossless_gzip1', images.f64, [W, H], { compression: 'GZIP_1', quantizeMethod: 'NONE' }],
      ['f32_lossless_gzip2', images.f32, [W, H], { compression: 'GZIP_2', quantizeMethod: 'NONE' }],
    ];
    const files: string[] = [];
    const ours = new Map<string, FitsTypedArray>();
    for (const [name, data, shape, options] of cases) {
      const bytes = toFitsBytes([{ kind: 'empty' }, compressImage(data, shape, options)]);
      const file = path.join(dir, `${name}.fits`);
      writeFileSync(file, bytes);
      files.push(file);
      ours.set(file, (await (await readFits(file)).hdus[1].readImage()).data as FitsTypedArray);
    }
    const dumps = JSON.parse(runPython(READ_BACK, files)) as Array<{ file: string; dtype: string; shape: number[]; hex: string }>;
    expect(dumps).toHaveLength(cases.length);
    for (const d of dumps) {
      const mine = ours.get(d.file)!;
      expect(d.shape, d.file).toEqual([H, W]);
      const hex = Buffer.from(mine.buffer, mine.byteOffset, mine.byteLength).toString('hex');
      expect(hex === d.hex, `${path.basename(d.file)}: astropy reads different pixels (dtype ${d.dtype})`).toBe(true);
    }
  });
});
