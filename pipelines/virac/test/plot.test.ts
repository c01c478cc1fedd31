import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLightCurveCsv, plotLightCurve } from '../src/plot.js';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { tempDir } from './helpers.js';

const expected = sharedData('virac/expected');

describe.skipIf(!expected)('plotLightCurve', () => {
  if (!expected) console.warn(missingDataMessage('virac/expected'));
  it('parses a light curve and renders PNG and SVG', async () => {
    const csv = readFileSync(path.join(expected!, '8535204000000.csv'), 'utf8');
    const rows = parseLightCurveCsv(csv);
    expect(rows.length).toBe(csv.trim().split('\n').length - 1);
    expect(rows.some((r) => r.detected === 0)).toBe(true);
    const svg = (await plotLightCurve(rows, { format: 'svg', title: '8535204000000' })) as string;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('MJD');
    const png = (await plotLightCurve(csv, { title: '8535204000000' })) as Uint8Array;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const out = path.join(tempDir('plot'), 'lc.png');
    writeFileSync(out, png);
    expect(png.length).toBeGreaterThan(5000);
  });
});
