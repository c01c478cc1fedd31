/** PSFEx model of the shared field vs field.psfex_eval.json (PSFEx's own rule). */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@astro/test-support/temp-dir';
import { PsfexModel, loadImagePsf, loadPsfexModel } from '@astro/photometry';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { readTable } from './helpers/mini-fits.js';

const dir = sharedData('photometry');

interface Evaluation {
  x: number;
  y: number;
  sum: number;
  peak: number;
  center: number;
  shape: [number, number];
  row_center: number[];
}

describe.skipIf(!dir)(`PSFEx field.psf ${dir ? '' : missingDataMessage('photometry')}`, () => {
  const file = path.join(dir ?? '', 'field.psf');
  const ref = JSON.parse(readFileSync(path.join(dir ?? '', 'field.psfex_eval.json'), 'utf8')) as {
    evaluations: Evaluation[];
    nterms: number;
  };

  function check(model: PsfexModel): number {
    expect(model.terms.length).toBe(ref.nterms);
    let worst = 0;
    for (const e of ref.evaluations) {
      // the reference positions are one-based X_IMAGE / Y_IMAGE
      const g = model.gridAt({ x: e.x - 1, y: e.y - 1 });
      expect([model.width, model.height]).toEqual(e.shape);
      const w = model.width;
      const c = Math.floor(model.height / 2) * w + Math.floor(w / 2);
      let s = 0;
      let peak = -Infinity;
      for (const v of g) {
        s += v;
        peak = Math.max(peak, v);
      }
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      worst = Math.max(worst, rel(s, e.sum), rel(peak, e.peak), rel(g[c], e.center));
      const row = g.subarray(Math.floor(model.height / 2) * w, Math.floor(model.height / 2) * w + w);
      for (let i = 0; i < w; i++) worst = Math.max(worst, Math.abs(row[i] - e.row_center[i]) / e.peak);
    }
    return worst;
  }

  it('loadPsfexModel (via @astro/fits-io): evaluations to 1e-6', async () => {
    const model = await loadPsfexModel(file);
    expect(model.contextNames).toEqual(['X_IMAGE', 'Y_IMAGE']);
    expect(model.fwhm).toBeCloseTo(3.85865021, 6);
    const worst = check(model);
    console.log(`PSFEx field.psf: ${ref.evaluations.length} positions, worst relative difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
  });

  it('PsfexModel.fromTable on the same table read independently: same evaluations', () => {
    const t = readTable(file, 1);
    const header = Object.fromEntries(t.header) as Record<string, string | number | boolean>;
    const model = PsfexModel.fromTable({ header, psfMask: t.columns.get('PSF_MASK')![0], file });
    expect(check(model)).toBeLessThan(1e-6);
    const stamp = model.evaluate({ x: 300, y: 700, dx: 0.3, dy: -0.4, oversampling: 2 });
    expect(stamp.width).toBe(51);
    let s = 0;
    for (const v of stamp.data) s += v;
    expect(s).toBeCloseTo(1, 12);
    expect(() => model.evaluate({ x: 300 })).toThrow(/context Y_IMAGE \(POLNAME2\) has no value/);
  });

  it('hostile files: truncated, wrong kind, image instead of table — errors name the file', async () => {
    const tmp = tempDir('psfex-');
    const bytes = readFileSync(file);
    const truncated = path.join(tmp, 'truncated.psf');
    writeFileSync(truncated, bytes.subarray(0, 5000));
    await expect(loadPsfexModel(truncated)).rejects.toThrow(/truncated\.psf/);
    const garbage = path.join(tmp, 'garbage.psf');
    writeFileSync(garbage, Buffer.from('this is not a FITS file at all'.repeat(200)));
    await expect(loadPsfexModel(garbage)).rejects.toThrow(/garbage\.psf/);
    // an image where a PSFEx table is expected
    await expect(loadPsfexModel(path.join(dir ?? '', 'field.fits'))).rejects.toThrow(/field\.fits: no PSF_DATA binary table/);
    // a table where an image PSF is expected
    await expect(loadImagePsf(file)).rejects.toThrow(/field\.psf/);
    // a binary table without PSF_MASK (the Source Extractor catalogue)
    await expect(loadPsfexModel(path.join(dir ?? '', 'field.sex.cat.fits'))).rejects.toThrow(/no PSF_MASK column/);
  });
});
