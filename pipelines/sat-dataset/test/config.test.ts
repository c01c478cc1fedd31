import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, tempDir } from './helpers.js';
import { loadLauncherConfig, loadWorkerConfig, readChannelList } from '@astro/sat-dataset';

const base = {
  start_dt: '2023-06-01T00:00:00',
  end_dt: '2023-06-02T00:00:00',
  channels_file: 'channels.txt',
  ffl_spec: 'trend',
  ffl_path: '/virgoData/ffl',
  out_root: 'out',
};

function errorOf(fn: () => unknown): { key?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { key?: string; message: string };
  }
  throw new Error('no error thrown');
}

describe('worker configuration', () => {
  it('applies the documented defaults and reads dates as UTC', () => {
    const c = loadWorkerConfig({ flags: base });
    expect(c.start_dt.toISOString()).toBe('2023-06-01T00:00:00.000Z');
    expect(c).toMatchObject({ resume: true, log_level: 'info', increment_size: 600, max_retries: 3, compression: 'gzip', produce_summary: true, compression_level: 4 });
    // CLI strings are coerced
    expect(loadWorkerConfig({ flags: { ...base, increment_size: '300', resume: 'false' } })).toMatchObject({ increment_size: 300, resume: false });
  });

  it.each([
    [{ increment_size: -5 }, 'increment_size', /increment_size: .*(got -5)/],
    [{ increment_size: 1.5 }, 'increment_size', /increment_size: /],
    [{ compression: 'bz2' }, 'compression', /compression: must be one of "gzip", "lzf", "none" \(got "bz2"\)/],
    [{ log_level: 'loud' }, 'log_level', /log_level: must be one of/],
    [{ colour: 'red' }, 'colour', /colour: is not a known key/],
    [{ start_dt: 'yesterday' }, 'start_dt', /start_dt: is not a date-time/],
    [{ end_dt: '2023-05-31T00:00:00' }, 'end_dt', /end_dt: must be after start_dt/],
    [{ end_dt: '2023-06-03T00:00:00' }, 'end_dt', /end_dt: is 172800 s after start_dt/],
    [{ ffl_spec: 'a/b' }, 'ffl_spec', /ffl_spec: may only contain/],
    [{ resume: 'maybe' }, 'resume', /resume: /],
    [{ channels_file: undefined }, 'channels_file', /channels_file: is required/],
  ])('%o is rejected naming %s', (change, key, message) => {
    const e = errorOf(() => loadWorkerConfig({ flags: { ...base, ...change, ...(key === 'channels_file' ? { channels_file: undefined } : {}) } }));
    expect(e.key).toBe(key);
    expect(e.message).toMatch(message);
  });

  it('names the file, the table and the key for TOML files; flags override the file', () => {
    const dir = tempDir('cfg');
    const file = path.join(dir, 'day.toml');
    writeFileSync(file, `[worker]\nstart_dt = 2023-06-01T00:00:00Z\nend_dt = "2023-06-01T01:00:00"\nchannels_file = "c.txt"\nffl_spec = "raw"\nffl_path = "f"\nout_root = "o"\nincrement_size = "ten"\n`);
    const e = errorOf(() => loadWorkerConfig({ file }));
    expect(e.key).toBe('worker.increment_size');
    expect(e.message).toContain(`configuration ${file}: worker.increment_size:`);
    const ok = loadWorkerConfig({ file, flags: { increment_size: 60 } });
    expect(ok.increment_size).toBe(60);
    expect(ok.start_dt.toISOString()).toBe('2023-06-01T00:00:00.000Z'); // a TOML date-time
    writeFileSync(file, 'start_dt = "2023-06-01\nx = 1\n');
    expect(errorOf(() => loadWorkerConfig({ file })).message).toMatch(new RegExp(`configuration ${file}: line 1, column \\d+: not valid TOML`));
  });

  it('validates launcher files with [launcher] and [worker] tables', () => {
    const dir = tempDir('cfg');
    const file = path.join(dir, 'run.toml');
    const worker = 'channels_file = "c.txt"\nffl_spec = "trend"\nffl_path = "f.ffl"\n';
    writeFileSync(file, `[launcher]\nstart_date = "2023-06-01"\nend_date = "2023-06-03"\nout_dir = "o"\nconcurrency = 3\n[worker]\n${worker}`);
    const c = loadLauncherConfig({ file });
    expect(c.launcher).toMatchObject({ start_date: '2023-06-01', end_date: '2023-06-03', concurrency: 3, stagger_seconds: 0, max_retries: 2 });
    expect(c.worker).toMatchObject({ ffl_spec: 'trend', increment_size: 600 });
    writeFileSync(file, `[launcher]\nstart_date = "2023-06-01"\nend_date = "2023-05-03"\nout_dir = "o"\n[worker]\n${worker}`);
    expect(errorOf(() => loadLauncherConfig({ file }))).toMatchObject({ key: 'launcher.end_date' });
    writeFileSync(file, `[launcher]\nstart_date = "2023-06-01"\nend_date = "2023-06-01"\nout_dir = "o"\nminutes_per_day = 2000\n[worker]\n${worker}`);
    expect(errorOf(() => loadLauncherConfig({ file }))).toMatchObject({ key: 'launcher.minutes_per_day' });
    writeFileSync(file, `[launcher]\nstart_date = "2023-06-01"\nend_date = "2023-06-01"\nout_dir = "o"\n[worker]\n${worker}start_dt = "2023-06-01"\n`);
    const e = errorOf(() => loadLauncherConfig({ file }));
    expect(e.key).toBe('worker.start_dt');
    expect(e.message).toMatch(/worker.start_dt: is not a known key/);
    writeFileSync(file, `[launcher]\nstart_date = "2023-06-31"\nend_date = "2023-07-01"\nout_dir = "o"\n[worker]\n${worker}`);
    expect(errorOf(() => loadLauncherConfig({ file }))).toMatchObject({ key: 'launcher.start_date' });
    writeFileSync(file, `[launch]\nx = 1\n`);
    expect(errorOf(() => loadLauncherConfig({ file }))).toMatchObject({ key: 'launch' });
  });

  it('reads channel lists (comments, blanks, duplicates) and rejects two names on a line', () => {
    const dir = tempDir('cfg');
    const file = path.join(dir, 'c.txt');
    writeFileSync(file, '# trend channels\nV1:A\n\nV1:B   # inline\nV1:A\n');
    expect(readChannelList(file)).toEqual(['V1:A', 'V1:B']);
    writeFileSync(file, 'V1:A V1:B\n');
    expect(errorOf(() => readChannelList(file)).message).toMatch(/line 1: "V1:A V1:B" is not a channel name/);
  });

  it('the worker CLI exits 2 with the key in the message', () => {
    const r = spawnSync(process.execPath, [bin('sat-worker.js'), ...Object.entries({ ...base, increment_size: '0' }).flatMap(([k, v]) => [`--${k}`, v])], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/increment_size: /);
  });
});
