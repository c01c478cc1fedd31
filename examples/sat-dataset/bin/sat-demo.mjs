#!/usr/bin/env node
// Demo of the SAT dataset creator, no data needed: write 4 hours of synthetic
// Virgo-like frames (100 s frames, a 40-minute gap, a channel that appears
// late, one that changes rate, one that does not exist) with @astro/gwf's
// writer, convert them to one HDF5 day file, print the coverage summary and
// write a coverage plot.
//
//   node bin/sat-demo.mjs [OUT_DIR]
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { utcToGps } from '@astro/gwf';
import { loadWorkerConfig } from '../src/config.mjs';
import { writeCoveragePlot } from '../src/plot.mjs';
import { writeSyntheticFrames } from '../src/synthetic.mjs';
import { convertDay } from '../src/worker.mjs';

const work = process.argv[2] ? path.resolve(process.argv[2]) : mkdtempSync(path.join(tmpdir(), 'sat-demo-'));
mkdirSync(work, { recursive: true });
const g0 = utcToGps('2023-06-01T00:00:00Z');
const hours = 4;
const channels = [
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

const cfg = loadWorkerConfig({
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
const summary = await convertDay(cfg, {
  onProgress: (p) => {
    if (process.stdout.isTTY) process.stdout.write(`\rconverting ${p.day}: increment ${p.done}/${p.total}`);
    else if (p.done === p.total) process.stdout.write(`converted ${p.day}: ${p.total} increments`);
  },
});
process.stdout.write('\n');
const dayDir = path.join(work, 'out', summary.day);
const coverage = JSON.parse(readFileSync(path.join(dayDir, 'channels_coverage.json'), 'utf8'));
console.log(`\n${summary.output.file}: ${summary.channels.valid} valid, ${summary.channels.invalid} invalid, ${summary.channels.pruned} pruned channels; ${(summary.output.size_bytes / 1e6).toFixed(2)} MB; ${summary.runtime_seconds} s`);
console.log('\nchannel                         rate  dtype    samples   missing  gaps  coverage mask (per frame file)');
for (const [name, c] of Object.entries(coverage.channels)) {
  const cc = /** @type {any} */ (c);
  if (cc.status === 'invalid') {
    console.log(`${name.padEnd(30)}  (invalid: in no frame file)`);
    continue;
  }
  console.log(
    `${name.padEnd(30)} ${String(cc.sample_rate).padStart(5)}  ${cc.dtype.padEnd(7)} ${String(cc.total_samples).padStart(8)}  ${(100 * cc.missing_fraction).toFixed(1).padStart(6)}%  ${String(cc.n_gaps).padStart(4)}  ${cc.coverage_mask}${cc.status === 'pruned' ? `  PRUNED: ${cc.pruned}` : ''}`,
  );
}
const png = await writeCoveragePlot(path.join(dayDir, summary.output.file), path.join(dayDir, `trend_${summary.day}.coverage.png`), { bins: 48 });
console.log(`\noutputs: ${dayDir}`);
console.log(`summary: ${path.join(dayDir, `trend_${summary.day}.summary.json`)}`);
console.log(`plot: ${png}`);
