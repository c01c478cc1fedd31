/**
 * The HDF5 day file: creation (attributes and one empty appendable dataset
 * per channel) and the repair after a kill during an append.
 *
 * @module
 */
import { rmSync } from 'node:fs';
import { TEMP_MARKER, commitFileAtomic } from '@astro/core';
import { openHdf5 } from '@astro/hdf5-io';
import type { DayState } from './day-state.js';
import type { SatLogger } from './log.js';

/** Settings of the day file taken from the configuration. */
export interface DayFileSettings {
  /** Filter of every dataset. */
  compression: 'gzip' | 'lzf' | 'none';
  /** gzip level. */
  compression_level: number;
  /** Names the channel set. */
  ffl_spec: string;
}

/** Value of the `creator` attribute of day files. */
export const CREATOR = '@astro/sat-dataset';

/** Dataset path of a channel (`/` cannot appear in an HDF5 link name). */
export function datasetPath(name: string): string {
  return `/channels/${name.replaceAll('/', '_')}`;
}

/** The temporary name a repaired day file is built under (beside it; swept as a temporary file). */
export function repairPathOf(file: string): string {
  return `${file}${TEMP_MARKER}repair`;
}

/**
 * Chunk length of a channel dataset: whole increments, so that appends of
 * `flushIncrements` increments fill whole chunks; long increments are split.
 *
 * @param perIncrement - Samples per increment.
 * @param itemBytes - Bytes per sample.
 * @param flushIncrements - Increments appended at once.
 */
export function chunkLength(perIncrement: number, itemBytes: number, flushIncrements: number): number {
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
 * Create the day file: attributes and one empty appendable dataset per
 * channel (hdf5-io's writer, atomically), ready for appends in mode 'a'.
 */
export async function createDayFile(file: string, state: DayState, settings: DayFileSettings): Promise<void> {
  const h = await openHdf5(file, { mode: 'w' });
  try {
    h.setAttrs('/', {
      spec: settings.ffl_spec,
      day: state.day,
      start: state.window.start_utc,
      end: state.window.end_utc,
      start_gps: state.window.start_gps,
      end_gps: state.window.end_gps,
      created: new Date().toISOString(),
      increment_size: state.increment_size,
      ffl: state.ffl.path,
      compression: settings.compression,
      creator: CREATOR,
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
        compression: settings.compression,
        // Byte shuffle before gzip/lzf (h5py: shuffle=True): floats compress several times better.
        shuffle: settings.compression !== 'none',
        ...(settings.compression === 'gzip' ? { level: settings.compression_level } : {}),
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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * After a kill during an append, some datasets may hold samples beyond what
 * `state_day.json` committed. Rewrite the file with the committed samples
 * only (under {@link repairPathOf}, then committed over the day file).
 *
 * @returns false when the file cannot be used (the day then restarts).
 */
export async function reconcileDayFile(file: string, state: DayState, settings: DayFileSettings, log: SatLogger): Promise<boolean> {
  let h;
  try {
    h = await openHdf5(file, { mode: 'r' });
  } catch (error) {
    log.warn({ err: messageOf(error) }, 'day file unreadable after the interruption: restarting the day');
    return false;
  }
  const longer: string[] = [];
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
  const temp = repairPathOf(file);
  rmSync(temp, { force: true });
  try {
    await createDayFile(temp, state, settings);
    const src = await openHdf5(file, { mode: 'r' });
    const dst = await openHdf5(temp, { mode: 'a' });
    try {
      const created = dst.attrs('/').created;
      dst.setAttrs('/', { ...src.attrs('/'), created });
      const block = 1 << 20;
      for (const c of state.channels) {
        for (let s = 0; s < c.samples; s += block) {
          const part = src.read(c.dataset, { start: s, end: Math.min(c.samples, s + block) });
          if (Array.isArray(part)) throw new Error(`${c.dataset} holds strings`);
          dst.append(c.dataset, part);
        }
      }
      dst.flush();
    } finally {
      src.close();
      dst.close();
    }
    await commitFileAtomic(temp, file);
    return true;
  } catch (error) {
    rmSync(temp, { force: true });
    log.warn({ err: messageOf(error) }, 'cannot repair the day file: restarting the day');
    return false;
  }
}
