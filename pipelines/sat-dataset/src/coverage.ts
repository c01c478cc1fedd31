/**
 * Reports of a day: per-channel coverage (`channels_coverage.json`), the
 * summary (`<spec>_YYYYMMDD.summary.json`) and the channel lists of
 * `channels_info/`.
 *
 * @module
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '@astro/core';
import type { DayPaths } from './day-layout.js';
import type { DayState, PrunedChannel } from './day-state.js';
import { writeJsonAtomic } from './day-state.js';
import type { DayWindow } from './day-window.js';
import type { SatLogger } from './log.js';

/** Coverage of one requested channel. */
export interface ChannelCoverage {
  /** `valid` (converted), `pruned` or `invalid` (in no file). */
  status: 'valid' | 'pruned' | 'invalid';
  /** Per frame file of the window, `1` when the file has the channel. */
  coverage_mask: string;
  /** Samples per second (converted channels). */
  sample_rate?: number;
  /** Stored type. */
  dtype?: string;
  /** Type in the frames. */
  source_dtype?: string;
  /** Unit. */
  unit?: string;
  /** Samples in the file. */
  total_samples?: number;
  /** Fraction of NaN samples. */
  nan_fraction?: number;
  /** Fraction of padded samples. */
  missing_fraction?: number;
  /** Runs of padded samples. */
  n_gaps?: number;
  /** Why it was pruned. */
  pruned?: string;
}

/** Content of `channels_coverage.json`. */
export interface DayCoverage {
  /** `YYYYMMDD`. */
  day: string;
  /** `ffl_spec`. */
  spec: string;
  /** Base names of the frame files of the window (the positions of the masks). */
  files: string[];
  /** Per requested channel. */
  channels: Record<string, ChannelCoverage>;
}

/** Content of `<spec>_YYYYMMDD.summary.json` (also what `convertDay` returns). */
export interface DaySummary {
  /** `complete`, `running` (state of an unfinished day) or `interrupted` (returned after an abort). */
  status: 'complete' | 'running' | 'interrupted';
  /** `ffl_spec`. */
  spec: string;
  /** `YYYYMMDD`. */
  day: string;
  /** The window. */
  time_window: { start_utc: string; end_utc: string; start_gps: number; end_gps: number; duration_seconds: number };
  /** Seconds per increment. */
  increment_size: number;
  /** Increments in all, done, and appended at once. */
  chunks: { total: number; done: number; flush_every: number };
  /** Run time of the day (all runs). */
  runtime_seconds: number;
  /** The day file. */
  output: { file: string; size_bytes: number; compression: string; compression_level?: number };
  /** Channel counts and lists. */
  channels: {
    requested: number;
    valid: number;
    invalid: number;
    pruned: number;
    valid_channels: string[];
    invalid_channels: string[];
    pruned_channels: PrunedChannel[];
  };
  /** The frame file list. */
  ffl: {
    spec: string;
    path: string;
    files_listed: number;
    files_in_window: number;
    first_file: string | null;
    last_file: string | null;
    seconds_covered: number;
    bad_files: Record<string, string>;
  };
  /** UTC ISO time the day started. */
  started: string;
  /** UTC ISO time of the last commit. */
  updated: string;
  /** Host that wrote the summary. */
  host: string;
}

/** Per-channel coverage of a day (for `channels_coverage.json`, the launcher's index and plots). */
export function coverageOf(state: DayState): DayCoverage {
  const channels: Record<string, ChannelCoverage> = {};
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
  return { day: state.day, spec: state.spec, files: state.ffl.files.map((f) => path.basename(f.path)), channels };
}

/** The summary of a day from its state. */
export function summaryOf(state: DayState, config: { compression_level: number }, paths: Pick<DayPaths, 'h5'>, window: Pick<DayWindow, 'startGps' | 'endGps'>): DaySummary {
  const files = state.ffl.files;
  const valid = state.channels.filter((c) => !c.pruned).map((c) => c.name);
  const covered = files.reduce(
    (s, f) => (state.ffl.bad_files[f.path] ? s : s + Math.max(0, Math.min(window.endGps, f.gps_start + f.duration) - Math.max(window.startGps, f.gps_start))),
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
      file: path.basename(paths.h5),
      size_bytes: existsSync(paths.h5) ? statSync(paths.h5).size : 0,
      compression: state.compression,
      ...(state.compression === 'gzip' ? { compression_level: config.compression_level } : {}),
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

/** Write `channels_info/{requested,valid,invalid,pruned}_channels.txt` (each atomically). */
export async function writeChannelLists(state: DayState, paths: Pick<DayPaths, 'info'>): Promise<void> {
  mkdirSync(paths.info, { recursive: true });
  const lines = (a: string[]): string => (a.length ? `${a.join('\n')}\n` : '');
  await writeFileAtomic(path.join(paths.info, 'requested_channels.txt'), lines(state.requested));
  await writeFileAtomic(path.join(paths.info, 'valid_channels.txt'), lines(state.channels.filter((c) => !c.pruned).map((c) => c.name)));
  await writeFileAtomic(path.join(paths.info, 'invalid_channels.txt'), lines(state.invalid));
  await writeFileAtomic(path.join(paths.info, 'pruned_channels.txt'), lines(state.pruned.map((x) => `${x.name}\t# ${x.reason}`)));
}

/** Write the channel lists, the coverage and the summary (each atomically); returns the summary. */
export async function writeReports(
  state: DayState,
  config: { compression_level: number },
  paths: DayPaths,
  window: Pick<DayWindow, 'startGps' | 'endGps'>,
  log: SatLogger,
): Promise<DaySummary> {
  await writeChannelLists(state, paths);
  await writeJsonAtomic(paths.coverage, coverageOf(state));
  const summary = summaryOf(state, config, paths, window);
  await writeJsonAtomic(paths.summary, summary);
  log.info({ summary: paths.summary }, 'summary written');
  return summary;
}
