/**
 * The photometry reference files of ../shared/data/photometry: the simulated
 * image, Source Extractor's FITS_1.0 and FITS_LDAC catalogues and the PSFEx
 * model. Structure from the README; the PSFEx model evaluated by the rule of
 * the README must give field.psfex_eval.json; every column and pixel is
 * compared with astropy when /usr/bin/python3 has it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFits } from '@astro/fits-io';
import { parseCards } from '../src/internal/cards.js';
import type { BinaryTable } from '@astro/fits-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { NO_ASTROPY, hasAstropy, runPython } from './support/python.js';

const dir = sharedData('photometry');

const CAT_COLUMNS = ['X_IMAGE', 'Y_IMAGE', 'FLUX_APER', 'FLUXERR_APER', 'FLUX_RADIUS', 'ELONGATION', 'FLAGS', 'SNR_WIN', 'VIGNET', 'XWIN_IMAGE', 'YWIN_IMAGE', 'FLUX_AUTO', 'MAG_AUTO', 'BACKGROUND', 'FWHM_IMAGE', 'CLASS_STAR'];

/** Every numeric column of a table HDU as astropy returns it (repr of each value). */
const DUMP_TABLE = String.raw`
import sys, json, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as h:
    d = h[int(sys.argv[2])].data
    out = {}
    for c in d.names:
        a = np.asarray(d[c])
        if a.dtype.kind in 'fiu':
            out[c] = {'dtype': str(a.dtype.newbyteorder('=')), 'shape': list(a.shape), 'values': [repr(float(x)) if a.dtype.kind == 'f' else str(int(x)) for x in a.ravel()]}
    print(json.dumps(out))
`;

function compareWithAstropy(file: string, hdu: number, table: BinaryTable): void {
  const theirs = JSON.parse(runPython(DUMP_TABLE, [file, String(hdu)])) as Record<string, { dtype: string; shape: number[]; values: string[] }>;
  for (const [name, col] of Object.entries(theirs)) {
    const ours = table.column(name) as Float32Array | Float64Array | Int16Array;
    expect(table.info(name).dtype, name).toBe(col.dtype);
    expect(ours.length, name).toBe(col.values.length);
    for (let i = 0; i < ours.length; i++) {
      const t = col.values[i] === 'nan' ? NaN : Number(col.values[i]);
      if (!Object.is(ours[i], t) && !(ours[i] === 0 && t === 0)) throw new Error(`${name}[${i}]: ours ${ours[i]} astropy ${col.values[i]}`);
    }
  }
}

describe.skipIf(!dir)(`photometry reference files (${dir ? 'shared/data/photometry' : missingDataMessage('photometry')}; astropy cross-checks: ${hasAstropy() ? 'on' : NO_ASTROPY})`, () => {
  it('field.fits: 1024x1024 float32 with the README header keywords', async () => {
    const fits = await readFits(path.join(dir!, 'field.fits'));
    expect(fits.hdus.length).toBe(1);
    const hdu = fits.hdus[0];
    for (const key of ['GAIN', 'RDNOISE', 'SATURATE', 'SKYLEVEL', 'PSF_FWHM', 'PSF_BETA', 'EXPTIME']) expect(typeof hdu.header.getNumber(key), key).toBe('number');
    expect(hdu.header.get('GAIN')).toBe(1);
    expect(hdu.header.getString('CTYPE1')).toBe('RA---TAN');
    const img = await hdu.readImage();
    expect(img.shape).toEqual([1024, 1024]);
    expect(img.dtype).toBe('float32');
    // a cutout equals the same pixels of the whole image
    const cut = await hdu.readImage({ section: { x0: 500, y0: 300, width: 16, height: 8 } });
    for (let y = 0; y < 8; y++) for (let x = 0; x < 16; x++) expect(cut.data[y * 16 + x]).toBe(img.data[(300 + y) * 1024 + 500 + x]);
    if (hasAstropy()) {
      const theirs = JSON.parse(
        runPython(
          'import sys, json, numpy as np\nfrom astropy.io import fits\nd = fits.getdata(sys.argv[1])\nprint(json.dumps({"sum": float(d.astype(np.float64).sum()), "samples": {str(i): repr(float(d.flat[i])) for i in range(0, d.size, 99991)}}))',
          [path.join(dir!, 'field.fits')],
        ),
      ) as { sum: number; samples: Record<string, string> };
      let sum = 0;
      for (let i = 0; i < img.data.length; i++) sum += img.data[i] as number;
      expect(Math.abs(sum - theirs.sum)).toBeLessThan(1e-9 * Math.abs(theirs.sum));
      for (const [i, v] of Object.entries(theirs.samples)) expect(img.data[Number(i)]).toBe(Number(v));
    }
  });

  it('field.sex.cat.fits (FITS_1.0): OBJECTS table with the README columns and VIGNET(35,35)', async () => {
    const file = path.join(dir!, 'field.sex.cat.fits');
    const fits = await readFits(file);
    expect(fits.hdus.map((h) => [h.name, h.kind])).toEqual([
      ['PRIMARY', 'empty'],
      ['OBJECTS', 'binary-table'],
    ]);
    const table = (await fits.hdus[1].readTable()) as BinaryTable;
    expect(table.names).toEqual(CAT_COLUMNS);
    expect(table.info('VIGNET').dim).toEqual([35, 35]);
    expect((table.column('VIGNET') as Float32Array).length).toBe(table.nrows * 35 * 35);
    expect(table.info('X_IMAGE').unit).toBe('pixel');
    const x = table.column('X_IMAGE') as Float32Array;
    for (const v of x) expect(v >= 1 && v <= 1024).toBe(true);
    expect(table.info('FLAGS').dtype).toBe('int16');
    if (hasAstropy()) compareWithAstropy(file, 1, table);
  });

  it('field.sex.ldac.fits (FITS_LDAC): the image header inside LDAC_IMHEAD and the same objects', async () => {
    const file = path.join(dir!, 'field.sex.ldac.fits');
    const fits = await readFits(file);
    expect(fits.hdus.map((h) => h.name)).toEqual(['PRIMARY', 'LDAC_IMHEAD', 'LDAC_OBJECTS']);
    const imhead = (await fits.hdus[1].readTable()) as BinaryTable;
    expect(imhead.info('Field Header Card').dim).toEqual([80, 76]);
    const cards = (imhead.column('Field Header Card') as string[][])[0];
    expect(cards.length).toBe(76);
    const header = parseCards(cards.map((c) => c.padEnd(80)).join(''));
    expect(header.get('NAXIS1')).toBe(1024);
    expect(header.get('BITPIX')).toBe(-32);
    const image = await readFits(path.join(dir!, 'field.fits'));
    expect(header.get('GAIN')).toBe(image.hdus[0].header.get('GAIN'));
    const objects = (await fits.hdus[2].readTable()) as BinaryTable;
    const cat = (await (await readFits(path.join(dir!, 'field.sex.cat.fits'))).hdus[1].readTable()) as BinaryTable;
    expect(objects.nrows).toBe(cat.nrows);
    expect(Array.from(objects.column('X_IMAGE') as Float32Array)).toEqual(Array.from(cat.column('X_IMAGE') as Float32Array));
    if (hasAstropy()) compareWithAstropy(file, 2, objects);
  });

  it('field.psf (PSFEx): PSF_MASK(25,25,6) evaluated by the README rule gives field.psfex_eval.json', async () => {
    const expected = JSON.parse(readFileSync(path.join(dir!, 'field.psfex_eval.json'), 'utf8')) as {
      POLDEG1: number;
      POLZERO: number[];
      POLSCAL: number[];
      nterms: number;
      evaluations: Array<{ x: number; y: number; sum: number; peak: number; center: number; shape: number[]; row_center: number[] }>;
    };
    const fits = await readFits(path.join(dir!, 'field.psf'));
    const hdu = fits.hdu('PSF_DATA');
    const h = hdu.header;
    expect(h.get('POLDEG1')).toBe(expected.POLDEG1);
    expect([h.get('POLZERO1'), h.get('POLZERO2')]).toEqual(expected.POLZERO);
    expect([h.get('POLSCAL1'), h.get('POLSCAL2')]).toEqual(expected.POLSCAL);
    const table = (await hdu.readTable()) as BinaryTable;
    expect(table.info('PSF_MASK').dim).toEqual([25, 25, expected.nterms]);
    const mask = table.column('PSF_MASK') as Float32Array;
    const deg = expected.POLDEG1;
    for (const ev of expected.evaluations) {
      const u = (ev.x - expected.POLZERO[0]) / expected.POLSCAL[0];
      const v = (ev.y - expected.POLZERO[1]) / expected.POLSCAL[1];
      const terms: number[] = [];
      for (let j = 0; j <= deg; j++) for (let i = 0; i <= deg - j; i++) terms.push(u ** i * v ** j);
      const psf = new Float64Array(625);
      terms.forEach((t, k) => {
        for (let p = 0; p < 625; p++) psf[p] += t * mask[k * 625 + p];
      });
      const sum = psf.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - ev.sum)).toBeLessThan(1e-9);
      expect(Math.abs(Math.max(...psf) - ev.peak)).toBeLessThan(1e-12);
      expect(Math.abs(psf[12 * 25 + 12] - ev.center)).toBeLessThan(1e-12);
      ev.row_center.forEach((e, i) => expect(Math.abs(psf[12 * 25 + i] - e)).toBeLessThan(1e-12));
    }
  });
});
