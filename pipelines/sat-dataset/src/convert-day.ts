/**
 * The day step of the SAT dataset converter: one day (or part of a day) of
 * frame files listed in an FFL → one HDF5 file `<spec>_YYYYMMDD.h5` with one
 * appendable dataset per channel, NaN where data are missing, resumable
 * after a kill without duplicating or losing a sample.
 *
 * `convertDay` runs named phases: lock, state, reconcile, discovery,
 * increment loop (with flushes), prune, reports.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { acquireLock } from '@astro/checkpoint';
import type { FileLock } from '@astro/checkpoint';
import { GridReader, readFrameFileList, selectFrameFiles } from '@astro/gwf';
import { openHdf5 } from '@astro/hdf5-io';
import { readChannelList } from './config.js';
import type { WorkerConfig } from './config.js';
import { summaryOf, writeChannelLists, writeReports } from './coverage.js';
import type { DaySummary } from './coverage.js';
import { createDayFile, datasetPath, reconcileDayFile, repairPathOf } from './day-file.js';
import { resolveDayPaths } from './day-layout.js';
import type { DayPaths } from './day-layout.js';
import { STATE_VERSION, checkStateMatches, readDayState, recordPruned, statsOf, writeDayState } from './day-state.js';
import type { ChannelStats, DayState } from './day-state.js';
import { dayWindow } from './day-window.js';
import type { DayWindow } from './day-window.js';
import { discoverChannels, resolveFfl } from './discovery.js';
import { SatErrorCode, SatWorkerError } from './errors.js';
import { IncrementBuffers } from './internal/increment-buffers.js';
import { createFileLogger } from './log.js';
import type { SatLogger } from './log.js';

/** Most increments appended at once. */
const MAX_FLUSH_INCREMENTS = 24;

/**
 * A point of the increment loop where a fault can be injected (tests of the
 * resume): `flush:<n>:<i>` — during the n-th flush (from 0), after channel
 * `i` was appended and before the file is flushed; `flushed:<n>` — after
 * the n-th flush reached the file, before `state_day.json` records it.
 */
export type FaultPoint = `flush:${number}:${number}` | `flushed:${number}`;

/** Faults to inject, for tests of crash safety. Never set in production. */
export interface ConvertDayFaults {
  /** Where to fault. */
  killAt?: FaultPoint;
  /** What to do there (default: SIGKILL this process, as a crash). */
  action?: (point: FaultPoint) => void;
}

/** Options of {@link convertDay}. */
export interface ConvertDayOptions {
  /** Stop between increments (state saved; resume later); the summary's status is then `interrupted`. */
  signal?: AbortSignal;
  /** Logger (default: `worker.log` in the day folder). */
  logger?: SatLogger;
  /** Called after each increment read. */
  onProgress?: (p: { done: number; total: number; day: string }) => void;
  /** First retry delay of a read error (default 1000 ms, doubled per retry). */
  retryDelayMs?: number;
  /** Wait this long for another worker converting the same day (default 10 s). */
  lockTimeoutMs?: number;
  /** Fault injection for tests of the resume. */
  faults?: ConvertDayFaults;
}

/** Everything the phases of one day share. */
interface DayRun {
  config: WorkerConfig;
  options: ConvertDayOptions;
  window: DayWindow;
  paths: DayPaths;
  log: SatLogger;
}

/**
 * Convert one day. Returns the summary (also written to
 * `<spec>_YYYYMMDD.summary.json` when `produce_summary`), with `status`
 * `complete` or `interrupted`.
 *
 * @param config - A validated worker configuration (see `loadWorkerConfig`).
 * @param options - Signal, logger, progress, fault injection.
 * @throws {@link SatWorkerError} (`SAT_BUSY` when another worker holds the day,
 * `SAT_STATE`, `SAT_FFL`, `SAT_READ`, `SAT_OUTPUT`), {@link SatConfigError}
 * for the channels file, and the readers' errors for a bad frame file list.
 */
export async function convertDay(config: WorkerConfig, options: ConvertDayOptions = {}): Promise<DaySummary> {
  const window = dayWindow(config);
  const paths = resolveDayPaths(config, window);
  makeDayFolder(paths, window);
  const log = options.logger ?? createFileLogger(paths.log, config.log_level, { day: window.tag, spec: config.ffl_spec });
  if (paths.layout === 'legacy') log.info({ dir: paths.dir }, 'resuming a day folder of the old layout (<out_root>/YYYYMMDD/): its outputs stay there');
  const lock = await lockDay({ config, options, window, paths, log });
  try {
    return await convertLockedDay({ config, options, window, paths, log });
  } finally {
    await lock.release();
  }
}

/** Create the day folder and `channels_info/`. */
function makeDayFolder(paths: DayPaths, window: DayWindow): void {
  try {
    mkdirSync(paths.info, { recursive: true });
  } catch (error) {
    throw new SatWorkerError(`day ${window.tag}: cannot create the day folder ${paths.dir} (${error instanceof Error ? error.message : String(error)})`, {
      code: SatErrorCode.output,
      file: paths.dir,
      cause: error,
    });
  }
}

/**
 * Phase "lock": one worker per day at a time (e.g. an orphaned worker of a
 * killed launcher and its replacement). A dead holder's lock is broken at
 * once on this host, after 10 minutes without heartbeat from another host.
 */
async function lockDay({ options, window, paths, log }: DayRun): Promise<FileLock> {
  try {
    return await acquireLock(paths.lock, { staleMs: 600_000, timeoutMs: options.lockTimeoutMs ?? 10_000, logger: log });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'CHECKPOINT_LOCK_TIMEOUT') throw error;
    throw new SatWorkerError(`day ${window.tag} (${paths.dir}) is being converted by another worker: ${(error as Error).message}`, {
      code: SatErrorCode.busy,
      file: paths.dir,
      cause: error,
    });
  }
}

async function convertLockedDay(run: DayRun): Promise<DaySummary> {
  const { config, window, paths, log } = run;
  const began = performance.now();
  log.info({ start: window.startUtc, end: window.endUtc, startGps: window.startGps, endGps: window.endGps, resume: config.resume }, 'day worker starting');
  if (!config.resume) removeDayOutputs(paths);
  mkdirSync(paths.info, { recursive: true });

  const resumed = await resumeState(run);
  if (resumed.kind === 'complete') return resumed.summary;
  const state = resumed.kind === 'resume' ? resumed.state : await startDay(run);

  const interrupted = await runIncrements(run, state);
  if (interrupted.stopped) {
    log.warn({ done: state.done_increments, total: state.n_increments }, 'interrupted: state saved, resume to continue');
    return { ...summaryOf(state, config, paths, window), status: 'interrupted' };
  }
  const summary = await finishDay(run, state, interrupted.runtimeBefore, interrupted.runStarted);
  log.info(
    { runtime: summary.runtime_seconds, size: summary.output.size_bytes, wall: (performance.now() - began) / 1000, readSeconds: interrupted.timing.read, writeSeconds: interrupted.timing.write },
    'day complete',
  );
  return summary;
}

/** Remove the outputs of a day (fresh start). */
function removeDayOutputs(paths: DayPaths): void {
  for (const f of [paths.h5, paths.summary, paths.state, paths.coverage, repairPathOf(paths.h5), `${paths.h5}.repair`]) rmSync(f, { force: true });
  rmSync(paths.info, { recursive: true, force: true });
}

type Resumed = { kind: 'fresh' } | { kind: 'resume'; state: DayState } | { kind: 'complete'; summary: DaySummary };

/**
 * Phases "state" and "reconcile": read `state_day.json`, refuse a changed
 * configuration, finish a complete day's reports, and bring the day file
 * back to what the state committed (or start again).
 */
async function resumeState({ config, window, paths, log }: DayRun): Promise<Resumed> {
  const restart = (): Resumed => {
    removeDayOutputs(paths);
    mkdirSync(paths.info, { recursive: true });
    return { kind: 'fresh' };
  };
  if (!(config.resume && existsSync(paths.state))) return existsSync(paths.h5) || existsSync(paths.state) ? restart() : { kind: 'fresh' };
  const state = readDayState(paths.state);
  checkStateMatches(state, config, window, paths.state);
  const requestedNow = readChannelList(config.channels_file);
  if (JSON.stringify(requestedNow) !== JSON.stringify(state.requested)) {
    throw new SatWorkerError(
      `${paths.state}: channels_file ${config.channels_file} lists ${requestedNow.length} channels, the day started with ${state.requested.length} (or in another order); run with resume = false to start the day again`,
      { code: SatErrorCode.state, file: paths.state, key: 'channels_file' },
    );
  }
  if (state.status === 'complete' && existsSync(paths.h5)) {
    log.info('day already complete');
    if (config.produce_summary && !existsSync(paths.summary)) await writeReports(state, config, paths, window, log);
    return { kind: 'complete', summary: existsSync(paths.summary) ? (JSON.parse(readFileSync(paths.summary, 'utf8')) as DaySummary) : summaryOf(state, config, paths, window) };
  }
  if (!existsSync(paths.h5) || !(await reconcileDayFile(paths.h5, state, config, log))) return restart();
  log.info({ done: state.done_increments, total: state.n_increments }, 'resuming');
  return { kind: 'resume', state };
}

/** Phase "discovery": the frame files and channels of the window, the day file, the lists and the first state. */
async function startDay({ config, window, paths, log }: DayRun): Promise<DayState> {
  const requested = readChannelList(config.channels_file);
  const fflPath = resolveFfl(config);
  const entries = await readFrameFileList(fflPath);
  const files = selectFrameFiles(entries, window.startGps, window.endGps);
  log.info({ ffl: fflPath, listed: entries.length, inWindow: files.length, requested: requested.length }, 'frame files selected');
  const d = await discoverChannels(files, requested, window.startNs, log);
  const bytesPerIncrement = d.valid.reduce((s, c) => s + Math.ceil(config.increment_size * c.sampleRate) * (c.dtype === 'float32' ? 4 : 8), 0);
  const flushIncrements = Math.max(1, Math.min(MAX_FLUSH_INCREMENTS, Math.floor((config.buffer_mb * 2 ** 20) / Math.max(1, bytesPerIncrement))));
  const now = new Date().toISOString();
  const state: DayState = {
    version: STATE_VERSION,
    status: 'running',
    spec: config.ffl_spec,
    day: window.tag,
    window: { start_utc: window.startUtc, end_utc: window.endUtc, start_gps: window.startGps, end_gps: window.endGps },
    increment_size: config.increment_size,
    n_increments: Math.ceil((window.endGps - window.startGps) / config.increment_size),
    done_increments: 0,
    flush_increments: flushIncrements,
    compression: config.compression,
    h5: path.basename(paths.h5),
    ffl: { path: fflPath, listed: entries.length, files: files.map((f) => ({ path: f.path, gps_start: f.gpsStart, duration: f.durationSeconds })), bad_files: d.badFiles },
    requested,
    invalid: d.invalid,
    pruned: d.pruned,
    masks: d.masks,
    channels: d.valid.map((c) => ({
      name: c.name,
      dataset: datasetPath(c.name),
      sample_rate: c.sampleRate,
      dtype: c.dtype,
      source_dtype: c.sourceDtype,
      kind: c.kind,
      unit: c.unit,
      t0_ns: String(c.t0Ns),
      samples: 0,
      nan: 0,
      missing: 0,
      gaps: 0,
      ends_in_gap: false,
    })),
    started: now,
    updated: now,
    runtime_seconds: 0,
  };
  const clash = new Map<string, string>();
  for (const c of state.channels) {
    const other = clash.get(c.dataset);
    if (other !== undefined) throw new SatWorkerError(`channels "${other}" and "${c.name}" map to the same dataset ${c.dataset}`, { code: SatErrorCode.channels, channel: c.name });
    clash.set(c.dataset, c.name);
  }
  for (const n of d.invalid) log.warn({ channel: n }, 'channel in none of the frame files of the window: not converted');
  for (const x of d.pruned) log.warn({ channel: x.name, reason: x.reason }, 'channel pruned');
  await createDayFile(paths.h5, state, config);
  await writeChannelLists(state, paths);
  await writeDayState(paths.state, state);
  log.info({ valid: state.channels.length, invalid: d.invalid.length, pruned: d.pruned.length, flushEvery: flushIncrements }, 'day file created');
  return state;
}

/** Outcome of the increment loop. */
interface LoopOutcome {
  stopped: boolean;
  runtimeBefore: number;
  runStarted: number;
  /** Seconds spent reading frames (incl. NaN counting) and appending to HDF5 in this run. */
  timing: { read: number; write: number };
}

/**
 * Phase "increment loop": read increments with a GridReader into the
 * buffers, flush every `flush_increments` (append, flush the file, then
 * commit in `state_day.json`), prune channels whose samples stop fitting
 * their grid. Stops between increments when the signal aborts.
 */
async function runIncrements({ config, options, window, paths, log }: DayRun, state: DayState): Promise<LoopOutcome> {
  const runStarted = performance.now();
  const timing = { read: 0, write: 0 };
  const runtimeBefore = state.runtime_seconds;
  const chans = state.channels;
  const buffers = new IncrementBuffers(chans, config.increment_size, state.flush_increments);
  const reader = new GridReader({
    channels: chans.map((c) => ({ name: c.name, sampleRate: c.sample_rate, t0Ns: BigInt(c.t0_ns), dtype: c.dtype, sourceDtype: c.source_dtype })),
    files: state.ffl.files.map((f) => ({ path: f.path, gpsStart: f.gps_start, durationSeconds: f.duration })),
    skipFiles: Object.keys(state.ffl.bad_files),
    maxRetries: config.max_retries,
    retryDelayMs: options.retryDelayMs ?? 1000,
    onRetry: (e) => log.warn({ file: e.file, err: (e.error as Error | undefined)?.message, attempt: e.attempt, waitMs: e.waitMs }, 'read error: retrying'),
  });
  const fault = (point: FaultPoint): void => {
    if (options.faults?.killAt !== point) return;
    if (options.faults.action) options.faults.action(point);
    else process.kill(process.pid, 'SIGKILL');
  };
  let pendingIncrements = 0;
  let flushNo = 0;
  // Statistics of the pending increments (committed with them).
  let staged: ChannelStats[] = chans.map(statsOf);

  /** Append the buffered increments, make them durable, then commit them in state_day.json. */
  const flush = async (): Promise<void> => {
    for (let i = 0; i < chans.length; i++) {
      const reason = staged[i].pruned;
      if (reason && !chans[i].pruned) recordPruned(state, chans[i].name, reason);
    }
    if (pendingIncrements === 0) return;
    const tWrite = performance.now();
    const h = await openHdf5(paths.h5, { mode: 'a' });
    try {
      for (let i = 0; i < chans.length; i++) {
        h.append(chans[i].dataset, buffers.take(i));
        fault(`flush:${flushNo}:${i}`);
      }
      h.flush();
    } finally {
      h.close();
    }
    fault(`flushed:${flushNo}`);
    timing.write += (performance.now() - tWrite) / 1000;
    flushNo++;
    for (let i = 0; i < chans.length; i++) {
      chans[i].samples += buffers.used[i];
      Object.assign(chans[i], staged[i]);
    }
    buffers.reset();
    state.done_increments += pendingIncrements;
    state.updated = new Date().toISOString();
    state.runtime_seconds = runtimeBefore + (performance.now() - runStarted) / 1000;
    await writeDayState(paths.state, state);
    log.debug({ done: state.done_increments, total: state.n_increments }, 'increments committed');
    pendingIncrements = 0;
    staged = chans.map(statsOf);
  };

  let stopped = false;
  try {
    for (let k = state.done_increments; k < state.n_increments; k = state.done_increments + pendingIncrements) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      const aGps = window.startGps + k * config.increment_size;
      const bGps = Math.min(window.endGps, aGps + config.increment_size);
      const tRead = performance.now();
      const r = await reader.read(aGps, bGps, { target: (i, n) => buffers.target(i, n), active: (i) => !staged[i].pruned });
      for (const b of r.badFiles) {
        const message = b.error instanceof Error ? b.error.message : String(b.error);
        state.ffl.bad_files[b.file] = message;
        log.error({ file: b.file, err: message }, 'frame file unreadable: its span becomes a gap');
      }
      // Phase "prune": a channel whose samples stop fitting its grid is NaN from here on.
      for (const m of r.mismatches) {
        staged[m.channel].pruned = m.message;
        log.warn({ channel: chans[m.channel].name, file: m.file, frame: m.frame, reason: m.message }, 'channel pruned from here on (NaN)');
      }
      for (let i = 0; i < chans.length; i++) buffers.keep(i, r.counts[i], r.spans[i], staged[i]);
      pendingIncrements++;
      timing.read += (performance.now() - tRead) / 1000;
      options.onProgress?.({ done: state.done_increments + pendingIncrements, total: state.n_increments, day: window.tag });
      if (pendingIncrements >= state.flush_increments || state.done_increments + pendingIncrements >= state.n_increments) await flush();
    }
  } finally {
    await reader.close();
  }
  if (stopped) await flush();
  return { stopped, runtimeBefore, runStarted, timing };
}

/** Phase "reports": final attributes, state `complete`, then summary, coverage and lists. */
async function finishDay({ config, window, paths, log }: DayRun, state: DayState, runtimeBefore: number, runStarted: number): Promise<DaySummary> {
  const h = await openHdf5(paths.h5, { mode: 'a' });
  try {
    h.setAttrs('/', { completed: new Date().toISOString(), n_increments: state.n_increments });
    for (const c of state.channels) if (c.pruned) h.setAttrs(c.dataset, { pruned: c.pruned });
  } finally {
    h.close();
  }
  state.status = 'complete';
  state.updated = new Date().toISOString();
  state.runtime_seconds = runtimeBefore + (performance.now() - runStarted) / 1000;
  await writeDayState(paths.state, state);
  return config.produce_summary ? await writeReports(state, config, paths, window, log) : summaryOf(state, config, paths, window);
}

