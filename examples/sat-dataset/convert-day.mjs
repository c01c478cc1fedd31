#!/usr/bin/env node
// Library use of @astro/sat-dataset: convert one day of Virgo frame files
// (GWF, listed in an FFL or LAL cache) to one HDF5 file, stop cleanly on
// Ctrl-C (run it again to resume), print the coverage and plot it.
//
//   node convert-day.mjs day.toml            # your day (see day.toml)
//   node convert-day.mjs                     # a synthetic hour with a gap, no data needed
//
// The same as `sat-worker --config day.toml`, as a script you can adapt.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { utcToGps } from '@astro/gwf';
import { convertDay, dayPaths, dayWindow, loadWorkerConfig, writeCoveragePlot, writeSyntheticFrames } from '@astro/sat-dataset';

const [configFile] = process.argv.slice(2);
let config;
if (configFile) {
  // TOML keys (top level or a [worker] table), validated; errors name the file and key.
  config = loadWorkerConfig({ file: configFile });
} else {
  // No data at hand: one synthetic hour of 100 s frames with a 10-minute gap.
  const work = mkdtempSync(path.join(tmpdir(), 'sat-example-'));
  const g0 = utcToGps('2023-06-01T00:00:00Z');
  const channels = [
    { name: 'V1:ENV_CEB_TEMP_mean', sampleRate: 1, unit: 'degC' },
    { name: 'V1:LSC_DARM_50Hz', sampleRate: 50, dtype: /** @type {const} */ ('float32'), unit: 'm' },
  ];
  const { ffl } = await writeSyntheticFrames({
    dir: path.join(work, 'frames'),
    gpsStart: g0,
    nFrames: 36,
    frameSeconds: 100,
    framesPerFile: 3,
    gaps: [[g0 + 1200, g0 + 1800]],
    channels,
    fflName: 'trend.ffl',
  });
  const channelsFile = path.join(work, 'channels.txt');
  writeFileSync(channelsFile, `${channels.map((c) => c.name).join('\n')}\nV1:NOT_IN_THE_FRAMES\n`);
  config = loadWorkerConfig({
    flags: {
      start_dt: '2023-06-01T00:00:00',
      end_dt: '2023-06-01T01:00:00',
      channels_file: channelsFile,
      ffl_spec: 'trend',
      ffl_path: ffl,
      out_root: path.join(work, 'out'),
      increment_size: 300,
    },
  });
}

// Ctrl-C / SIGTERM: the worker stops between increments with its state saved;
// running the script again resumes where it stopped.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

const summary = await convertDay(config, {
  signal: controller.signal,
  onProgress: (p) => {
    if (p.done === p.total || p.done % 12 === 0) console.log(`${p.day}: increment ${p.done}/${p.total}`);
  },
});
console.log(JSON.stringify({ status: summary.status, file: summary.output.file, channels: summary.channels, seconds_covered: summary.ffl.seconds_covered }, null, 2));
if (summary.status !== 'complete') {
  process.exitCode = 130;
} else {
  // <out_root>/<spec>-YYYY-MM-DD/: the day file, summary, worker.log, state_day.json, channels_info/.
  const paths = dayPaths(config, dayWindow(config));
  const coverage = JSON.parse(readFileSync(paths.coverage, 'utf8'));
  for (const [name, c] of Object.entries(coverage.channels)) {
    console.log(`${name.padEnd(24)} ${c.status.padEnd(8)} ${c.missing_fraction === undefined ? '' : `missing ${(100 * c.missing_fraction).toFixed(1)}%`}`);
  }
  const png = await writeCoveragePlot(paths.h5, path.join(paths.dir, `${config.ffl_spec}_${summary.day}.coverage.png`), { bins: 60 });
  console.log(`outputs: ${paths.dir}`);
  console.log(`plot: ${png}`);
}
