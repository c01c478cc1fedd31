/**
 * The launcher: run day workers over a date range as child processes, with
 * bounded concurrency, staggered starts and retries; a global `index.json`;
 * a checkpoint store (`@astro/checkpoint`, noun `days`) so that a restarted
 * launcher, or several launchers on one `out_dir`, skip finished days.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCheckpointStore } from '@astro/checkpoint';
import { sleep, writeFileAtomic } from '@astro/core';
import { stringify as toToml } from 'smol-toml';
import type { LauncherConfig, LauncherWorkerConfig } from './config.js';
import type { DaySummary } from './coverage.js';
import { resolveDayPaths } from './day-layout.js';
import { createFileLogger } from './log.js';

/** The worker program (`bin/sat-worker.js`, which runs the compiled `dist/cli/sat-worker.js`). */
export const WORKER_BIN = fileURLToPath(new URL('../bin/sat-worker.js', import.meta.url));

/** A day of a launcher run. */
export interface LauncherDay {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `YYYYMMDD`. */
  tag: string;
  /** Window start, UTC ISO. */
  start_dt: string;
  /** Window end, UTC ISO. */
  end_dt: string;
}

/** The days of a launcher run, in order (both ends included, `limit_days`, `minutes_per_day`). */
export function launcherDays(l: LauncherConfig): LauncherDay[] {
  const out: LauncherDay[] = [];
  const last = Date.parse(`${l.end_date}T00:00:00Z`);
  for (let t = Date.parse(`${l.start_date}T00:00:00Z`); t <= last; t += 86_400_000) {
    const start = new Date(t);
    const end = new Date(t + (l.minutes_per_day ?? 1440) * 60_000);
    const date = start.toISOString().slice(0, 10);
    out.push({ date, tag: date.replaceAll('-', ''), start_dt: start.toISOString(), end_dt: end.toISOString() });
    if (l.limit_days !== undefined && out.length >= l.limit_days) break;
  }
  return out;
}


/** A launcher event (for progress output). */
export interface LauncherEvent {
  /** `start`, `exit`, `skip-complete` or `skip-busy`. */
  event: 'start' | 'exit' | 'skip-complete' | 'skip-busy';
  /** `YYYYMMDD`. */
  day: string;
  /** Attempt number (start, exit). */
  attempt?: number;
  /** Exit code of the worker (exit; null when killed by a signal). */
  code?: number | null;
}

/** Options of {@link runLauncher}. */
export interface LauncherOptions {
  /** Stop starting days; running workers get SIGTERM (they save their state). */
  signal?: AbortSignal;
  /** Worker script (default {@link WORKER_BIN}). */
  workerBin?: string;
  /** Called on each event. */
  onEvent?: (e: LauncherEvent) => void;
}

/** Status of a day in `index.json`. */
export type DayStatus = 'pending' | 'running' | 'complete' | 'failed';

/** A day's entry in `index.json`. */
export interface IndexDay {
  date: string;
  status: DayStatus;
  attempts: number;
  started?: string;
  finished?: string;
  exit_code?: number | null;
  error?: string;
  /** Day file, relative to `out_dir`. */
  h5?: string;
  /** Summary, relative to `out_dir` (null without `produce_summary`). */
  summary?: string | null;
  runtime_seconds?: number | null;
  channels_valid?: number | null;
  size_bytes?: number | null;
}

/** Content of `index.json`. */
export interface LauncherIndex {
  days: Record<string, IndexDay>;
  out_dir?: string;
  spec?: string;
  range?: { start_date: string; end_date: string; limit_days: number | null; minutes_per_day: number | null };
  updated?: string;
  counts?: Record<DayStatus, number>;
}

/**
 * Run the days. Resolves with the final index (also in `<out_dir>/index.json`).
 *
 * @param config - The `[launcher]` and `[worker]` tables (see `loadLauncherConfig`).
 */
export async function runLauncher(config: { launcher: LauncherConfig; worker: LauncherWorkerConfig }, options: LauncherOptions = {}): Promise<LauncherIndex> {
  const l = config.launcher;
  const outDir = path.resolve(l.out_dir);
  mkdirSync(path.join(outDir, 'configs'), { recursive: true });
  const log = createFileLogger(path.join(outDir, 'launcher.log'), config.worker.log_level);
  const days = launcherDays(l);
  const indexPath = path.join(outDir, 'index.json');
  let index: LauncherIndex = { days: {} };
  if (existsSync(indexPath)) {
    try {
      index = JSON.parse(readFileSync(indexPath, 'utf8')) as LauncherIndex;
      index.days ??= {};
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'index.json unreadable: rebuilt from the checkpoint store');
      index = { days: {} };
    }
  }
  index.out_dir = outDir;
  index.spec = config.worker.ffl_spec;
  index.range = { start_date: l.start_date, end_date: l.end_date, limit_days: l.limit_days ?? null, minutes_per_day: l.minutes_per_day ?? null };
  let writing = Promise.resolve();
  const saveIndex = (): Promise<void> => {
    index.updated = new Date().toISOString();
    const counts: Record<DayStatus, number> = { complete: 0, failed: 0, running: 0, pending: 0 };
    for (const d of days) counts[index.days[d.tag]?.status ?? 'pending']++;
    index.counts = counts;
    const text = `${JSON.stringify(index, null, 1)}\n`;
    writing = writing.then(() => writeFileAtomic(indexPath, text));
    return writing;
  };

  const store = await openCheckpointStore(outDir, { noun: 'days', staleMs: 60_000, progressSums: { total_channels: 'channels' } });
  await store.setTotal(days.length);
  const emit = options.onEvent ?? (() => undefined);
  let lastStart = 0;
  let startGate = Promise.resolve();
  const children = new Set<ChildProcess>();
  const onAbort = (): void => {
    for (const c of children) c.kill('SIGTERM');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  /**
   * Run `start` in this worker's start slot: at least stagger_seconds after the
   * previous start returned (so spawns, and their events, are that far apart
   * even when a spawn is slow). Resolves with `start`'s result, or undefined
   * when the launcher was stopped while waiting.
   */
  const staggered = <T>(start: () => T): Promise<T | undefined> => {
    const gate = startGate.then(async () => {
      const wait = lastStart + l.stagger_seconds * 1000 - Date.now();
      if (wait > 0) await sleep(wait, options.signal);
      if (options.signal?.aborted) return undefined;
      const started = start();
      lastStart = Date.now();
      return started;
    });
    startGate = gate.then(
      () => undefined,
      () => undefined,
    );
    return gate;
  };

  const runDay = async (day: LauncherDay): Promise<void> => {
    const claim = await store.claim(day.tag, { retryFailed: true });
    const entry = (index.days[day.tag] ??= { date: day.date, status: 'pending', attempts: 0 });
    if (claim === 'completed') {
      entry.status = 'complete';
      emit({ event: 'skip-complete', day: day.tag });
      return;
    }
    if (claim === 'busy') {
      emit({ event: 'skip-busy', day: day.tag });
      log.info({ day: day.tag }, 'day claimed by another launcher: skipped');
      return;
    }
    const cfgFile = path.join(outDir, 'configs', `${day.tag}.toml`);
    const workerCfg = { ...config.worker, start_dt: day.start_dt, end_dt: day.end_dt, out_root: outDir, resume: true };
    await writeFileAtomic(cfgFile, toToml({ worker: workerCfg }));
    let code: number | null = null;
    let stderr = '';
    for (let attempt = 1; attempt <= l.max_retries + 1; attempt++) {
      // Spawn in the start slot (stagger measured between spawns), then record it.
      // (The promise is wrapped: an async step would otherwise wait for the worker's exit.)
      const slot = await staggered(() => {
        const worker = { run: runWorker(options.workerBin ?? WORKER_BIN, cfgFile, children) };
        emit({ event: 'start', day: day.tag, attempt });
        return worker;
      });
      if (slot === undefined) break;
      const { run } = slot;
      entry.status = 'running';
      entry.attempts = (entry.attempts ?? 0) + 1;
      entry.started = new Date().toISOString();
      log.info({ day: day.tag, attempt }, 'worker started');
      await saveIndex();
      ({ code, stderr } = await run);
      emit({ event: 'exit', day: day.tag, attempt, code });
      log.info({ day: day.tag, attempt, code }, 'worker exited');
      if (code === 0 || code === 2 || code === 75 || options.signal?.aborted) break;
    }
    entry.finished = new Date().toISOString();
    entry.exit_code = code;
    // Where the worker wrote the day (a legacy folder is resumed in place).
    const paths = resolveDayPaths({ out_root: outDir, ffl_spec: config.worker.ffl_spec, resume: true }, day);
    if (code === 0) {
      let summary: Partial<DaySummary> = {};
      try {
        summary = JSON.parse(readFileSync(paths.summary, 'utf8')) as DaySummary;
      } catch {
        // produce_summary = false
      }
      entry.status = 'complete';
      entry.h5 = path.relative(outDir, paths.h5);
      entry.summary = existsSync(paths.summary) ? path.relative(outDir, paths.summary) : null;
      entry.runtime_seconds = summary.runtime_seconds ?? null;
      entry.channels_valid = summary.channels?.valid ?? null;
      entry.size_bytes = summary.output?.size_bytes ?? null;
      delete entry.error;
      await store.complete(day.tag, { channels: entry.channels_valid ?? 0, attempts: entry.attempts });
    } else if (options.signal?.aborted || code === 75) {
      entry.status = 'pending';
      entry.error =
        code === 75
          ? 'another worker is converting this day (e.g. left running by a killed launcher); run the launcher again later'
          : 'interrupted (the worker saved its state; run the launcher again to resume)';
      await store.release(day.tag);
    } else {
      entry.status = 'failed';
      entry.error = stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`;
      await store.fail(day.tag, entry.error);
      log.error({ day: day.tag, code, err: entry.error }, 'day failed');
    }
    await saveIndex();
  };

  for (const d of days) index.days[d.tag] ??= { date: d.date, status: 'pending', attempts: 0 };
  await saveIndex();
  try {
    let next = 0;
    const lanes = Array.from({ length: Math.min(l.concurrency, days.length) }, async () => {
      while (next < days.length && !options.signal?.aborted) {
        const day = days[next++];
        await runDay(day);
      }
    });
    await Promise.all(lanes);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await saveIndex();
    await writing;
    await store.close();
  }
  log.info({ counts: index.counts }, 'launcher finished');
  return index;
}

/** Run one worker process; resolves with its exit code (null when killed) and the end of its stderr. */
function runWorker(bin: string, cfgFile: string, children: Set<ChildProcess>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--config', cfgFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000);
    });
    child.on('error', (error) => {
      children.delete(child);
      resolve({ code: 1, stderr: error.message });
    });
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stderr });
    });
  });
}
