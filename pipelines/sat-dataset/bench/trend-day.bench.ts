/**
 * Converting a synthetic day of trend data: 2,000 channels at 1 Hz (float64,
 * zlib), 864 frames of 100 s (one per file), to one HDF5 day file (gzip,
 * default settings). Target: under a minute on one core.
 *
 * The frames are written once with @astro/gwf's writer into
 * $SAT_BENCH_DIR (default <tmpdir>/sat-bench-trend-2000x864) and reused:
 * writing them takes many minutes (the writer issues several awaited writes
 * per channel and frame).
 *
 * Reference measured in the same run: h5py 3.7 appending the same samples the
 * same way (one resize + write per channel per 4 h block, chunked, shuffle +
 * gzip level 4), i.e. the HDF5 side of the seed tool.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { utcToGps } from '@astro/gwf';
import { convertDay, loadWorkerConfig, writeSyntheticFrames } from '@astro/sat-dataset';

const N_CHANNELS = 2000;
const N_FRAMES = 864;
const DATE = '2023-05-24';
const dataDir = process.env.SAT_BENCH_DIR ?? path.join(tmpdir(), `sat-bench-trend-${N_CHANNELS}x${N_FRAMES}`);
const names = Array.from({ length: N_CHANNELS }, (_, i) => `V1:TREND_${String(i).padStart(4, '0')}_mean`);
const work = mkdtempSync(path.join(tmpdir(), 'sat-bench-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function ensureFrames(): Promise<string> {
  const ffl = path.join(dataDir, 'frames.ffl');
  const marker = path.join(dataDir, 'COMPLETE');
  if (existsSync(marker)) return ffl;
  console.log(`writing ${N_FRAMES} frames x ${N_CHANNELS} channels to ${dataDir} (once; this takes several minutes)`);
  const t = performance.now();
  await writeSyntheticFrames({
    dir: dataDir,
    gpsStart: utcToGps(`${DATE}T00:00:00Z`),
    nFrames: N_FRAMES,
    frameSeconds: 100,
    channels: names.map((name) => ({ name, sampleRate: 1 })),
    parallelFiles: 8,
  });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  console.log(`frames written in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return ffl;
}

const H5PY_REFERENCE = `
import h5py, numpy as np, sys, time
n_ch, n_per_day, block = int(sys.argv[2]), 86400, 14400
t = time.perf_counter()
with h5py.File(sys.argv[1], 'w') as f:
    g = f.create_group('channels')
    ds = [g.create_dataset('V1:TREND_%04d_mean' % i, shape=(0,), maxshape=(None,), dtype='f8', chunks=(block,), compression='gzip', compression_opts=4, shuffle=True) for i in range(n_ch)]
    k0 = int(sys.argv[3])
    for b in range(0, n_per_day, block):
        k = k0 + b + np.arange(block)
        for i, d in enumerate(ds):
            d.resize((b + block,))
            d[b:b + block] = (i + 1) * 1000 + (k % 4096) / 4
print(time.perf_counter() - t)
`;

describe('SAT dataset converter: one synthetic trend day', () => {
  bench(
    `${N_CHANNELS} channels x 1 Hz x 86400 s (${N_FRAMES} frames of 100 s) -> HDF5`,
    async () => {
      const ffl = await ensureFrames();
      const channelsFile = path.join(work, 'channels.txt');
      writeFileSync(channelsFile, `${names.join('\n')}\n`);
      const out = path.join(work, 'out');
      rmSync(out, { recursive: true, force: true });
      const cfg = loadWorkerConfig({
        flags: { start_dt: `${DATE}T00:00:00`, end_dt: '2023-05-25T00:00:00', channels_file: channelsFile, ffl_spec: 'trend', ffl_path: ffl, out_root: out },
      });
      const t = performance.now();
      const summary = await convertDay(cfg);
      const seconds = (performance.now() - t) / 1000;
      const log = readFileSync(path.join(out, 'trend-2023-05-24', 'worker.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const done = log.find((l) => l.msg === 'day complete');
      const samples = N_CHANNELS * 86400;
      console.log(
        `convert: ${seconds.toFixed(1)} s (read ${done.readSeconds.toFixed(1)} s, HDF5 append ${done.writeSeconds.toFixed(1)} s, rest ${(seconds - done.readSeconds - done.writeSeconds).toFixed(1)} s); ` +
          `${(samples / seconds / 1e6).toFixed(2)} M samples/s, ${((N_CHANNELS * N_FRAMES) / seconds / 1000).toFixed(1)} k channel-frames/s; ` +
          `output ${(summary.output.size_bytes / 1e6).toFixed(0)} MB; ${(seconds / 60).toFixed(2)} x the 60 s target`,
      );
      const py = spawnSync('/usr/bin/python3', ['-c', H5PY_REFERENCE, path.join(work, 'ref.h5'), String(N_CHANNELS), String(utcToGps(`${DATE}T00:00:00Z`))], { encoding: 'utf8' });
      if (py.status === 0) {
        const ref = Number(py.stdout.trim());
        console.log(`reference h5py 3.7 appending the same samples (gzip 4 + shuffle): ${ref.toFixed(1)} s; our HDF5 append / h5py = ${(done.writeSeconds / ref).toFixed(2)}`);
      } else console.log(`h5py reference skipped (${py.stderr.trim().split('\n').at(-1) ?? 'no /usr/bin/python3 with h5py'})`);
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
