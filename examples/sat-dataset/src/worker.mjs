// The day worker of the SAT dataset creator: one day (or part of a day) of
// frame files listed in an FFL → one HDF5 file `<spec>_YYYYMMDD.h5` with one
// appendable dataset per channel, NaN where data are missing, resumable after
// a kill without duplicating or losing a sample.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { acquireLock } from '@astro/checkpoint';
import { writeFileAtomic } from '@astro/core';
import { GwfFile, readFrameFileList, selectFrameFiles, toGpsNanoseconds, utcToGps } from '@astro/gwf';
import { openHdf5 } from '@astro/hdf5-io';
import { readChannelList } from './config.mjs';
import { IncrementReader, isBadFileError } from './increment-reader.mjs';
import { createFileLogger } from './log.mjs';

export const STATE_FILE = 'state_day.json';
export const STATE_VERSION = 1;
const MAX_FLUSH_INCREMENTS = 24;

/** Error of a day conversion (not of one file or channel: those are recorded and the day goes on). */
export class SatWorkerError extends Error {
  /**
   * @param {string} message
   * @param {{ code: string, file?: string, cause?: unknown }} options
   */
  constructor(message, options) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SatWorkerError';
    this.code = options.code;
    this.file = options.file;
  }
}

/**
 * The UTC window of a worker configuration, in GPS, and its day tag.
 * @param {{ start_dt: Date, end_dt: Date }} cfg
 */
export function dayWindow(cfg) {
  const startGps = utcToGps(cfg.start_dt);
  const endGps = utcToGps(cfg.end_dt);
  const tag = cfg.start_dt.toISOString().slice(0, 10).replaceAll('-', '');
  return {
    tag,
    startUtc: cfg.start_dt.toISOString(),
    endUtc: cfg.end_dt.toISOString(),
    startGps,
    endGps,
    startNs: toGpsNanoseconds(startGps),
    endNs: toGpsNanoseconds(endGps),
  };
}

/**
 * Output paths of a day.
 * @param {{ out_root: string, ffl_spec: string }} cfg
 * @param {string} tag
 */
export function dayPaths(cfg, tag) {
  const dir = path.join(cfg.out_root, tag);
  const base = `${cfg.ffl_spec}_${tag}`;
  return {
    dir,
    h5: path.join(dir, `${base}.h5`),
    summary: path.join(dir, `${base}.summary.json`),
    state: path.join(dir, STATE_FILE),
    log: path.join(dir, 'worker.log'),
    coverage: path.join(dir, 'channels_coverage.json'),
    info: path.join(dir, 'channels_info'),
  };
}

/**
 * The FFL (or LAL cache) to read: `ffl_path` itself when it is a file,
 * `<ffl_path>/<ffl_spec>.ffl` (or `.cache`, `.lcf`) when it is a directory.
 * @param {{ ffl_path: string, ffl_spec: string }} cfg
 */
export function resolveFfl(cfg) {
  let st;
  try {
    st = statSync(cfg.ffl_path);
  } catch (error) {
    throw new SatWorkerError(`ffl_path ${cfg.ffl_path}: does not exist`, { code: 'SAT_FFL', file: cfg.ffl_path, cause: error });
  }
  if (!st.isDirectory()) return cfg.ffl_path;
  for (const ext of ['.ffl', '.cache', '.lcf']) {
    const p = path.join(cfg.ffl_path, `${cfg.ffl_spec}${ext}`);
    if (existsSync(p)) return p;
  }
  throw new SatWorkerError(`ffl_path ${cfg.ffl_path}: is a directory without ${cfg.ffl_spec}.ffl (ffl_spec names the list)`, {
    code: 'SAT_FFL',
    file: cfg.ffl_path,
  });
}

/** Dataset path of a channel (`/` cannot appear in an HDF5 link name). */
export function datasetPath(/** @type {string} */ name) {
  return `/channels/${name.replaceAll('/', '_')}`;
}

/**
 * Chunk length of a channel dataset: whole increments, so that appends of
 * `flushIncrements` increments fill whole chunks; long increments are split.
 * @param {number} perIncrement samples per increment
 * @param {number} itemBytes
 * @param {number} flushIncrements
 */
export function chunkLength(perIncrement, itemBytes, flushIncrements) {
  const n = Math.max(1, perIncrement);
  const big = 1 << 20;
  if (n * itemBytes > big) {
    const limit = Math.floor(big / itemBytes);
    for (let d = limit; d >= 1024; d--) if (n % d === 0) return d;
    return limit;
  }
  let k = 1;
  for (let d = flushIncrements; d >= 1; d--) {
    if (flushIncrements % d === 0 && n * d * itemBytes <= 512 * 1024) {
      k = d;
      break;
    }
  }
  return n * k;
}

/**
 * @typedef {object} ChannelState
 * @property {string} name
 * @property {string} dataset
 * @property {number} sample_rate
 * @property {'float32'|'float64'} dtype        stored type
 * @property {string} source_dtype
 * @property {string} kind
 * @property {string} unit
 * @property {string} t0_ns                     GPS ns of sample 0 of the dataset (string: exact)
 * @property {number} samples                   samples committed to the file
 * @property {number} nan                       NaN among them (padding included)
 * @property {number} missing                   padded samples (no data in any file)
 * @property {number} gaps                      runs of padded samples
 * @property {boolean} ends_in_gap
 * @property {string} [pruned]                  reason, when pruned during the day
 */

/**
 * Open each frame file of the window once (TOC only): which channels each has,
 * and the metadata (rate, type, unit, sample offset) of each requested channel
 * from the first file that has it.
 * @param {{ path: string }[]} files
 * @param {string[]} requested
 * @param {bigint} startNs
 * @param {import('pino').Logger} log
 */
async function discoverChannels(files, requested, startNs, log) {
  const want = new Set(requested);
  /** @type {Map<string, Uint8Array>} */
  const presence = new Map(requested.map((n) => [n, new Uint8Array(files.length)]));
  /** @type {Map<string, { sampleRate: number, dtype: string, kind: string, unit: string, firstNs: bigint }>} */
  const meta = new Map();
  /** @type {Record<string, string>} */
  const badFiles = {};
  for (let i = 0; i < files.length; i++) {
    let f;
    try {
      f = GwfFile.openSync(files[i].path);
    } catch (error) {
      if (!isBadFileError(error)) throw new SatWorkerError(`${files[i].path}: ${/** @type {Error} */ (error).message}`, { code: 'SAT_READ', file: files[i].path, cause: error });
      badFiles[files[i].path] = /** @type {Error} */ (error).message;
      log.error({ file: files[i].path, err: /** @type {Error} */ (error).message }, 'frame file unreadable: its span becomes a gap');
      continue;
    }
    try {
      const names = f.channelNames();
      /** @type {string[]} */
      const fresh = [];
      for (const n of names) {
        if (!want.has(n)) continue;
        /** @type {Uint8Array} */ (presence.get(n))[i] = 1;
        if (!meta.has(n)) fresh.push(n);
      }
      if (fresh.length === 0) continue;
      // Metadata of channels seen for the first time, frame by frame.
      const todo = new Set(fresh);
      for (const frame of f.frames) {
        if (todo.size === 0) break;
        if (![...todo].some((n) => f.hasChannel(n, frame.index))) continue;
        const content = await f.readFrame(frame.index);
        for (const { record, vector } of content.channels) {
          if (!todo.has(record.name) || !vector) continue;
          todo.delete(record.name);
          const rate = record.sampleRate > 0 ? record.sampleRate : vector.dx[0] > 0 ? 1 / vector.dx[0] : 0;
          const firstNs = frame.t0Gps + BigInt(Math.round(((record.timeOffset ?? 0) + (vector.startX[0] ?? 0)) * 1e9));
          meta.set(record.name, { sampleRate: rate, dtype: vector.dtype, kind: record.kind, unit: vector.unitY || record.units || '', firstNs });
        }
      }
    } catch (error) {
      if (!isBadFileError(error)) throw new SatWorkerError(`${files[i].path}: ${/** @type {Error} */ (error).message}`, { code: 'SAT_READ', file: files[i].path, cause: error });
      badFiles[files[i].path] = /** @type {Error} */ (error).message;
      log.error({ file: files[i].path, err: /** @type {Error} */ (error).message }, 'frame file unreadable: its span becomes a gap');
      for (const p of presence.values()) p[i] = 0;
    } finally {
      await f.close();
    }
  }
  /** @type {string[]} */
  const invalid = [];
  /** @type {{ name: string, reason: string }[]} */
  const pruned = [];
  /** @type {{ name: string, sampleRate: number, dtype: 'float32'|'float64', sourceDtype: string, kind: string, unit: string, t0Ns: bigint }[]} */
  const valid = [];
  for (const name of requested) {
    const m = meta.get(name);
    if (!m) {
      invalid.push(name);
      continue;
    }
    if (m.kind === 'ser') pruned.push({ name, reason: 'serial data (FrSerData) is not a time series' });
    else if (m.dtype.startsWith('complex')) pruned.push({ name, reason: `type ${m.dtype} is not supported (real samples only)` });
    else if (!(m.sampleRate > 0)) pruned.push({ name, reason: 'no sample rate' });
    else if (m.dtype === 'string' || m.dtype === 'none') pruned.push({ name, reason: `type ${m.dtype} is not numeric` });
    else {
      // Sample 0 of the dataset: the first grid point at or after the window start.
      const step = 1e9 / m.sampleRate;
      let off = Number(m.firstNs - startNs) % step;
      if (off < 0) off += step;
      if (step - off < 0.5) off = 0;
      valid.push({
        name,
        sampleRate: m.sampleRate,
        dtype: m.dtype === 'float32' ? 'float32' : 'float64',
        sourceDtype: m.dtype,
        kind: m.kind,
        unit: m.unit,
        t0Ns: startNs + BigInt(Math.round(off)),
      });
    }
  }
  const masks = Object.fromEntries([...presence].map(([n, p]) => [n, Array.from(p, (x) => (x ? '1' : '0')).join('')]));
  return { valid, invalid, pruned, masks, badFiles };
}

/**
 * @param {string} file
 * @returns {any}
 */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * @param {string} file
 * @param {unknown} value
 */
async function writeJsonAtomic(file, value) {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
}

/**
 * Create the day file: attributes and one empty appendable dataset per
 * channel (our HDF5 writer, atomically), ready for appends in mode 'a'.
 * @param {string} file
 * @param {any} state
 * @param {{ compression: 'gzip'|'lzf'|'none', compression_level: number, ffl_spec: string, ffl_path: string }} cfg
 */
async function createDayFile(file, state, cfg) {
  const h = await openHdf5(file, { mode: 'w' });
  try {
    h.setAttrs('/', {
      spec: cfg.ffl_spec,
      day: state.day,
      start: state.window.start_utc,
      end: state.window.end_utc,
      start_gps: state.window.start_gps,
      end_gps: state.window.end_gps,
      created: new Date().toISOString(),
      increment_size: state.increment_size,
      ffl: state.ffl.path,
      compression: cfg.compression,
      creator: '@astro-examples/sat-dataset',
    });
    h.createGroup('/channels');
    for (const c of state.channels) {
      const itemBytes = c.dtype === 'float32' ? 4 : 8;
      const perInc = Math.ceil(state.increment_size * c.sample_rate);
      h.createDataset(c.dataset, {
        dtype: c.dtype,
        shape: [0],
        maxshape: [null],
        chunks: [chunkLength(perInc, itemBytes, state.flush_increments)],
        compression: cfg.compression,
        // Byte shuffle before gzip/lzf (h5py: shuffle=True): floats compress several times better.
        shuffle: cfg.compression !== 'none',
        ...(cfg.compression === 'gzip' ? { level: cfg.compression_level } : {}),
      });
      h.setAttrs(c.dataset, {
        channel: c.name,
        sample_rate: c.sample_rate,
        unit: c.unit,
        t0: Number(BigInt(c.t0_ns)) / 1e9,
        t0_ns: BigInt(c.t0_ns),
        source_dtype: c.source_dtype,
        kind: c.kind,
      });
    }
  } catch (error) {
    try {
      h.close();
    } catch {
      // keep the first error
    }
    rmSync(file, { force: true });
    throw error;
  }
  h.close();
}

/**
 * After a kill during an append, some datasets may hold samples beyond what
 * state_day.json committed. Rewrite the file with the committed samples only
 * (to a temporary name, then rename). Returns false when the file cannot be
 * used (the day then restarts).
 * @param {string} file
 * @param {any} state
 * @param {any} cfg
 * @param {import('pino').Logger} log
 */
async function reconcileDayFile(file, state, cfg, log) {
  let h;
  try {
    h = await openHdf5(file, { mode: 'r' });
  } catch (error) {
    log.warn({ err: /** @type {Error} */ (error).message }, 'day file unreadable after the interruption: restarting the day');
    return false;
  }
  /** @type {string[]} */
  const longer = [];
  try {
    for (const c of state.channels) {
      const n = h.has(c.dataset) ? h.info(c.dataset).shape[0] : -1;
      if (n < c.samples) {
        log.warn({ channel: c.name, inFile: n, committed: c.samples }, 'day file has fewer samples than committed: restarting the day');
        return false;
      }
      if (n > c.samples) longer.push(c.name);
    }
  } finally {
    h.close();
  }
  if (longer.length === 0) return true;
  log.warn({ channels: longer.length }, 'uncommitted samples from the interrupted run: rewriting the day file with the committed samples only');
  const temp = `${file}.repair`;
  rmSync(temp, { force: true });
  try {
    await createDayFile(temp, state, cfg);
    const src = await openHdf5(file, { mode: 'r' });
    const dst = await openHdf5(temp, { mode: 'a' });
    try {
      const created = dst.attrs('/').created;
      dst.setAttrs('/', { ...src.attrs('/'), created });
      const block = 1 << 20;
      for (const c of state.channels) {
        for (let s = 0; s < c.samples; s += block) dst.append(c.dataset, src.read(c.dataset, { start: s, end: Math.min(c.samples, s + block) }));
      }
    } finally {
      src.close();
      dst.close();
    }
    renameSync(temp, file);
    return true;
  } catch (error) {
    rmSync(temp, { force: true });
    log.warn({ err: /** @type {Error} */ (error).message }, 'cannot repair the day file: restarting the day');
    return false;
  }
}

/**
 * Remove the outputs of a day (fresh start).
 * @param {ReturnType<typeof dayPaths>} p
 */
function removeDayOutputs(p) {
  for (const f of [p.h5, p.summary, p.state, p.coverage, `${p.h5}.repair`]) rmSync(f, { force: true });
  rmSync(p.info, { recursive: true, force: true });
}

/**
 * @typedef {object} ConvertDayOptions
 * @property {AbortSignal} [signal]          stop between increments (state saved; resume later)
 * @property {import('pino').Logger} [logger] default: worker.log in the day directory
 * @property {(p: { done: number, total: number, day: string }) => void} [onProgress]
 * @property {number} [retryDelayMs]        first retry delay (default 1000, doubled per retry)
 * @property {number} [lockTimeoutMs]       wait this long for another worker converting the same day (default 10 s)
 */

/**
 * Convert one day. Returns the summary (also written to
 * `<spec>_YYYYMMDD.summary.json` when `produce_summary`), with `status`
 * 'complete' or 'interrupted'.
 * @param {import('./config.mjs').WorkerConfig} cfg
 * @param {ConvertDayOptions} [options]
 */
export async function convertDay(cfg, options = {}) {
  const win = dayWindow(cfg);
  const p = dayPaths(cfg, win.tag);
  mkdirSync(p.info, { recursive: true });
  const log = options.logger ?? createFileLogger(p.log, cfg.log_level, { day: win.tag, spec: cfg.ffl_spec });
  // One worker per day at a time (e.g. an orphaned worker of a killed launcher
  // and its replacement). A dead holder's lock is broken at once on this host,
  // after 10 minutes without heartbeat from another host.
  let lock;
  try {
    lock = await acquireLock(path.join(p.dir, '.day.lock'), { staleMs: 600_000, timeoutMs: options.lockTimeoutMs ?? 10_000, logger: log });
  } catch (error) {
    const e = /** @type {any} */ (error);
    if (e?.code !== 'CHECKPOINT_LOCK_TIMEOUT') throw error;
    throw new SatWorkerError(`day ${win.tag} (${p.dir}) is being converted by another worker: ${e.message}`, { code: 'SAT_BUSY', file: p.dir, cause: error });
  }
  try {
    return await convertDayLocked(cfg, options, win, p, log);
  } finally {
    await lock.release();
  }
}

/**
 * @param {import('./config.mjs').WorkerConfig} cfg
 * @param {ConvertDayOptions} options
 * @param {ReturnType<typeof dayWindow>} win
 * @param {ReturnType<typeof dayPaths>} p
 * @param {import('pino').Logger} log
 */
async function convertDayLocked(cfg, options, win, p, log) {
  const began = performance.now();
  const retryDelayMs = options.retryDelayMs ?? 1000;
  log.info({ start: win.startUtc, end: win.endUtc, startGps: win.startGps, endGps: win.endGps, resume: cfg.resume }, 'day worker starting');

  if (!cfg.resume) removeDayOutputs(p);
  mkdirSync(p.info, { recursive: true });

  /** @type {any} */
  let state;
  if (cfg.resume && existsSync(p.state)) {
    try {
      state = readJson(p.state);
    } catch (error) {
      throw new SatWorkerError(`${p.state}: cannot read the day state (${/** @type {Error} */ (error).message}); remove it or run with resume = false`, {
        code: 'SAT_STATE',
        file: p.state,
        cause: error,
      });
    }
    checkStateMatches(state, cfg, win, p.state);
    const requestedNow = readChannelList(cfg.channels_file);
    if (JSON.stringify(requestedNow) !== JSON.stringify(state.requested)) {
      throw new SatWorkerError(
        `${p.state}: channels_file ${cfg.channels_file} lists ${requestedNow.length} channels, the day started with ${state.requested.length} (or in another order); run with resume = false to start the day again`,
        { code: 'SAT_STATE', file: p.state },
      );
    }
    if (state.status === 'complete' && existsSync(p.h5)) {
      log.info('day already complete');
      if (cfg.produce_summary && !existsSync(p.summary)) await writeReports(state, cfg, p, win, log);
      return existsSync(p.summary) ? readJson(p.summary) : summaryOf(state, cfg, p, win);
    }
    if (!existsSync(p.h5) || !(await reconcileDayFile(p.h5, state, cfg, log))) {
      removeDayOutputs(p);
      mkdirSync(p.info, { recursive: true });
      state = undefined;
    } else {
      log.info({ done: state.done_increments, total: state.n_increments }, 'resuming');
    }
  } else if (existsSync(p.h5) || existsSync(p.state)) {
    removeDayOutputs(p);
    mkdirSync(p.info, { recursive: true });
  }

  if (!state) {
    const requested = readChannelList(cfg.channels_file);
    const fflPath = resolveFfl(cfg);
    const entries = await readFrameFileList(fflPath);
    const files = selectFrameFiles(entries, win.startGps, win.endGps);
    log.info({ ffl: fflPath, listed: entries.length, inWindow: files.length, requested: requested.length }, 'frame files selected');
    const d = await discoverChannels(files, requested, win.startNs, log);
    const bytesPerIncrement = d.valid.reduce((s, c) => s + Math.ceil(cfg.increment_size * c.sampleRate) * (c.dtype === 'float32' ? 4 : 8), 0);
    const flushIncrements = Math.max(1, Math.min(MAX_FLUSH_INCREMENTS, Math.floor((cfg.buffer_mb * 2 ** 20) / Math.max(1, bytesPerIncrement))));
    state = {
      version: STATE_VERSION,
      status: 'running',
      spec: cfg.ffl_spec,
      day: win.tag,
      window: { start_utc: win.startUtc, end_utc: win.endUtc, start_gps: win.startGps, end_gps: win.endGps },
      increment_size: cfg.increment_size,
      n_increments: Math.ceil((win.endGps - win.startGps) / cfg.increment_size),
      done_increments: 0,
      flush_increments: flushIncrements,
      compression: cfg.compression,
      h5: path.basename(p.h5),
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
      started: new Date().toISOString(),
      updated: new Date().toISOString(),
      runtime_seconds: 0,
    };
    const clash = new Map();
    for (const c of state.channels) {
      if (clash.has(c.dataset)) throw new SatWorkerError(`channels "${clash.get(c.dataset)}" and "${c.name}" map to the same dataset ${c.dataset}`, { code: 'SAT_CHANNELS' });
      clash.set(c.dataset, c.name);
    }
    for (const n of d.invalid) log.warn({ channel: n }, 'channel in none of the frame files of the window: not converted');
    for (const x of d.pruned) log.warn({ channel: x.name, reason: x.reason }, 'channel pruned');
    await createDayFile(p.h5, state, cfg);
    await writeChannelLists(state, p);
    await writeJsonAtomic(p.state, state);
    log.info({ valid: state.channels.length, invalid: d.invalid.length, pruned: d.pruned.length, flushEvery: flushIncrements }, 'day file created');
  }

  const runStarted = performance.now();
  /** Seconds spent reading frames (incl. NaN counting) and appending to HDF5 in this run. */
  const timing = { read: 0, write: 0 };
  const runtimeBefore = state.runtime_seconds;
  const entries = state.ffl.files.map((/** @type {any} */ f) => ({ path: f.path, gpsStart: f.gps_start, durationSeconds: f.duration }));
  const chans = /** @type {ChannelState[]} */ (state.channels);
  const reader = new IncrementReader({
    channels: chans,
    t0s: chans.map((c) => BigInt(c.t0_ns)),
    entries,
    bad: state.ffl.bad_files,
    incrementSeconds: cfg.increment_size,
    capacityIncrements: state.flush_increments,
    maxRetries: cfg.max_retries,
    retryDelayMs,
    log,
  });
  let pendingIncrements = 0;
  let flushNo = 0;
  const killAt = process.env.SAT_TEST_KILL_AT; // test hook: "flush:<n>:<channel index>" or "flushed:<n>"
  // Statistics of the pending increments (committed with them).
  const snapshot = () => chans.map((c) => ({ nan: c.nan, missing: c.missing, gaps: c.gaps, ends_in_gap: c.ends_in_gap, pruned: c.pruned }));
  let staged = snapshot();

  /** Append the buffered increments, make them durable, then commit them in state_day.json. */
  const flush = async () => {
    for (let i = 0; i < chans.length; i++) if (staged[i].pruned && !chans[i].pruned) recordPruned(state, chans[i].name, staged[i].pruned);
    if (pendingIncrements === 0) return;
    const tWrite = performance.now();
    const h = await openHdf5(p.h5, { mode: 'a' });
    try {
      for (let i = 0; i < chans.length; i++) {
        h.append(chans[i].dataset, reader.take(i));
        if (killAt === `flush:${flushNo}:${i}`) process.kill(process.pid, 'SIGKILL');
      }
      h.flush();
    } finally {
      h.close();
    }
    if (killAt === `flushed:${flushNo}`) process.kill(process.pid, 'SIGKILL');
    timing.write += (performance.now() - tWrite) / 1000;
    flushNo++;
    for (let i = 0; i < chans.length; i++) {
      chans[i].samples += reader.used[i];
      Object.assign(chans[i], staged[i]);
    }
    reader.reset();
    state.done_increments += pendingIncrements;
    state.updated = new Date().toISOString();
    state.runtime_seconds = runtimeBefore + (performance.now() - runStarted) / 1000;
    await writeJsonAtomic(p.state, state);
    log.debug({ done: state.done_increments, total: state.n_increments }, 'increments committed');
    pendingIncrements = 0;
    staged = snapshot();
  };

  let interrupted = false;
  try {
    for (let k = state.done_increments; k < state.n_increments; k = state.done_increments + pendingIncrements) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const aGps = win.startGps + k * cfg.increment_size;
      const bGps = Math.min(win.endGps, aGps + cfg.increment_size);
      const tRead = performance.now();
      await reader.read(aGps, bGps, staged);
      pendingIncrements++;
      timing.read += (performance.now() - tRead) / 1000;
      options.onProgress?.({ done: state.done_increments + pendingIncrements, total: state.n_increments, day: win.tag });
      if (pendingIncrements >= state.flush_increments || state.done_increments + pendingIncrements >= state.n_increments) await flush();
    }
  } finally {
    await reader.close();
  }
  if (interrupted) {
    await flush();
    log.warn({ done: state.done_increments, total: state.n_increments }, 'interrupted: state saved, resume to continue');
    return { ...summaryOf(state, cfg, p, win), status: 'interrupted' };
  }

  // Complete: final attributes, then state, then reports.
  const h = await openHdf5(p.h5, { mode: 'a' });
  try {
    h.setAttrs('/', { completed: new Date().toISOString(), n_increments: state.n_increments });
    for (const c of chans) if (c.pruned) h.setAttrs(c.dataset, { pruned: c.pruned });
  } finally {
    h.close();
  }
  state.status = 'complete';
  state.updated = new Date().toISOString();
  state.runtime_seconds = runtimeBefore + (performance.now() - runStarted) / 1000;
  await writeJsonAtomic(p.state, state);
  const summary = cfg.produce_summary ? await writeReports(state, cfg, p, win, log) : summaryOf(state, cfg, p, win);
  log.info({ runtime: summary.runtime_seconds, size: summary.output.size_bytes, wall: (performance.now() - began) / 1000, readSeconds: timing.read, writeSeconds: timing.write }, 'day complete');
  return summary;
}

/**
 * @param {any} state
 * @param {string} name
 * @param {string} reason
 */
function recordPruned(state, name, reason) {
  const c = state.channels.find((/** @type {any} */ x) => x.name === name);
  c.pruned = reason;
  if (!state.pruned.some((/** @type {any} */ x) => x.name === name)) state.pruned.push({ name, reason });
}

/**
 * @param {any} state
 * @param {any} cfg
 * @param {{ start_gps?: number }} win
 * @param {string} file
 */
function checkStateMatches(state, cfg, win, file) {
  /** @type {[string, unknown, unknown][]} */
  const checks = [
    ['start_dt', state.window?.start_utc, /** @type {any} */ (win).startUtc],
    ['end_dt', state.window?.end_utc, /** @type {any} */ (win).endUtc],
    ['increment_size', state.increment_size, cfg.increment_size],
    ['ffl_spec', state.spec, cfg.ffl_spec],
    ['compression', state.compression, cfg.compression],
  ];
  if (state.version !== STATE_VERSION) {
    throw new SatWorkerError(`${file}: state version ${state.version} is not ${STATE_VERSION}; run with resume = false`, { code: 'SAT_STATE', file });
  }
  for (const [key, was, now] of checks) {
    if (was !== now) {
      throw new SatWorkerError(`${file}: ${key} was ${JSON.stringify(was)} when the day started, now ${JSON.stringify(now)}; run with resume = false to start the day again`, {
        code: 'SAT_STATE',
        file,
      });
    }
  }
}

/**
 * @param {any} state
 * @param {ReturnType<typeof dayPaths>} p
 */
async function writeChannelLists(state, p) {
  mkdirSync(p.info, { recursive: true });
  const lines = (/** @type {string[]} */ a) => (a.length ? `${a.join('\n')}\n` : '');
  await writeFileAtomic(path.join(p.info, 'requested_channels.txt'), lines(state.requested));
  await writeFileAtomic(path.join(p.info, 'valid_channels.txt'), lines(state.channels.filter((/** @type {any} */ c) => !c.pruned).map((/** @type {any} */ c) => c.name)));
  await writeFileAtomic(path.join(p.info, 'invalid_channels.txt'), lines(state.invalid));
  await writeFileAtomic(path.join(p.info, 'pruned_channels.txt'), lines(state.pruned.map((/** @type {any} */ x) => `${x.name}\t# ${x.reason}`)));
}

/**
 * Per-channel coverage (also for the launcher's index and the plot).
 * @param {any} state
 */
export function coverageOf(state) {
  /** @type {Record<string, any>} */
  const channels = {};
  for (const c of state.channels) {
    channels[c.name] = {
      status: c.pruned ? 'pruned' : 'valid',
      sample_rate: c.sample_rate,
      dtype: c.dtype,
      source_dtype: c.source_dtype,
      unit: c.unit,
      total_samples: c.samples,
      nan_fraction: c.samples ? c.nan / c.samples : 0,
      missing_fraction: c.samples ? c.missing / c.samples : 0,
      n_gaps: c.gaps,
      coverage_mask: state.masks[c.name],
      ...(c.pruned ? { pruned: c.pruned } : {}),
    };
  }
  for (const x of state.pruned) if (!channels[x.name]) channels[x.name] = { status: 'pruned', pruned: x.reason, coverage_mask: state.masks[x.name] };
  for (const n of state.invalid) channels[n] = { status: 'invalid', coverage_mask: state.masks[n] };
  return {
    day: state.day,
    spec: state.spec,
    files: state.ffl.files.map((/** @type {any} */ f) => path.basename(f.path)),
    channels,
  };
}

/**
 * @param {any} state
 * @param {any} cfg
 * @param {ReturnType<typeof dayPaths>} p
 * @param {ReturnType<typeof dayWindow>} win
 */
export function summaryOf(state, cfg, p, win) {
  const files = state.ffl.files;
  const valid = state.channels.filter((/** @type {any} */ c) => !c.pruned).map((/** @type {any} */ c) => c.name);
  const covered = files.reduce(
    (/** @type {number} */ s, /** @type {any} */ f) =>
      state.ffl.bad_files[f.path] ? s : s + Math.max(0, Math.min(win.endGps, f.gps_start + f.duration) - Math.max(win.startGps, f.gps_start)),
    0,
  );
  return {
    status: state.status,
    spec: state.spec,
    day: state.day,
    time_window: {
      start_utc: state.window.start_utc,
      end_utc: state.window.end_utc,
      start_gps: state.window.start_gps,
      end_gps: state.window.end_gps,
      duration_seconds: state.window.end_gps - state.window.start_gps,
    },
    increment_size: state.increment_size,
    chunks: { total: state.n_increments, done: state.done_increments, flush_every: state.flush_increments },
    runtime_seconds: Math.round(state.runtime_seconds * 1000) / 1000,
    output: {
      file: path.basename(p.h5),
      size_bytes: existsSync(p.h5) ? statSync(p.h5).size : 0,
      compression: state.compression,
      ...(state.compression === 'gzip' ? { compression_level: cfg.compression_level } : {}),
    },
    channels: {
      requested: state.requested.length,
      valid: valid.length,
      invalid: state.invalid.length,
      pruned: state.pruned.length,
      valid_channels: valid,
      invalid_channels: state.invalid,
      pruned_channels: state.pruned,
    },
    ffl: {
      spec: state.spec,
      path: state.ffl.path,
      files_listed: state.ffl.listed,
      files_in_window: files.length,
      first_file: files[0]?.path ?? null,
      last_file: files.at(-1)?.path ?? null,
      seconds_covered: covered,
      bad_files: state.ffl.bad_files,
    },
    started: state.started,
    updated: state.updated,
    host: hostname(),
  };
}

/**
 * Write the summary, the coverage and the channel lists (each atomically).
 * @param {any} state
 * @param {any} cfg
 * @param {ReturnType<typeof dayPaths>} p
 * @param {ReturnType<typeof dayWindow>} win
 * @param {import('pino').Logger} log
 */
async function writeReports(state, cfg, p, win, log) {
  await writeChannelLists(state, p);
  await writeJsonAtomic(p.coverage, coverageOf(state));
  const summary = summaryOf(state, cfg, p, win);
  await writeJsonAtomic(p.summary, summary);
  log.info({ summary: p.summary }, 'summary written');
  return summary;
}
