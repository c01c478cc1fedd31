import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLauncherConfig, loadWorkerConfig } from '@astro/sat-dataset';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('examples/sat-dataset', () => {
  it('convert-day.mjs converts a synthetic hour with a gap, prints the coverage and writes a plot', () => {
    const before = new Set(readdirSync(tmpdir()));
    let out: string;
    try {
      out = execFileSync(process.execPath, [path.join(here, 'convert-day.mjs')], { encoding: 'utf8' });
      const png = out.match(/plot: (.*\.png)/)![1];
      expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
      const dir = out.match(/outputs: (.*)/)![1];
      expect(path.basename(dir)).toBe('trend-2023-06-01');
      expect(existsSync(path.join(dir, 'channels_info', 'valid_channels.txt'))).toBe(true);
    } finally {
      for (const name of readdirSync(tmpdir())) {
        if (name.startsWith('sat-example-') && !before.has(name)) rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
      }
    }
    const json = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1));
    expect(json).toMatchObject({ status: 'complete', file: 'trend_20230601.h5', seconds_covered: 3000 });
    expect(json.channels).toMatchObject({ requested: 3, valid: 2, invalid: 1, invalid_channels: ['V1:NOT_IN_THE_FRAMES'] });
    expect(out).toMatch(/V1:ENV_CEB_TEMP_mean\s+valid\s+missing 16\.7%/);
    expect(out).toMatch(/V1:NOT_IN_THE_FRAMES\s+invalid/);
  });

  it('the TOML configurations are valid', () => {
    const day = loadWorkerConfig({ file: path.join(here, 'day.toml') });
    expect(day).toMatchObject({ ffl_spec: 'trend', increment_size: 600, compression: 'gzip' });
    expect(day.end_dt.getTime() - day.start_dt.getTime()).toBe(86_400_000);
    const run = loadLauncherConfig({ file: path.join(here, 'run.toml') });
    expect(run.launcher).toMatchObject({ start_date: '2023-06-01', end_date: '2023-06-30', concurrency: 4 });
    expect(run.worker.ffl_spec).toBe('trend');
  });
});
