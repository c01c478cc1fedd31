/**
 * Launcher: convert a range of days with bounded concurrency, staggered
 * starts and retries; resumable (`index.json` + checkpoint store in `out_dir`).
 *
 *   sat-launcher --config launcher.toml [--start_date 2023-06-01 --end_date 2023-06-03 ...]
 *
 * Exit codes: 0 done, 2 bad configuration, 3 some days failed, 130 interrupted.
 *
 * @module
 */
import { Command } from 'commander';
import { LAUNCHER_CONFIG_KEYS, WORKER_CONFIG_KEYS, loadLauncherConfig, runLauncher } from '../index.js';
import type { LauncherConfig, LauncherWorkerConfig } from '../index.js';

const LAUNCHER_KEYS = LAUNCHER_CONFIG_KEYS;
// Worker keys a launcher passes on: not the window and out_root (set per day), not
// max_retries (its own flag, --worker_max_retries) and not resume (a launcher always resumes).
const PER_DAY = new Set(['start_dt', 'end_dt', 'out_root', 'max_retries', 'resume']);
const WORKER_KEYS = WORKER_CONFIG_KEYS.filter((k) => !PER_DAY.has(k));
const program = new Command('sat-launcher')
  .description('Run SAT day workers over a date range')
  .option('--config <file>', 'TOML file with [launcher] and [worker] tables')
  .option('--worker_max_retries <n>', 'worker key max_retries (retries of I/O errors inside a day)');
for (const k of LAUNCHER_KEYS) program.option(`--${k} <value>`, `launcher key ${k}`);
for (const k of WORKER_KEYS) program.option(`--${k} <value>`, `worker key ${k}`);
program.parse();
const o = program.opts<Record<string, string | undefined>>();

let config: { launcher: LauncherConfig; worker: LauncherWorkerConfig };
try {
  config = loadLauncherConfig({
    file: o.config,
    flags: Object.fromEntries(LAUNCHER_KEYS.map((k) => [k, o[k]])),
    workerFlags: { ...Object.fromEntries(WORKER_KEYS.map((k) => [k, o[k]])), max_retries: o.worker_max_retries },
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
const index = await runLauncher(config, {
  signal: controller.signal,
  onEvent: (e) => console.log(`${new Date().toISOString()} ${e.day} ${e.event}${e.attempt ? ` attempt ${e.attempt}` : ''}${e.code !== undefined ? ` exit ${e.code}` : ''}`),
});
console.log(JSON.stringify(index.counts));
process.exitCode = (index.counts?.failed ?? 0) > 0 ? 3 : controller.signal.aborted ? 130 : 0;
