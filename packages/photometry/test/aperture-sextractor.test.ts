/**
 * Apertures on the background-subtracted shared field:
 * - sum_circle r=5 at the truth positions vs SEP (field.sep.json), using
 *   estimateBackground's back();
 * - FLUX_APER (10 px diameter) and FLUX_AUTO vs Source Extractor 2.25
 *   (field.sex.cat.fits), agreement reported;
 * - FLUX_AUTO bias vs the truth per magnitude bin, reported.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFits } from '@astro/fits-io';
import { estimateBackground, fluxAuto, sumCircle } from '@astro/photometry';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { readImage } from './helpers/mini-fits.js';

const dir = sharedData('photometry');

interface SepJson {
  background: { globalback: number; globalrms: number };
  extract: { objects: { x: number; y: number; a: number; b: number; theta: number; flux: number; flag: number }[] };
  sum_circle_r5: { x: number[]; y: number[]; flux: number[]; fluxerr: number[]; flag: number[] };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

describe.skipIf(!dir)(`apertures on the background-subtracted field ${dir ? '' : missingDataMessage('photometry')}`, () => {
  const field = readImage(path.join(dir ?? '', 'field.fits'));
  const sep = JSON.parse(readFileSync(path.join(dir ?? '', 'field.sep.json'), 'utf8')) as SepJson;
  const bkg = estimateBackground(field, { bw: 64, bh: 64, fw: 3, fh: 3 });
  const sub = Float32Array.from(field.data);
  bkg.subtractFrom(sub);
  const image = { data: sub, width: field.width, height: field.height };

  it('sum_circle r=5 (err=globalrms, gain=1) at the 450 truth positions: within 1e-6 relative of SEP', () => {
    const ref = sep.sum_circle_r5;
    const res = sumCircle(image, ref.x, ref.y, 5, { err: bkg.globalRms, gain: 1 });
    let worst = 0;
    let worstErr = 0;
    let within = 0;
    for (let i = 0; i < ref.flux.length; i++) {
      const d = Math.abs(res.sum[i] - ref.flux[i]) / Math.abs(ref.flux[i]);
      worst = Math.max(worst, d);
      if (d < 1e-6) within++;
      worstErr = Math.max(worstErr, Math.abs(res.sumErr[i] - ref.fluxerr[i]) / ref.fluxerr[i]);
    }
    console.log(
      `field r=5 bkg-subtracted: ${within}/${ref.flux.length} within 1e-6, worst flux ${worst.toExponential(2)}, worst err ${worstErr.toExponential(2)}`,
    );
    expect(Array.from(res.flags)).toEqual(ref.flag);
    expect(worst).toBeLessThan(1e-6);
    expect(worstErr).toBeLessThan(1e-6);
  });

  it('FLUX_APER and FLUX_AUTO vs Source Extractor (reported; SEP itself is within ~1%)', async () => {
    const fits = await readFits(path.join(dir ?? '', 'field.sex.cat.fits'));
    const table = await fits.hdu('OBJECTS').readTable();
    const col = (n: string) => Array.from(table.column(n) as ArrayLike<number>);
    const sx = col('X_IMAGE').map((v) => v - 1);
    const sy = col('Y_IMAGE').map((v) => v - 1);
    const aper = col('FLUX_APER');
    const auto = col('FLUX_AUTO');
    const flags = col('FLAGS');

    // FLUX_APER: 10 px diameter at Source Extractor's own positions
    const ours = sumCircle(image, sx, sy, 5);
    const aperRatios: number[] = [];
    for (let i = 0; i < sx.length; i++) if (flags[i] === 0 && aper[i] > 0) aperRatios.push(ours.sum[i] / aper[i]);

    // FLUX_AUTO: SEP's detections (x, y, a, b, theta) matched to Source Extractor within 1 px
    const objs = sep.extract.objects;
    const autoRatios: number[] = [];
    const ox: number[] = [];
    const oy: number[] = [];
    const oa: number[] = [];
    const ob: number[] = [];
    const ot: number[] = [];
    const match: number[] = [];
    for (const o of objs) {
      let best = -1;
      let bd = 1;
      for (let j = 0; j < sx.length; j++) {
        const d = Math.hypot(sx[j] - o.x, sy[j] - o.y);
        if (d < bd) {
          bd = d;
          best = j;
        }
      }
      if (best >= 0 && flags[best] === 0 && o.flag === 0) {
        ox.push(o.x);
        oy.push(o.y);
        oa.push(o.a);
        ob.push(o.b);
        ot.push(o.theta);
        match.push(best);
      }
    }
    const fa = fluxAuto(image, ox, oy, oa, ob, ot);
    for (let k = 0; k < match.length; k++) if (auto[match[k]] > 0) autoRatios.push(fa.flux[k] / auto[match[k]]);

    const within = (r: number[], tol: number) => r.filter((v) => Math.abs(v - 1) < tol).length / r.length;
    const aperMed = median(aperRatios);
    const autoMed = median(autoRatios);
    console.log(
      `FLUX_APER(r=5) vs Source Extractor: ${aperRatios.length} unflagged objects, median ratio ${aperMed.toFixed(5)}, ` +
        `within 1%: ${(100 * within(aperRatios, 0.01)).toFixed(1)}%, within 5%: ${(100 * within(aperRatios, 0.05)).toFixed(1)}%`,
    );
    console.log(
      `FLUX_AUTO vs Source Extractor: ${autoRatios.length} matched objects, median ratio ${autoMed.toFixed(5)}, ` +
        `within 1%: ${(100 * within(autoRatios, 0.01)).toFixed(1)}%, within 5%: ${(100 * within(autoRatios, 0.05)).toFixed(1)}%`,
    );
    expect(aperRatios.length).toBeGreaterThan(200);
    expect(autoRatios.length).toBeGreaterThan(200);
    expect(Math.abs(aperMed - 1)).toBeLessThan(0.01);
    expect(Math.abs(autoMed - 1)).toBeLessThan(0.02);
  });

  it('FLUX_AUTO bias vs the truth per magnitude bin (reported)', () => {
    const rows = readFileSync(path.join(dir ?? '', 'field.truth.csv'), 'utf8').trim().split('\n').slice(1);
    const truth = rows.map((r) => {
      const [x, y, flux, kind] = r.split(',');
      return { x: Number(x), y: Number(y), flux: Number(flux), kind };
    });
    const objs = sep.extract.objects.filter((o) => o.flag === 0);
    const fa = fluxAuto(
      image,
      objs.map((o) => o.x),
      objs.map((o) => o.y),
      objs.map((o) => o.a),
      objs.map((o) => o.b),
      objs.map((o) => o.theta),
    );
    const bins = new Map<number, { n: number; found: number; ratios: number[] }>();
    for (const t of truth) {
      const mag = Math.floor(-2.5 * Math.log10(t.flux) + 25);
      const bin = bins.get(mag) ?? { n: 0, found: 0, ratios: [] };
      bins.set(mag, bin);
      bin.n++;
      let best = -1;
      let bd = 1.5;
      objs.forEach((o, k) => {
        const d = Math.hypot(o.x - t.x, o.y - t.y);
        if (d < bd) {
          bd = d;
          best = k;
        }
      });
      if (best >= 0) {
        bin.found++;
        if (t.kind === 'star') bin.ratios.push(fa.flux[best] / t.flux);
      }
    }
    const lines = ['mag(zp 25)  n  matched  stars  median FLUX_AUTO/true - 1'];
    for (const [mag, b] of [...bins.entries()].sort((p, q) => p[0] - q[0])) {
      const bias = b.ratios.length ? median(b.ratios) - 1 : NaN;
      lines.push(`${mag}-${mag + 1}  ${b.n}  ${b.found}  ${b.ratios.length}  ${(100 * bias).toFixed(2)}%`);
    }
    console.log(`FLUX_AUTO vs truth (SEP detections, unflagged):\n${lines.join('\n')}`);
    // Bright, isolated stars: FLUX_AUTO holds ~94-98% of a Moffat(beta=3) star's flux
    const bright = [...bins.entries()].filter(([m]) => m < 15).flatMap(([, b]) => b.ratios);
    expect(bright.length).toBeGreaterThan(20);
    const m = median(bright);
    expect(m).toBeGreaterThan(0.9);
    expect(m).toBeLessThan(1.01);
  });
});
