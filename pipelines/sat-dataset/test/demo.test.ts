import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, tempDir } from './helpers.js';

describe('demo and plot CLI', () => {
  it('sat-demo writes frames with a gap, converts them, prints the coverage and writes a PNG plot', () => {
    const dir = tempDir('demo');
    const out = execFileSync(process.execPath, [bin('sat-demo.js'), dir], { encoding: 'utf8' });
    expect(out).toMatch(/trend_20230601\.h5: 6 valid, 1 invalid, 1 pruned channels/);
    expect(out).toMatch(/V1:ENV_CEB_TEMP_mean\s+1\s+float64\s+14400\s+16\.7%\s+1\s+1{20}\n/);
    expect(out).toMatch(/V1:ENV_WIND_SPEED_mean\s+1\s+float64\s+14400\s+62\.5%\s+1\s+0{11}1{9}\n/);
    expect(out).toMatch(/V1:SEISMIC_RATE_CHANGE .*PRUNED: sample rate changed from 4 Hz to 8 Hz/);
    const png = out.match(/plot: (.*\.png)/)![1];
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000);
    const h5 = path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5');
    const again = execFileSync(process.execPath, [bin('sat-plot.js'), h5, path.join(dir, 'x.png'), '--bins', '24'], { encoding: 'utf8' });
    expect(again.trim()).toBe(path.join(dir, 'x.png'));
    expect(existsSync(path.join(dir, 'x.png'))).toBe(true);
  });
});
