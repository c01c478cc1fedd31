/**
 * Day worker: convert one day of frames to `<spec>_YYYYMMDD.h5`.
 *
 *   sat-worker --config day.toml [--start_dt ... --end_dt ... (any key overrides the file)]
 *
 * Exit codes: 0 complete, 1 error, 2 bad configuration, 75 day busy (another
 * worker holds it), 130 interrupted (state saved).
 *
 * @module
 */
import { Command } from 'commander';
import { SatErrorCode, WORKER_CONFIG_KEYS, convertDay, loadWorkerConfig } from '../index.js';
import type { WorkerConfig } from '../index.js';

const KEYS = WORKER_CONFIG_KEYS;

const program = new Command('sat-worker')
  .description('Convert one day of GWF frames (FFL list) into one HDF5 file per day')
  .option('--config <file>', 'TOML file (keys at top level or in [worker])');
for (const k of KEYS) program.option(`--${k} <value>`, `config key ${k}`);
program.parse();
const opts = program.opts<Record<string, string | undefined>>();

let config: WorkerConfig;
try {
  config = loadWorkerConfig({ file: opts.config, flags: Object.fromEntries(KEYS.map((k) => [k, opts[k]])) });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
try {
  const summary = await convertDay(config, { signal: controller.signal });
  console.log(JSON.stringify({ status: summary.status, day: summary.day, file: summary.output.file, channels: summary.channels.valid, chunks: summary.chunks, runtime_seconds: summary.runtime_seconds }));
  process.exitCode = summary.status === 'complete' ? 0 : 130;
} catch (error) {
  console.error(`sat-worker: ${(error as Error).message}`);
  process.exitCode = (error as { code?: unknown }).code === SatErrorCode.busy ? 75 : 1;
}
