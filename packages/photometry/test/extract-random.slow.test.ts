/**
 * Differential test against the real SEP: seeded random images, masks,
 * noise kinds and options, built and run through python3-sep 1.2.1 by the
 * fixture generator (`--random SEED OUT`) and compared here column by
 * column. Slow (python builds the images pixel by pixel); skipped with a
 * message when /usr/bin/python3 has no `sep`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateBackground, extractSources } from '@astro/photometry';
import type { ExtractOptions } from '@astro/photometry';
import { FIXTURES, buildCaseImage, decodeRuns, noiseMap, ruleMask } from './extract-helpers.js';
import type { ImageSpec, NoiseSpec, RuleSpec } from './extract-helpers.js';

const hasSep = spawnSync('/usr/bin/python3', ['-c', 'import sep'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'phot-random-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface RandomCases {
  fields: string[];
  background: {
    name: string;
    image: ImageSpec;
    mask: RuleSpec | null;
    nan: RuleSpec | null;
    options: { bw: number; bh: number; fw: number; fh: number; fthresh?: number };
    globalback: number;
    globalrms: number;
    probes: [number, number, number, number][];
  }[];
  extract: {
    name: string;
    image: ImageSpec;
    thresh: number;
    options: ExtractOptions;
    mask: RuleSpec | null;
    noise: NoiseSpec | null;
    count: number;
    objects: Record<string, (number | string)[]>;
    segmap: [number, number][];
  }[];
}

const decode = (v: number | string) => (typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN);

describe.skipIf(!hasSep)(`random images vs python3-sep ${hasSep ? '' : '(skipped: /usr/bin/python3 has no sep module)'}`, () => {
  for (const seed of [11, 12]) {
    it(`seed ${seed}: 8 background and 8 extraction cases identical to SEP`, () => {
      const out = path.join(tmp, `random-${seed}.json`);
      const r = spawnSync('/usr/bin/python3', [path.join(FIXTURES, '..', '..', 'scripts', 'make-sep-extract-cases.py'), '--random', String(seed), out], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const cases = JSON.parse(readFileSync(out, 'utf8')) as RandomCases;
      for (const c of cases.background) {
        const { w, h } = c.image;
        const data = buildCaseImage(c.image);
        if (c.nan) {
          const m = ruleMask(c.nan, w, h);
          for (let i = 0; i < m.length; i++) if (m[i]) data[i] = NaN;
        }
        const bkg = estimateBackground({ data, width: w, height: h }, { ...c.options, mask: c.mask ? ruleMask(c.mask, w, h) : undefined });
        const back = bkg.back();
        const rms = bkg.rms();
        expect([bkg.globalBack, bkg.globalRms], c.name).toEqual([c.globalback, c.globalrms]);
        expect(c.probes.map(([x, y]) => [back[y * w + x], rms[y * w + x]]), c.name).toEqual(c.probes.map(([, , b, s]) => [b, s]));
      }
      for (const c of cases.extract) {
        const { w, h } = c.image;
        const options: ExtractOptions = { ...c.options, segmentationMap: true };
        if (c.mask) options.mask = ruleMask(c.mask, w, h);
        const n = c.noise;
        if (n?.kind === 'err-scalar') options.err = n.value;
        else if (n?.kind === 'err-map') options.err = noiseMap(n, w, h, false);
        else if (n?.kind === 'var-map') options.var = noiseMap(n, w, h, true);
        const cat = extractSources({ data: buildCaseImage(c.image), width: w, height: h }, c.thresh, options);
        expect(cat.count, c.name).toBe(c.count);
        for (const f of cases.fields) {
          expect(Array.from((cat as unknown as Record<string, ArrayLike<number>>)[f]), `${c.name} ${f}`).toEqual(c.objects[f].map(decode));
        }
        expect(cat.segmentationMap, c.name).toEqual(decodeRuns(c.segmap, w * h));
      }
    });
  }
});
