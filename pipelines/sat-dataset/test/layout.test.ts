import { existsSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AstroError } from '@astro/core';
import { openHdf5 } from '@astro/hdf5-io';
import { SatConfigError, SatErrorCode, SatWorkerError, convertDay, dayPaths, dayWindow, loadWorkerConfig, resolveDayPaths } from '@astro/sat-dataset';
import { SMALL_CHANNELS, smallDay, tempDir } from './helpers.js';

function cfgOf(d: { ffl: string; channelsFile: string }, out: string, extra: Record<string, unknown> = {}) {
  return loadWorkerConfig({
    flags: { start_dt: '2023-06-01T00:00:00', end_dt: '2023-06-01T00:40:00', channels_file: d.channelsFile, ffl_spec: 'trend', ffl_path: d.ffl, out_root: out, increment_size: 300, buffer_mb: 0.001, ...extra },
  });
}

async function samples(file: string): Promise<Record<string, Buffer>> {
  const h = await openHdf5(file);
  try {
    return Object.fromEntries(h.list('/channels').map((e) => {
      const a = h.read(e.path) as Float64Array;
      return [e.name, Buffer.from(a.buffer, a.byteOffset, a.byteLength)];
    }));
  } finally {
    h.close();
  }
}

describe('output layout', () => {
  it('writes <out_root>/<spec>-YYYY-MM-DD/ with the day file, summary, log, state and channels_info/', async () => {
    const dir = tempDir('layout');
    const d = await smallDay(dir);
    await convertDay(cfgOf(d, path.join(dir, 'out')));
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['trend-2023-06-01']);
    const day = path.join(dir, 'out', 'trend-2023-06-01');
    expect(readdirSync(day).filter((n) => !n.startsWith('.')).sort()).toEqual(['channels_info', 'state_day.json', 'trend_20230601.h5', 'trend_20230601.summary.json', 'worker.log']);
    expect(readdirSync(path.join(day, 'channels_info')).sort()).toEqual([
      'channels_coverage.json',
      'invalid_channels.txt',
      'pruned_channels.txt',
      'requested_channels.txt',
      'valid_channels.txt',
    ]);
  });

  it('dayPaths and resolveDayPaths name both layouts', () => {
    const config = cfgOf({ ffl: 'f.ffl', channelsFile: 'c.txt' }, '/data/sat');
    const w = dayWindow(config);
    expect(w).toMatchObject({ tag: '20230601', date: '2023-06-01' });
    expect(dayPaths(config, w)).toMatchObject({
      layout: 'current',
      dir: '/data/sat/trend-2023-06-01',
      h5: '/data/sat/trend-2023-06-01/trend_20230601.h5',
      coverage: '/data/sat/trend-2023-06-01/channels_info/channels_coverage.json',
    });
    expect(dayPaths(config, w, 'legacy')).toMatchObject({ dir: '/data/sat/20230601', coverage: '/data/sat/20230601/channels_coverage.json' });
    expect(resolveDayPaths(config, w).layout).toBe('current'); // nothing on disk
  });

  it('resumes a day folder of the old layout (<out_root>/YYYYMMDD/) in place, and logs it', async () => {
    const dir = tempDir('legacy');
    const d = await smallDay(dir);
    const ref = await convertDay(cfgOf(d, path.join(dir, 'ref')));
    const out = path.join(dir, 'out');
    const controller = new AbortController();
    const part = await convertDay(cfgOf(d, out), { signal: controller.signal, onProgress: (p) => p.done === 3 && controller.abort() });
    expect(part.status).toBe('interrupted');
    // What an earlier version left: the day under <out_root>/YYYYMMDD/.
    renameSync(path.join(out, 'trend-2023-06-01'), path.join(out, '20230601'));
    const resumed = await convertDay(cfgOf(d, out));
    expect(resumed.status).toBe('complete');
    expect(resumed.channels).toEqual(ref.channels);
    expect(existsSync(path.join(out, 'trend-2023-06-01'))).toBe(false);
    const legacy = path.join(out, '20230601');
    expect(existsSync(path.join(legacy, 'trend_20230601.summary.json'))).toBe(true);
    expect(existsSync(path.join(legacy, 'channels_coverage.json'))).toBe(true); // beside the day file, as that layout had it
    const log = readFileSync(path.join(legacy, 'worker.log'), 'utf8');
    expect(log).toMatch(/resuming a day folder of the old layout/);
    expect(log).toMatch(/"msg":"resuming"/);
    const a = await samples(path.join(dir, 'ref', 'trend-2023-06-01', 'trend_20230601.h5'));
    const b = await samples(path.join(legacy, 'trend_20230601.h5'));
    for (const c of SMALL_CHANNELS) expect(b[c.name]).toEqual(a[c.name]);
    // A complete legacy day is not converted again; resume = false starts in the current layout.
    expect((await convertDay(cfgOf(d, out))).status).toBe('complete');
    expect(existsSync(path.join(out, 'trend-2023-06-01'))).toBe(false);
    await convertDay(cfgOf(d, out, { resume: false }));
    expect(existsSync(path.join(out, 'trend-2023-06-01', 'trend_20230601.h5'))).toBe(true);
  });

  it('a legacy folder of another ffl_spec is not taken', async () => {
    const dir = tempDir('legacy-spec');
    const d = await smallDay(dir);
    const out = path.join(dir, 'out');
    const controller = new AbortController();
    await convertDay(cfgOf(d, out, { ffl_spec: 'raw' }), { signal: controller.signal, onProgress: (p) => p.done === 1 && controller.abort() });
    renameSync(path.join(out, 'raw-2023-06-01'), path.join(out, '20230601'));
    const config = cfgOf(d, out);
    expect(resolveDayPaths(config, dayWindow(config)).layout).toBe('current');
    expect(resolveDayPaths(cfgOf(d, out, { ffl_spec: 'raw' }), dayWindow(config)).layout).toBe('legacy');
  });
});

describe('fault injection and errors', () => {
  it('faults.killAt calls the action at that point of the increment loop (in process)', async () => {
    const dir = tempDir('fault');
    const d = await smallDay(dir);
    const seen: string[] = [];
    const error = await convertDay(cfgOf(d, path.join(dir, 'out')), {
      faults: {
        killAt: 'flushed:2',
        action: (point) => {
          seen.push(point);
          throw new Error(`fault at ${point}`);
        },
      },
    }).catch((e: unknown) => e as Error);
    expect(seen).toEqual(['flushed:2']);
    expect(String(error)).toMatch(/fault at flushed:2/);
    const state = JSON.parse(readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'state_day.json'), 'utf8'));
    expect(state.done_increments).toBe(2); // the third flush reached the file but not the state
    expect((await convertDay(cfgOf(d, path.join(dir, 'out')))).status).toBe('complete');
  });

  it('errors are AstroErrors of format SAT with the file, the key and an exported code', async () => {
    const dir = tempDir('errors');
    const d = await smallDay(dir);
    const missing = path.join(dir, 'nope.ffl');
    const e = await convertDay(cfgOf({ ...d, ffl: missing }, path.join(dir, 'out'))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SatWorkerError);
    expect(e).toBeInstanceOf(AstroError);
    expect(e).toMatchObject({ name: 'SatWorkerError', code: SatErrorCode.ffl, format: 'SAT', key: 'ffl_path', location: { file: missing } });
    let c: unknown;
    try {
      loadWorkerConfig({ flags: { increment_size: 0 } });
    } catch (error) {
      c = error;
    }
    expect(c).toBeInstanceOf(SatConfigError);
    expect(c).toBeInstanceOf(AstroError);
    expect(c).toMatchObject({ code: 'SAT_CONFIG', format: 'SAT', source: '(flags)', location: { file: '(flags)' } });
  });
});
