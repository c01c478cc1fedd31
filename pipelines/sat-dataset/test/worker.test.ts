import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { utcToGps } from '@astro/gwf';
import { openHdf5 } from '@astro/hdf5-io';
import { SMALL_CHANNELS, bin, faultWorker, smallDay, tempDir } from './helpers.js';
import { convertDay, loadWorkerConfig, syntheticValue } from '@astro/sat-dataset';

type Cfg = ReturnType<typeof loadWorkerConfig>;

function config(d: { ffl: string; channelsFile: string; date: string }, outRoot: string, extra: Record<string, unknown> = {}): Cfg {
  return loadWorkerConfig({
    flags: {
      start_dt: `${d.date}T00:00:00`,
      end_dt: `${d.date}T00:40:00`,
      channels_file: d.channelsFile,
      ffl_spec: 'trend',
      ffl_path: d.ffl,
      out_root: outRoot,
      increment_size: 300,
      ...extra,
    },
  });
}

async function readDay(file: string) {
  const h = await openHdf5(file);
  try {
    const out: Record<string, { data: Float32Array | Float64Array; attrs: Record<string, unknown>; chunks?: number[] }> = {};
    for (const e of h.list('/channels')) {
      out[e.name] = { data: h.read(e.path) as Float64Array, attrs: h.attrs(e.path), chunks: h.info(e.path).chunks };
    }
    return { root: h.attrs('/'), channels: out };
  } finally {
    h.close();
  }
}

/** Expected sample at index i of a channel on the window starting at g0 (NaN inside the gap). */
function expected(index: number, rate: number, g0: number, i: number, dtype?: string): number {
  const t = g0 + i / rate;
  if (t >= g0 + 700 && t < g0 + 1000) return NaN;
  const v = syntheticValue(index, Math.round(g0 * rate) + i);
  if (dtype === 'int16') return new Int16Array([v])[0];
  if (dtype === 'float32') return Math.fround(v);
  return v;
}

describe('day worker on a synthetic day with a gap', () => {
  it('writes exact sample counts, NaN in the gap, the values of the frames, attributes and reports', async () => {
    const dir = tempDir('worker');
    const d = await smallDay(dir, {
      requested: [...SMALL_CHANNELS.map((c) => c.name), 'V1:NOT_THERE'],
    });
    const summary = await convertDay(config(d, path.join(dir, 'out')));
    expect(summary.status).toBe('complete');
    const dayDir = path.join(dir, 'out', 'trend-2023-06-01');
    const day = await readDay(path.join(dayDir, 'trend_20230601.h5'));
    expect(Object.keys(day.channels).sort()).toEqual(SMALL_CHANNELS.map((c) => c.name).sort());
    SMALL_CHANNELS.forEach((c, index) => {
      const got = day.channels[c.name];
      expect(got.data.length).toBe(2400 * c.sampleRate);
      expect(got.data).toBeInstanceOf(c.dtype === 'float32' ? Float32Array : Float64Array);
      let nan = 0;
      for (let i = 0; i < got.data.length; i++) {
        const want = expected(index, c.sampleRate, d.g0, i, c.dtype);
        if (Number.isNaN(want)) {
          nan++;
          if (!Number.isNaN(got.data[i])) throw new Error(`${c.name}[${i}] = ${got.data[i]}, expected NaN (gap)`);
        } else if (got.data[i] !== want) throw new Error(`${c.name}[${i}] = ${got.data[i]}, expected ${want}`);
      }
      expect(nan).toBe(300 * c.sampleRate);
      expect(got.attrs).toMatchObject({ channel: c.name, sample_rate: c.sampleRate, unit: 'counts', t0: d.g0, t0_ns: BigInt(d.g0) * 1_000_000_000n });
    });
    expect(day.root).toMatchObject({
      start: '2023-06-01T00:00:00.000Z',
      end: '2023-06-01T00:40:00.000Z',
      start_gps: d.g0,
      end_gps: d.g0 + 2400,
      increment_size: 300,
      spec: 'trend',
    });
    expect(String(day.root.created)).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    // Summary
    expect(summary.time_window).toEqual({
      start_utc: '2023-06-01T00:00:00.000Z',
      end_utc: '2023-06-01T00:40:00.000Z',
      start_gps: d.g0,
      end_gps: d.g0 + 2400,
      duration_seconds: 2400,
    });
    expect(summary.chunks).toMatchObject({ total: 8, done: 8 });
    expect(summary.channels).toMatchObject({ requested: 4, valid: 3, invalid: 1, pruned: 0, invalid_channels: ['V1:NOT_THERE'] });
    expect(summary.ffl).toMatchObject({ files_in_window: d.files.length, seconds_covered: 2100 });
    expect(summary.output.size_bytes).toBeGreaterThan(1000);
    expect(JSON.parse(readFileSync(path.join(dayDir, 'trend_20230601.summary.json'), 'utf8'))).toEqual(summary);

    // Coverage
    const cov = JSON.parse(readFileSync(path.join(dayDir, 'channels_info', 'channels_coverage.json'), 'utf8'));
    expect(cov.files).toEqual(d.files.map((f) => path.basename(f.path)));
    const a = cov.channels['V1:TREND_A_1Hz'];
    expect(a).toMatchObject({ status: 'valid', sample_rate: 1, dtype: 'float64', total_samples: 2400, n_gaps: 1, coverage_mask: '1'.repeat(d.files.length) });
    expect(a.missing_fraction).toBeCloseTo(300 / 2400, 12);
    expect(a.nan_fraction).toBeCloseTo(300 / 2400, 12);
    expect(cov.channels['V1:INT_C_16Hz']).toMatchObject({ dtype: 'float64', source_dtype: 'int16', total_samples: 38400 });
    expect(cov.channels['V1:NOT_THERE']).toEqual({ status: 'invalid', coverage_mask: '0'.repeat(d.files.length) });

    // Channel lists and log
    const info = (n: string) => readFileSync(path.join(dayDir, 'channels_info', n), 'utf8');
    expect(info('requested_channels.txt')).toBe(`${[...SMALL_CHANNELS.map((c) => c.name), 'V1:NOT_THERE'].join('\n')}\n`);
    expect(info('valid_channels.txt')).toBe(`${SMALL_CHANNELS.map((c) => c.name).join('\n')}\n`);
    expect(info('invalid_channels.txt')).toBe('V1:NOT_THERE\n');
    expect(info('pruned_channels.txt')).toBe('');
    const log = readFileSync(path.join(dayDir, 'worker.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(l.time))).toBe(true);
    expect(log.at(-1).msg).toBe('day complete');
    expect(readdirSync(dayDir).filter((n) => n.includes('.astro-tmp-') || n.endsWith('.repair'))).toEqual([]);
  });

  it('prunes channels that change rate and lists channels in no file as invalid', async () => {
    const dir = tempDir('prune');
    const g0 = utcToGps('2023-06-01T00:00:00Z');
    // A rate change at 1200 s and a channel absent from the first 1200 s.
    const d = await smallDay(dir, {
      extra: [
        { name: 'V1:RATE_CHANGE', sampleRate: 4, index: 7, rateChange: { fromGps: g0 + 1200, sampleRate: 8 } },
        { name: 'V1:LATE', sampleRate: 2, index: 8, absent: { fromGps: g0, toGps: g0 + 1200 } },
      ],
      requested: [...SMALL_CHANNELS.map((c) => c.name), 'V1:RATE_CHANGE', 'V1:LATE', 'V1:NOPE'],
    });
    const summary = await convertDay(config(d, path.join(dir, 'out')));
    expect(summary.channels.invalid_channels).toEqual(['V1:NOPE']);
    expect(summary.channels.pruned_channels).toEqual([{ name: 'V1:RATE_CHANGE', reason: `sample rate changed from 4 Hz to 8 Hz at GPS ${d.g0 + 1200}` }]);
    expect(summary.channels.valid_channels).toEqual([...SMALL_CHANNELS.map((c) => c.name), 'V1:LATE']);
    const dayDir = path.join(dir, 'out', 'trend-2023-06-01');
    expect(readFileSync(path.join(dayDir, 'channels_info', 'pruned_channels.txt'), 'utf8')).toMatch(/^V1:RATE_CHANGE\t# sample rate changed/);
    const day = await readDay(path.join(dayDir, 'trend_20230601.h5'));
    const rc = day.channels['V1:RATE_CHANGE'];
    expect(rc.attrs.pruned).toMatch(/sample rate changed/);
    expect(rc.data.length).toBe(2400 * 4); // same length as a whole day at the original rate
    expect(rc.data.slice(0, 700 * 4).every((v, i) => v === syntheticValue(7, Math.round(d.g0 * 4) + i))).toBe(true);
    expect(rc.data.slice(1200 * 4).every((v) => Number.isNaN(v))).toBe(true);
    const late = day.channels['V1:LATE'];
    expect(late.data.length).toBe(4800);
    expect(late.data.slice(0, 2400).every((v) => Number.isNaN(v))).toBe(true);
    expect(late.data.slice(2400).every((v, i) => v === syntheticValue(8, Math.round((d.g0 + 1200) * 2) + i))).toBe(true);
    const cov = JSON.parse(readFileSync(path.join(dayDir, 'channels_info', 'channels_coverage.json'), 'utf8'));
    expect(cov.channels['V1:LATE'].coverage_mask).toBe(d.files.map((f) => (f.gpsStart >= g0 + 1200 ? '1' : '0')).join(''));
    expect(cov.channels['V1:LATE'].coverage_mask).toMatch(/^0+1+$/);
    expect(cov.channels['V1:LATE'].n_gaps).toBe(1); // [0, 1200 s) incl. the frame gap
    expect(cov.channels['V1:TREND_A_1Hz'].n_gaps).toBe(1);
    expect(cov.channels['V1:RATE_CHANGE']).toMatchObject({ status: 'pruned' });
  });

  it('a corrupt frame file becomes a gap, named in the summary and the log', async () => {
    const dir = tempDir('corrupt');
    const d = await smallDay(dir);
    const victim = d.files[5].path;
    const bytes = readFileSync(victim);
    writeFileSync(victim, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const summary = await convertDay(config(d, path.join(dir, 'out'), { max_retries: 0 }), { retryDelayMs: 1 });
    expect(summary.status).toBe('complete');
    expect(Object.keys(summary.ffl.bad_files)).toEqual([victim]);
    expect(summary.ffl.bad_files[victim]).toMatch(/GWF: .*truncat/i);
    const day = await readDay(path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5'));
    const a = day.channels['V1:TREND_A_1Hz'].data;
    const f = d.files[5];
    const i0 = f.gpsStart - d.g0;
    expect(a.slice(i0, i0 + f.durationSeconds).every((v) => Number.isNaN(v))).toBe(true);
    expect(a[i0 - 1]).toBe(syntheticValue(0, d.g0 + i0 - 1));
    expect(Number.isNaN(a[i0 + f.durationSeconds])).toBe(false);
  });

  it('stops between increments on abort and resumes to the same file as an uninterrupted run', async () => {
    const dir = tempDir('abort');
    const d = await smallDay(dir);
    const ref = await convertDay(config(d, path.join(dir, 'ref'), { buffer_mb: 0.001 }));
    const controller = new AbortController();
    const part = await convertDay(config(d, path.join(dir, 'out'), { buffer_mb: 0.001 }), {
      signal: controller.signal,
      onProgress: (p) => p.done === 3 && controller.abort(),
    });
    expect(part.status).toBe('interrupted');
    expect(part.chunks.done).toBe(3);
    const resumed = await convertDay(config(d, path.join(dir, 'out'), { buffer_mb: 0.001 }));
    expect(resumed.status).toBe('complete');
    const a = await readDay(path.join(dir, 'ref', 'trend-2023-06-01', 'trend_20230601.h5'));
    const b = await readDay(path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5'));
    for (const c of SMALL_CHANNELS) expect(Buffer.from(b.channels[c.name].data.buffer)).toEqual(Buffer.from(a.channels[c.name].data.buffer));
    expect(resumed.channels).toEqual(ref.channels);
    expect(JSON.parse(readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'channels_info', 'channels_coverage.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(path.join(dir, 'ref', 'trend-2023-06-01', 'channels_info', 'channels_coverage.json'), 'utf8')),
    );
  });
});

describe('resume after SIGKILL of the worker process', () => {
  function tomlFor(d: { ffl: string; channelsFile: string; date: string }, outRoot: string, file: string) {
    writeFileSync(
      file,
      [
        '[worker]',
        `start_dt = "${d.date}T00:00:00"`,
        `end_dt = "${d.date}T00:40:00"`,
        `channels_file = "${d.channelsFile}"`,
        'ffl_spec = "trend"',
        `ffl_path = "${d.ffl}"`,
        `out_root = "${outRoot}"`,
        'increment_size = 120',
        'buffer_mb = 0.001',
        'log_level = "debug"',
        '',
      ].join('\n'),
    );
    return file;
  }

  it.each([
    ['in the middle of an append (appended data not yet flushed)', 'flush:5:1', false],
    ['after the file was flushed, before the state was saved', 'flushed:5', true],
  ])('killed %s: no duplicated or lost sample', async (_label, killAt, repaired) => {
    const dir = tempDir('kill');
    const d = await smallDay(dir);
    const refCfg = tomlFor(d, path.join(dir, 'ref'), path.join(dir, 'ref.toml'));
    const cfg = tomlFor(d, path.join(dir, 'out'), path.join(dir, 'out.toml'));
    expect(spawnSync(process.execPath, [bin('sat-worker.js'), '--config', refCfg]).status).toBe(0);
    // The fault is injected through convertDay's `faults` option by a child script of the test.
    const killed = spawnSync(process.execPath, [faultWorker, '--config', cfg, '--kill-at', killAt]);
    expect(killed.signal).toBe('SIGKILL');
    const state = JSON.parse(readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'state_day.json'), 'utf8'));
    expect(state.done_increments).toBe(5);
    const h5 = path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5');
    const partial = await readDay(h5);
    // On disk: the 6th increment when the file was flushed; before the flush HDF5
    // may or may not have written it (its metadata cache decides).
    const onDisk = partial.channels['V1:FAST_B_64Hz'].data.length;
    if (repaired) expect(onDisk).toBe(6 * 120 * 64);
    else expect([5 * 120 * 64, 6 * 120 * 64]).toContain(onDisk);
    const longer = onDisk > 5 * 120 * 64;
    const resumed = spawnSync(process.execPath, [bin('sat-worker.js'), '--config', cfg], { encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    const a = await readDay(path.join(dir, 'ref', 'trend-2023-06-01', 'trend_20230601.h5'));
    const b = await readDay(h5);
    for (const c of SMALL_CHANNELS) {
      expect(b.channels[c.name].data.length).toBe(2400 * c.sampleRate);
      expect(Buffer.from(b.channels[c.name].data.buffer)).toEqual(Buffer.from(a.channels[c.name].data.buffer));
      expect(b.channels[c.name].attrs).toEqual(a.channels[c.name].attrs);
    }
    const log = readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'worker.log'), 'utf8');
    expect(/uncommitted samples from the interrupted run/.test(log)).toBe(longer);
    expect(log).toMatch(/"msg":"resuming"/);
    expect(existsSync(`${h5}.repair`)).toBe(false);
  });

  it('SIGTERM stops the worker between increments: exit 130, state saved, resume completes', async () => {
    const dir = tempDir('term');
    const d = await smallDay(dir);
    const cfg = tomlFor(d, path.join(dir, 'out'), path.join(dir, 'out.toml'));
    const statePath = path.join(dir, 'out', 'trend-2023-06-01', 'state_day.json');
    const child = spawn(process.execPath, [bin('sat-worker.js'), '--config', cfg], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => {
      let sent = false; // one signal: a second one kills the worker at once (as a second Ctrl-C)
      const timer = setInterval(() => {
        try {
          if (!sent && existsSync(statePath) && JSON.parse(readFileSync(statePath, 'utf8')).done_increments >= 2) {
            sent = child.kill('SIGTERM');
          }
        } catch {
          // being replaced
        }
      }, 5);
      child.on('exit', (c) => {
        clearInterval(timer);
        resolve(c);
      });
    });
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    // 20 increments; the signal comes after the 2nd.
    expect(code).toBe(130);
    expect(state.status).toBe('running');
    expect(state.done_increments).toBeLessThan(state.n_increments);
    const log = readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'worker.log'), 'utf8');
    expect(log).toMatch(/interrupted: state saved, resume to continue/);
    const again = spawnSync(process.execPath, [bin('sat-worker.js'), '--config', cfg], { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    const b = await readDay(path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5'));
    for (const c of SMALL_CHANNELS) expect(b.channels[c.name].data.length).toBe(2400 * c.sampleRate);
  });

  it('killed at random moments, resumed each time: identical to an uninterrupted run', async () => {
    const dir = tempDir('killrand');
    const d = await smallDay(dir);
    const refCfg = tomlFor(d, path.join(dir, 'ref'), path.join(dir, 'ref.toml'));
    const cfg = tomlFor(d, path.join(dir, 'out'), path.join(dir, 'out.toml'));
    expect(spawnSync(process.execPath, [bin('sat-worker.js'), '--config', refCfg]).status).toBe(0);
    const statePath = path.join(dir, 'out', 'trend-2023-06-01', 'state_day.json');
    let kills = 0;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [bin('sat-worker.js'), '--config', cfg], { stdio: 'ignore' });
      // Kill once the state has advanced (or the worker ends on its own).
      const before = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).done_increments : -1;
      const code = await new Promise<number | null>((resolve) => {
        const timer = setInterval(() => {
          try {
            const now = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).done_increments : -1;
            if (now > before) setTimeout(() => child.kill('SIGKILL'), 5 + Math.floor(Math.random() * 40));
          } catch {
            // state being replaced: read again
          }
        }, 5);
        child.on('exit', (c) => {
          clearInterval(timer);
          resolve(c);
        });
      });
      if (code === 0) break;
      kills++;
    }
    const final = spawnSync(process.execPath, [bin('sat-worker.js'), '--config', cfg], { encoding: 'utf8' });
    expect(final.status, final.stderr).toBe(0);
    expect(kills).toBeGreaterThan(0);
    const a = await readDay(path.join(dir, 'ref', 'trend-2023-06-01', 'trend_20230601.h5'));
    const b = await readDay(path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5'));
    for (const c of SMALL_CHANNELS) expect(Buffer.from(b.channels[c.name].data.buffer)).toEqual(Buffer.from(a.channels[c.name].data.buffer));
    const ca = JSON.parse(readFileSync(path.join(dir, 'ref', 'trend-2023-06-01', 'channels_info', 'channels_coverage.json'), 'utf8'));
    const cb = JSON.parse(readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'channels_info', 'channels_coverage.json'), 'utf8'));
    expect(cb).toEqual(ca);
  });
});
