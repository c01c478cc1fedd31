/**
 * `state_day.json`: what of a day is durably in its HDF5 file, so that a
 * killed worker resumes without duplicating or losing a sample.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@astro/core';
import type { WorkerConfig } from './config.js';
import type { DayWindow } from './day-window.js';
import { SatErrorCode, SatWorkerError } from './errors.js';

/** Version of the state file written by this package. */
export const STATE_VERSION = 1;

/** Statistics of a channel that advance increment by increment (committed with its samples). */
export interface ChannelStats {
  /** NaN among the committed samples (padding included). */
  nan: number;
  /** Padded samples (no data in any file). */
  missing: number;
  /** Runs of padded samples. */
  gaps: number;
  /** Whether the last committed sample is padding (a gap crossing increments counts once). */
  ends_in_gap: boolean;
  /** Reason, when pruned during the day. */
  pruned?: string;
}

/** One converted channel in the state. */
export interface ChannelState extends ChannelStats {
  /** Name in the frames. */
  name: string;
  /** Dataset path in the day file. */
  dataset: string;
  /** Samples per second. */
  sample_rate: number;
  /** Stored type. */
  dtype: 'float32' | 'float64';
  /** Type in the frames. */
  source_dtype: string;
  /** Structure kind (adc, proc, sim). */
  kind: string;
  /** Unit of the samples. */
  unit: string;
  /** GPS nanoseconds of sample 0 of the dataset (a string: exact). */
  t0_ns: string;
  /** Samples committed to the file. */
  samples: number;
}

/** A frame file of the day, as the FFL listed it when the day started. */
export interface StateFrameFile {
  /** Path. */
  path: string;
  /** GPS start, seconds. */
  gps_start: number;
  /** Length, seconds. */
  duration: number;
}

/** A pruned channel and why. */
export interface PrunedChannel {
  /** Channel name. */
  name: string;
  /** Why it was pruned (with the GPS time when seen during the day). */
  reason: string;
}

/** The content of `state_day.json`. */
export interface DayState {
  /** {@link STATE_VERSION}. */
  version: number;
  /** `running` until the last increment is committed and the file finished. */
  status: 'running' | 'complete';
  /** `ffl_spec`. */
  spec: string;
  /** `YYYYMMDD`. */
  day: string;
  /** The window. */
  window: { start_utc: string; end_utc: string; start_gps: number; end_gps: number };
  /** Seconds per increment. */
  increment_size: number;
  /** Increments of the window. */
  n_increments: number;
  /** Increments committed to the file. */
  done_increments: number;
  /** Increments appended at once. */
  flush_increments: number;
  /** Compression of the day file. */
  compression: string;
  /** File name of the day file. */
  h5: string;
  /** The frame file list: its path, entries listed, files in the window, files found unusable (path → error). */
  ffl: { path: string; listed: number; files: StateFrameFile[]; bad_files: Record<string, string> };
  /** Channels of `channels_file`, in order. */
  requested: string[];
  /** Requested channels in no frame file of the window. */
  invalid: string[];
  /** Channels pruned (at discovery or during the day). */
  pruned: PrunedChannel[];
  /** Per requested channel, `1`/`0` per frame file: whether the file has it. */
  masks: Record<string, string>;
  /** The converted channels. */
  channels: ChannelState[];
  /** UTC ISO time the day started. */
  started: string;
  /** UTC ISO time of the last commit. */
  updated: string;
  /** Run time of all runs of the day so far. */
  runtime_seconds: number;
}

/**
 * Read `state_day.json`.
 *
 * @throws {@link SatWorkerError} `SAT_STATE` naming the file when it cannot be read or parsed.
 */
export function readDayState(file: string): DayState {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DayState;
  } catch (error) {
    throw new SatWorkerError(`${file}: cannot read the day state (${error instanceof Error ? error.message : String(error)}); remove it or run with resume = false`, {
      code: SatErrorCode.state,
      file,
      cause: error,
    });
  }
}

/** Replace `state_day.json` atomically (temp name, fsync, rename, fsync of the folder). */
export async function writeDayState(file: string, state: DayState): Promise<void> {
  await writeJsonAtomic(file, state);
}

/** Write a JSON file atomically, one space of indentation and a final newline. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
}

/**
 * Refuse to resume a day with another configuration: the window,
 * `increment_size`, `ffl_spec` and `compression` must be those the day
 * started with, and the state version this package's.
 *
 * @throws {@link SatWorkerError} `SAT_STATE` naming the file and the changed key.
 */
export function checkStateMatches(state: DayState, config: WorkerConfig, window: DayWindow, file: string): void {
  if (state.version !== STATE_VERSION) {
    throw new SatWorkerError(`${file}: state version ${state.version} is not ${STATE_VERSION}; run with resume = false`, { code: SatErrorCode.state, file });
  }
  const checks: [string, unknown, unknown][] = [
    ['start_dt', state.window?.start_utc, window.startUtc],
    ['end_dt', state.window?.end_utc, window.endUtc],
    ['increment_size', state.increment_size, config.increment_size],
    ['ffl_spec', state.spec, config.ffl_spec],
    ['compression', state.compression, config.compression],
  ];
  for (const [key, was, now] of checks) {
    if (was !== now) {
      throw new SatWorkerError(`${file}: ${key} was ${JSON.stringify(was)} when the day started, now ${JSON.stringify(now)}; run with resume = false to start the day again`, {
        code: SatErrorCode.state,
        file,
        key,
      });
    }
  }
}

/** Record that a channel was pruned (once in `pruned`, and on the channel). */
export function recordPruned(state: DayState, name: string, reason: string): void {
  const c = state.channels.find((x) => x.name === name);
  if (c) c.pruned = reason;
  if (!state.pruned.some((x) => x.name === name)) state.pruned.push({ name, reason });
}

/** The statistics of a channel (a copy). */
export function statsOf(c: ChannelStats): ChannelStats {
  return { nan: c.nan, missing: c.missing, gaps: c.gaps, ends_in_gap: c.ends_in_gap, pruned: c.pruned };
}
