/**
 * Demo of the SAT dataset converter, no data needed: write 4 hours of
 * synthetic Virgo-like frames (100 s frames, a 40-minute gap, a channel that
 * appears late, one that changes rate, one that does not exist) with
 * `@astro/gwf`'s writer, convert them to one HDF5 day file, print the
 * coverage summary and write a coverage plot.
 *
 *   sat-demo [OUT_DIR]
 *
 * @module
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { utcToGps } from '@astro/gwf';
import { convertDay, dayPaths, dayWindow, loadWorkerConfig, writeCoveragePlot, writeSyntheticFrames } from '../index.js';
import type { DayCoverage, SyntheticChannel } from '../index.js';

const work = process.argv[2] ? path.resolve(process.argv[2]) : mkdtempSync(path.join(tmpdir(), 'sat-demo-'));
mkdirSync(work, { recursive: true });
const g0 = utcToGps('2023-06-01T00:00:00Z');
const hours = 4;
const channels: SyntheticChannel[] = [
  { name: 'V1:ENV_CEB_TEMP_mean', sampleRate: 1, unit: 'degC' },
  { name: 'V1:ENV_CEB_TEMP_rms', sampleRate: 1, unit: 'degC' },
  { name: 'V1:SUS_NE_F0_ACC_mean', sampleRate: 1, unit: 'm/s^2' },
  { name: 'V1:LSC_DARM_50Hz', sampleRate: 50, dtype: 'float32', unit: 'm' },
  { name: 'V1:ADC_COUNTS_16Hz', sampleRate: 16, dtype: 'int16', unit: 'counts' },
  { name: 'V1:ENV_WIND_SPEED_mean', sampleRate: 1, unit: 'm/s', absent: { fromGps: g0, toGps: g0 + 9000 } },
  { name: 'V1:SEISMIC_RATE_CHANGE', sampleRate: 4, unit: 'um/s', rateChange: { fromGps: g0 + 10800, sampleRate: 8 } },
];
console.log(`writing ${hours} h of synthetic frames to ${path.join(work, 'frames')} ...`);
const { ffl, files } = await writeSyntheticFrames({
  dir: path.join(work, 'frames'),
  gpsStart: g0,
  nFrames: (hours * 3600) / 100,
  frameSeconds: 100,
  framesPerFile: 6,
  gaps: [[g0 + 4200, g0 + 6600]],
  channels,
  fflName: 'trend.ffl',
});
console.log(`${files.length} frame files, gap 01:10-01:50 UTC`);
const channelsFile = path.join(work, 'channels.txt');
writeFileSync(channelsFile, `# demo channel list\n${channels.map((c) => c.name).join('\n')}\nV1:DOES_NOT_EXIST\n`);

const config = loadWorkerConfig({
  flags: {
    start_dt: '2023-06-01T00:00:00',
    end_dt: `2023-06-01T0${hours}:00:00`,
    channels_file: channelsFile,
    ffl_spec: 'trend',
    ffl_path: ffl,
    out_root: path.join(work, 'out'),
    increment_size: 600,
    resume: false,
  },
});
const summary = await convertDay(config, {
  onProgress: (p) => {
    if (process.stdout.isTTY) process.stdout.write(`\rconverting ${p.day}: increment ${p.done}/${p.total}`);
    else if (p.done === p.total) process.stdout.write(`converted ${p.day}: ${p.total} increments`);
  },
});
process.stdout.write('\n');
const paths = dayPaths(config, dayWindow(config));
const coverage = JSON.parse(readFileSync(paths.coverage, 'utf8')) as DayCoverage;
console.log(
  `\n${summary.output.file}: ${summary.channels.valid} valid, ${summary.channels.invalid} invalid, ${summary.channels.pruned} pruned channels; ${(summary.output.size_bytes / 1e6).toFixed(2)} MB; ${summary.runtime_seconds} s`,
);
console.log('\nchannel                         rate  dtype    samples   missing  gaps  coverage mask (per frame file)');
for (const [name, c] of Object.entries(coverage.channels)) {
  if (c.status === 'invalid') {
    console.log(`${name.padEnd(30)}  (invalid: in no frame file)`);
    continue;
  }
  console.log(
    `${name.padEnd(30)} ${String(c.sample_rate).padStart(5)}  ${String(c.dtype).padEnd(7)} ${String(c.total_samples).padStart(8)}  ${(100 * (c.missing_fraction ?? 0)).toFixed(1).padStart(6)}%  ${String(c.n_gaps).padStart(4)}  ${c.coverage_mask}${c.status === 'pruned' ? `  PRUNED: ${c.pruned}` : ''}`,
  );
}
const png = await writeCoveragePlot(paths.h5, path.join(paths.dir, `trend_${summary.day}.coverage.png`), { bins: 48 });
console.log(`\noutputs: ${paths.dir}`);
console.log(`summary: ${paths.summary}`);
console.log(`plot: ${png}`);
