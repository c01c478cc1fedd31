/**
 * Discovery phase of a day: the frame file list, and which requested
 * channels the files hold, with their rate, type and unit.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { GwfFile, isFileLevelError } from '@astro/gwf';
import type { FrameFileEntry } from '@astro/gwf';
import { SatErrorCode, SatWorkerError } from './errors.js';
import type { SatLogger } from './log.js';
import type { PrunedChannel } from './day-state.js';

/**
 * The FFL (or LAL cache) to read: `ffl_path` itself when it is a file,
 * `<ffl_path>/<ffl_spec>.ffl` (or `.cache`, `.lcf`) when it is a directory.
 *
 * @throws {@link SatWorkerError} `SAT_FFL` naming `ffl_path`.
 */
export function resolveFfl(config: { ffl_path: string; ffl_spec: string }): string {
  let st;
  try {
    st = statSync(config.ffl_path);
  } catch (error) {
    throw new SatWorkerError(`ffl_path ${config.ffl_path}: does not exist`, { code: SatErrorCode.ffl, file: config.ffl_path, key: 'ffl_path', cause: error });
  }
  if (!st.isDirectory()) return config.ffl_path;
  for (const ext of ['.ffl', '.cache', '.lcf']) {
    const p = path.join(config.ffl_path, `${config.ffl_spec}${ext}`);
    if (existsSync(p)) return p;
  }
  throw new SatWorkerError(`ffl_path ${config.ffl_path}: is a directory without ${config.ffl_spec}.ffl (ffl_spec names the list)`, {
    code: SatErrorCode.ffl,
    file: config.ffl_path,
    key: 'ffl_path',
  });
}

/** A channel found in the frame files, to be converted. */
export interface DiscoveredChannel {
  /** Name. */
  name: string;
  /** Samples per second. */
  sampleRate: number;
  /** Stored type: float32 for float32 samples, float64 for every other real type. */
  dtype: 'float32' | 'float64';
  /** Type in the frames. */
  sourceDtype: string;
  /** Structure kind. */
  kind: string;
  /** Unit. */
  unit: string;
  /** GPS ns of sample 0: the first point of the channel's grid at or after the window start. */
  t0Ns: bigint;
}

/** What {@link discoverChannels} found. */
export interface Discovery {
  /** Channels to convert, in the order of the request. */
  valid: DiscoveredChannel[];
  /** Requested channels in no file. */
  invalid: string[];
  /** Channels found but not convertible, and why. */
  pruned: PrunedChannel[];
  /** Per requested channel, `1`/`0` per file. */
  masks: Record<string, string>;
  /** Unusable files and the reader's message. */
  badFiles: Record<string, string>;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Open each frame file of the window once (TOC only): which channels each
 * has, and the metadata (rate, type, unit, sample offset) of each requested
 * channel from the first file that has it. A file that is bad in itself
 * (`isFileLevelError`) is recorded and its span becomes a gap; any other
 * error ends the day.
 *
 * @throws {@link SatWorkerError} `SAT_READ` for errors that are not about one file.
 */
export async function discoverChannels(files: readonly Pick<FrameFileEntry, 'path'>[], requested: readonly string[], startNs: bigint, log: SatLogger): Promise<Discovery> {
  const want = new Set(requested);
  const presence = new Map(requested.map((n) => [n, new Uint8Array(files.length)]));
  const meta = new Map<string, { sampleRate: number; dtype: string; kind: string; unit: string; firstNs: bigint }>();
  const badFiles: Record<string, string> = {};
  const fail = (file: string, error: unknown): void => {
    if (!isFileLevelError(error)) throw new SatWorkerError(`${file}: ${messageOf(error)}`, { code: SatErrorCode.read, file, cause: error });
    badFiles[file] = messageOf(error);
    log.error({ file, err: messageOf(error) }, 'frame file unreadable: its span becomes a gap');
  };
  for (let i = 0; i < files.length; i++) {
    let f: GwfFile;
    try {
      f = GwfFile.openSync(files[i].path);
    } catch (error) {
      fail(files[i].path, error);
      continue;
    }
    try {
      const fresh: string[] = [];
      for (const n of f.channelNames()) {
        const p = presence.get(n);
        if (!want.has(n) || !p) continue;
        p[i] = 1;
        if (!meta.has(n)) fresh.push(n);
      }
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
      fail(files[i].path, error);
      for (const p of presence.values()) p[i] = 0;
    } finally {
      await f.close();
    }
  }
  const invalid: string[] = [];
  const pruned: PrunedChannel[] = [];
  const valid: DiscoveredChannel[] = [];
  for (const name of requested) {
    const m = meta.get(name);
    if (!m) invalid.push(name);
    else if (m.kind === 'ser') pruned.push({ name, reason: 'serial data (FrSerData) is not a time series' });
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
