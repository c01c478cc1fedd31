/**
 * Tile-compressed images of ../shared/data/fits (RICE_1 int16 and dithered
 * float32, GZIP_1 lossless float32, GZIP_2 int32, HCOMPRESS_1 int16, PLIO_1
 * int32) read through `readFits(...).hdus[i].readImage()` and compared with
 * what astropy 5.2.1 read back: shape, dtype, NaN count, sums, extrema and
 * sampled pixels (exactly: astropy decompresses with cfitsio, whose
 * arithmetic we reproduce), plus the image header astropy shows.
 */
import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compressedImageHeader, readFits } from '@astro/fits-io';
import type { FitsTypedArray } from '@astro/fits-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { expectedNumber, loadExpected, sameValue } from './support/expected.js';

const dir = sharedData('fits');
const files = dir ? readdirSync(dir).filter((f) => f.startsWith('comp_') && f.endsWith('.fits')).sort() : [];

describe.skipIf(!dir)(`compressed images vs astropy (${dir ? 'shared/data/fits' : missingDataMessage('fits')})`, () => {
  it('finds the six compressed reference files', () => {
    expect(files).toHaveLength(6);
  });

  for (const file of files) {
    it(`${file}: pixels and header as astropy`, async () => {
      const full = path.join(dir!, file);
      const expected = loadExpected(`${full}.expected.json`);
      const fits = await readFits(full);
      for (const exp of expected.hdus) {
        if (exp.class !== 'CompImageHDU') continue;
        const hdu = fits.hdus[exp.index];
        expect(hdu.kind).toBe('compressed-image');
        // header as astropy shows it
        const header = compressedImageHeader(hdu.header);
        expect(header.toRecord()).toEqual(exp.header.cards);
        expect(header.cards.slice(0, 7).map((c) => c.key)).toEqual(['XTENSION', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'PCOUNT', 'GCOUNT']);
        // pixels
        const img = await hdu.readImage();
        const e = exp.image!;
        expect(img.shape).toEqual([...e.shape].reverse());
        expect(img.dtype).toBe(e.dtype);
        const data = img.data as FitsTypedArray;
        let nan = 0;
        let sum = 0;
        let sumSq = 0;
        let min = Infinity;
        let max = -Infinity;
        for (let i = 0; i < data.length; i++) {
          const v = Number(data[i]);
          if (Number.isNaN(v)) {
            nan++;
            continue;
          }
          sum += v;
          sumSq += v * v;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        expect(nan).toBe(e.nan_count);
        // integers: sums exact; floats: summation order differs from numpy's pairwise sum
        const intType = e.dtype!.includes('int');
        if (intType) {
          expect(sum).toBe(expectedNumber(e.sum));
          expect(sumSq).toBe(expectedNumber(e.sum_sq));
        } else {
          expect(Math.abs(sum - expectedNumber(e.sum))).toBeLessThan(1e-9 * Math.abs(expectedNumber(e.sum)));
          expect(Math.abs(sumSq - expectedNumber(e.sum_sq))).toBeLessThan(1e-9 * expectedNumber(e.sum_sq));
        }
        expect(sameValue(min, e.min), `min ${min} vs ${String(e.min)}`).toBe(true);
        expect(sameValue(max, e.max), `max ${max} vs ${String(e.max)}`).toBe(true);
        for (const [index, value] of Object.entries(e.samples ?? {})) {
          expect(sameValue(data[Number(index)], value), `sample ${index}: ${String(data[Number(index)])} vs ${String(value)}`).toBe(true);
        }
      }
    });
  }

  it('reads a section by decoding only the tiles it needs, equal to the same cut of the full image', async () => {
    const full = path.join(dir!, 'comp_rice_f32_dither.fits');
    const hdu = (await readFits(full)).hdus[1];
    const all = (await hdu.readImage()).data as Float32Array;
    const sec = await hdu.readImage({ section: { x0: 7, y0: 10, width: 20, height: 5 } });
    expect(sec.shape).toEqual([20, 5]);
    const got = sec.data as Float32Array;
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 20; x++) expect(got[y * 20 + x]).toBe(all[(y + 10) * 51 + x + 7]);
    }
  });

  it('decompresses into a reused buffer (into) and rejects one that is too small', async () => {
    const hdu = (await readFits(path.join(dir!, 'comp_gzip2_i32.fits'))).hdus[1];
    const fresh = (await hdu.readImage()).data as Int32Array;
    const into = new Uint8Array(4 * fresh.length + 64);
    into.fill(0xab);
    const img = await hdu.readImage({ into });
    expect(img.data.buffer).toBe(into.buffer);
    expect(Array.from(img.data as Int32Array)).toEqual(Array.from(fresh));
    await expect(hdu.readImage({ into: new Uint8Array(16) })).rejects.toThrow(/'into' has 16 bytes/);
  });

  it('returns stored integers with scale: false', async () => {
    const full = path.join(dir!, 'comp_rice_i16.fits');
    const img = await (await readFits(full)).hdus[1].readImage({ scale: false });
    expect(img.dtype).toBe('int16');
    expect(img.data).toBeInstanceOf(Int16Array);
  });
});
