import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFfl, utcToGps } from '@astro/gwf';
import { acquireLock, readCheckpoint } from '@astro/checkpoint';
import { SMALL_CHANNELS, bin, tempDir } from './helpers.js';
import { launcherDays, loadLauncherConfig, runLauncher, writeSyntheticFrames } from '@astro/sat-dataset';

describe('launcher', () => {
  it('lists days (inclusive range, limit_days, minutes_per_day)', () => {
    const days = launcherDays({ start_date: '2023-06-30', end_date: '2023-07-02', out_dir: 'o', concurrency: 1, stagger_seconds: 0, max_retries: 0, minutes_per_day: 30 });
    expect(days).toEqual([
      { date: '2023-06-30', tag: '20230630', start_dt: '2023-06-30T00:00:00.000Z', end_dt: '2023-06-30T00:30:00.000Z' },
      { date: '2023-07-01', tag: '20230701', start_dt: '2023-07-01T00:00:00.000Z', end_dt: '2023-07-01T00:30:00.000Z' },
      { date: '2023-07-02', tag: '20230702', start_dt: '2023-07-02T00:00:00.000Z', end_dt: '2023-07-02T00:30:00.000Z' },
    ]);
    expect(launcherDays({ start_date: '2023-06-30', end_date: '2023-07-02', out_dir: 'o', concurrency: 1, stagger_seconds: 0, max_retries: 0, limit_days: 2 }).map((d) => d.end_dt)).toEqual([
      '2023-07-01T00:00:00.000Z',
      '2023-07-02T00:00:00.000Z',
    ]);
  });

  it('runs days with bounded concurrency and staggered starts, retries, keeps index.json and resumes', async () => {
    const dir = tempDir('launcher');
    const dates = ['2023-06-01', '2023-06-02', '2023-06-03', '2023-06-04'];
    const files = [];
    for (const date of dates) {
      const g0 = utcToGps(`${date}T00:00:00Z`);
      const w = await writeSyntheticFrames({ dir: path.join(dir, 'frames'), gpsStart: g0, nFrames: 12, frameSeconds: 100, framesPerFile: 3, channels: SMALL_CHANNELS as never, fflName: `${date}.ffl` });
      files.push(...w.files);
    }
    const ffl = path.join(dir, 'frames', 'trend.ffl');
    writeFileSync(ffl, formatFfl(files));
    writeFileSync(path.join(dir, 'channels.txt'), SMALL_CHANNELS.map((c) => c.name).join('\n'));
    const out = path.join(dir, 'out');
    // Day 3 cannot be written: a file stands where its directory should be.
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'trend-2023-06-03'), 'in the way');
    const toml = path.join(dir, 'run.toml');
    writeFileSync(
      toml,
      `[launcher]\nstart_date = "2023-06-01"\nend_date = "2023-06-05"\nlimit_days = 4\nout_dir = "${out}"\nconcurrency = 2\nstagger_seconds = 0.3\nmax_retries = 1\nminutes_per_day = 20\n` +
        `[worker]\nchannels_file = "${path.join(dir, 'channels.txt')}"\nffl_spec = "trend"\nffl_path = "${path.join(dir, 'frames')}"\nincrement_size = 300\n`,
    );
    const config = loadLauncherConfig({ file: toml });
    const events: { event: string; day: string; t: number; attempt?: number }[] = [];
    const index = await runLauncher(config, { onEvent: (e) => events.push({ ...e, t: Date.now() }) });

    // Bounded concurrency and staggered starts.
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (e.event === 'start') most = Math.max(most, ++running);
      if (e.event === 'exit') running--;
    }
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBe(2);
    const starts = events.filter((e) => e.event === 'start').map((e) => e.t);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(290);

    expect(index.counts).toEqual({ complete: 3, failed: 1, running: 0, pending: 0 });
    expect(index.days['20230603']).toMatchObject({ status: 'failed', attempts: 2, exit_code: 1 });
    expect(index.days['20230603'].error).toMatch(/20230603/);
    expect(index.days['20230601']).toMatchObject({ status: 'complete', attempts: 1, exit_code: 0, h5: path.join('trend-2023-06-01', 'trend_20230601.h5'), channels_valid: 3 });
    expect(JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'))).toEqual(index);
    for (const tag of ['20230601', '20230602', '20230604']) expect(existsSync(path.join(out, `trend-${tag.slice(0, 4)}-${tag.slice(4, 6)}-${tag.slice(6)}`, `trend_${tag}.h5`))).toBe(true);
    const cp = await readCheckpoint(out, { noun: 'days' });
    expect([...cp.completed.keys()].sort()).toEqual(['20230601', '20230602', '20230604']);
    expect([...cp.failed.keys()]).toEqual(['20230603']);

    // Resume: fix day 3 and run again; finished days are not redone.
    rmSync(path.join(out, 'trend-2023-06-03'));
    const events2: { event: string; day: string }[] = [];
    const index2 = await runLauncher(config, { onEvent: (e) => events2.push(e) });
    expect(events2.filter((e) => e.event === 'start').map((e) => e.day)).toEqual(['20230603']);
    expect(events2.filter((e) => e.event === 'skip-complete').map((e) => e.day).sort()).toEqual(['20230601', '20230602', '20230604']);
    expect(index2.counts).toEqual({ complete: 4, failed: 0, running: 0, pending: 0 });
    expect(index2.days['20230603']).toMatchObject({ status: 'complete', attempts: 3 });
    expect(index2.days['20230603'].error).toBeUndefined();
    const summary = JSON.parse(readFileSync(path.join(out, 'trend-2023-06-03', 'trend_20230603.summary.json'), 'utf8'));
    expect(summary.time_window).toMatchObject({ start_utc: '2023-06-03T00:00:00.000Z', end_utc: '2023-06-03T00:20:00.000Z', duration_seconds: 1200 });
  });

  it('leaves a day held by another live worker pending (exit 75), without retries', async () => {
    const dir = tempDir('launcher-busy');
    const g0 = utcToGps('2023-06-01T00:00:00Z');
    const { ffl } = await writeSyntheticFrames({ dir: path.join(dir, 'frames'), gpsStart: g0, nFrames: 6, frameSeconds: 100, channels: SMALL_CHANNELS as never, fflName: 'trend.ffl' });
    writeFileSync(path.join(dir, 'channels.txt'), SMALL_CHANNELS.map((c) => c.name).join('\n'));
    const out = path.join(dir, 'out');
    mkdirSync(path.join(out, 'trend-2023-06-01'), { recursive: true });
    const lock = await acquireLock(path.join(out, 'trend-2023-06-01', '.day.lock'));
    try {
      const config = loadLauncherConfig({
        flags: { start_date: '2023-06-01', end_date: '2023-06-01', out_dir: out, max_retries: 3, minutes_per_day: 10 },
        workerFlags: { channels_file: path.join(dir, 'channels.txt'), ffl_spec: 'trend', ffl_path: ffl, increment_size: 300 },
      });
      const index = await runLauncher(config);
      expect(index.days['20230601']).toMatchObject({ status: 'pending', attempts: 1, exit_code: 75 });
      expect(index.days['20230601'].error).toMatch(/another worker is converting this day/);
      expect(index.counts).toEqual({ complete: 0, failed: 0, running: 0, pending: 1 });
    } finally {
      await lock.release();
    }
  });

  it('sat-launcher CLI: flags for both tables, exit 0, counts on stdout; exit 2 naming a bad key', async () => {
    const dir = tempDir('launcher-cli');
    const g0 = utcToGps('2023-06-01T00:00:00Z');
    const { ffl } = await writeSyntheticFrames({ dir: path.join(dir, 'frames'), gpsStart: g0, nFrames: 6, frameSeconds: 100, channels: SMALL_CHANNELS as never, fflName: 'trend.ffl' });
    writeFileSync(path.join(dir, 'channels.txt'), SMALL_CHANNELS.map((c) => c.name).join('\n'));
    const out = path.join(dir, 'out');
    const args = ['--start_date', '2023-06-01', '--end_date', '2023-06-01', '--out_dir', out, '--minutes_per_day', '10', '--channels_file', path.join(dir, 'channels.txt'), '--ffl_spec', 'trend', '--ffl_path', ffl, '--increment_size', '300', '--produce_summary', 'false'];
    const r = spawnSync(process.execPath, [bin('sat-launcher.js'), ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ complete: 1, failed: 0, running: 0, pending: 0 });
    expect(existsSync(path.join(out, 'trend-2023-06-01', 'trend_20230601.h5'))).toBe(true);
    expect(existsSync(path.join(out, 'trend-2023-06-01', 'trend_20230601.summary.json'))).toBe(false); // produce_summary = false
    expect(existsSync(path.join(out, 'trend-2023-06-01', 'channels_info', 'channels_coverage.json'))).toBe(false);
    const bad = spawnSync(process.execPath, [bin('sat-launcher.js'), ...args, '--concurrency', '0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/concurrency: /);
  });
});
