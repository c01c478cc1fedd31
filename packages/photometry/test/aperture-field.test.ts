/**
 * sumCircle / sumEllipse on the shared simulated field vs SEP 1.2.1:
 * field.sep.json (r=3 with bkgann 8-12 on the raw image) and the committed
 * fixture made by scripts/make_sep_apertures.py (r=5 with err and gain,
 * exact r=3, exact ellipse, on the raw image).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sumCircle, sumEllipse } from '@astro/photometry';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { readImage } from './helpers/mini-fits.js';
import { loadSepFixture, relDiff } from './helpers/sep-fixture.js';

const dir = sharedData('photometry');

describe.skipIf(!dir)(`sum_circle on field.fits vs SEP ${dir ? '' : missingDataMessage('photometry')}`, () => {
  const field = readImage(path.join(dir ?? '', 'field.fits'));
  const sepJson = JSON.parse(readFileSync(path.join(dir ?? '', 'field.sep.json'), 'utf8')) as {
    sum_circle_r5: { x: number[]; y: number[]; flux: number[]; fluxerr: number[]; flag: number[] };
    sum_circle_r3_bkgann_8_12_unsubtracted: { flux: number[]; fluxerr: number[]; flag: number[] };
  };
  const { x, y } = sepJson.sum_circle_r5;
  const fx = loadSepFixture();

  function worst(actual: Float64Array, expected: number[]): number {
    let w = 0;
    for (let i = 0; i < expected.length; i++) w = Math.max(w, relDiff(actual[i], expected[i]));
    return w;
  }

  it('r=3 with bkgann=(8,12) on the raw image: within 1e-6 relative of SEP (all truth positions)', () => {
    const ref = sepJson.sum_circle_r3_bkgann_8_12_unsubtracted;
    const res = sumCircle(field, x, y, 3, { bkgann: [8, 12] });
    expect(res.sum.length).toBe(ref.flux.length);
    const w = worst(res.sum, ref.flux);
    console.log(`field r=3 bkgann(8,12): ${ref.flux.length} positions, worst relative flux difference ${w.toExponential(2)}`);
    expect(w).toBeLessThan(1e-6);
    expect(Array.from(res.flags)).toEqual(ref.flag);
  });

  it('r=5 (err=32.68, gain=1), exact r=3 and an exact ellipse on the raw image: within 1e-9 of SEP', () => {
    const ref = fx.field;
    expect(ref, 'fixture has the field section').toBeDefined();
    if (!ref) return;
    // the fixture was made at the positions of field.truth.csv (fewer digits than field.sep.json)
    const rows = readFileSync(path.join(dir ?? '', 'field.truth.csv'), 'utf8').trim().split('\n').slice(1);
    const tx = rows.map((r) => Number(r.split(',')[0]));
    const ty = rows.map((r) => Number(r.split(',')[1]));
    const r5 = sumCircle(field, tx, ty, 5, { err: 32.68389892578125, gain: 1 });
    expect(worst(r5.sum, ref.r5.sum)).toBeLessThan(1e-9);
    expect(worst(r5.sumErr, ref.r5.sumErr)).toBeLessThan(1e-9);
    expect(Array.from(r5.flags)).toEqual(ref.r5.flags);
    const r3 = sumCircle(field, tx, ty, 3, { subpix: 0 });
    expect(worst(r3.sum, ref.r3exact.sum)).toBeLessThan(1e-9);
    const e = ref.ellipse;
    const el = sumEllipse(field, tx, ty, e.a, e.b, e.theta, { r: e.r, err: e.err, subpix: 0 });
    expect(worst(el.sum, e.sum)).toBeLessThan(1e-9);
    expect(worst(el.sumErr, e.sumErr)).toBeLessThan(1e-9);
  });
});
