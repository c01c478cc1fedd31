/**
 * Synthetic Virgo-like frame files for the demo, the tests and the
 * benchmark, written with `@astro/gwf`'s GWF v8 writer. Every sample is a
 * known function of (channel, GPS time), so a conversion can be checked
 * value for value.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@astro/core';
import { GwfWriter, formatFfl } from '@astro/gwf';
import type { GwfWriteChannel } from '@astro/gwf';

/** A channel of synthetic frames. */
export interface SyntheticChannel {
  /** Channel name, e.g. `V1:TEST_1Hz`. */
  name: string;
  /** Samples per second. */
  sampleRate: number;
  /** FrVect type (default float64). */
  dtype?: 'float32' | 'float64' | 'int32' | 'int16';
  /** Unit (default `counts`). */
  unit?: string;
  /** Structure kind (default `adc`). */
  kind?: 'adc' | 'proc';
  /** Value seed (default: position in the list). */
  index?: number;
  /** From this GPS second on, the channel is written at another rate. */
  rateChange?: { fromGps: number; sampleRate: number };
  /** Not written in frames starting in `[fromGps, toGps)`. */
  absent?: { fromGps: number; toGps: number };
}

/** Options of {@link writeSyntheticFrames}. */
export interface SyntheticFramesOptions {
  /** Output directory (created). */
  dir: string;
  /** GPS second of the first frame. */
  gpsStart: number;
  /** Number of frames (gaps included in the count). */
  nFrames: number;
  /** Frame length, seconds. */
  frameSeconds: number;
  /** Frames per file (default 1). */
  framesPerFile?: number;
  /** Channels of every frame. */
  channels: readonly SyntheticChannel[];
  /** GPS `[start, end)` spans with no frames written. */
  gaps?: readonly (readonly [number, number])[];
  /** File name prefix (default `V-SYN`). */
  prefix?: string;
  /** Vector compression (default zlib). */
  compression?: 'raw' | 'zlib' | 'zero-suppress';
  /** Name of the FFL written next to the files (default `frames.ffl`). */
  fflName?: string;
  /** Files written at once (default 1; the writer mostly waits on fs). */
  parallelFiles?: number;
}

/** A frame file written by {@link writeSyntheticFrames}. */
export interface SyntheticFile {
  /** Path. */
  path: string;
  /** GPS start, seconds. */
  gpsStart: number;
  /** Length, seconds. */
  durationSeconds: number;
}

/**
 * The value of synthetic channel `index` at sample `k` (sample number since
 * GPS 0 at the channel's rate). Exact in float32 for index < 4000.
 */
export function syntheticValue(index: number, k: number): number {
  return (index + 1) * 1000 + (k % 4096) / 4;
}

function allocate(dtype: SyntheticChannel['dtype'], n: number): Float32Array | Float64Array | Int32Array | Int16Array {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int16':
      return new Int16Array(n);
    default:
      return new Float64Array(n);
  }
}

/**
 * Write synthetic frame files and an FFL listing them.
 *
 * @returns The FFL path and the files written (FFL order).
 */
export async function writeSyntheticFrames(options: SyntheticFramesOptions): Promise<{ ffl: string; files: SyntheticFile[] }> {
  const { dir, gpsStart, nFrames, frameSeconds } = options;
  const perFile = options.framesPerFile ?? 1;
  const prefix = options.prefix ?? 'V-SYN';
  const gaps = options.gaps ?? [];
  mkdirSync(dir, { recursive: true });
  const inGap = (t: number): boolean => gaps.some(([a, b]) => t >= a && t < b);
  /** Runs of contiguous frame start times, one file each. */
  const runs: number[][] = [];
  for (let f0 = 0; f0 < nFrames; f0 += perFile) {
    const frames: number[] = [];
    for (let f = f0; f < Math.min(nFrames, f0 + perFile); f++) {
      const t = gpsStart + f * frameSeconds;
      if (!inGap(t)) frames.push(t);
    }
    if (frames.length === 0) continue;
    // A file covers contiguous frames only: split at gaps.
    let run = [frames[0]];
    for (let i = 1; i < frames.length; i++) {
      if (frames[i] === frames[i - 1] + frameSeconds) run.push(frames[i]);
      else {
        runs.push(run);
        run = [frames[i]];
      }
    }
    runs.push(run);
  }
  const writeRun = async (r: number[]): Promise<SyntheticFile> => {
    const duration = r.length * frameSeconds;
    const file = path.join(dir, `${prefix}-${r[0]}-${duration}.gwf`);
    const writer = await GwfWriter.create(file, { compression: options.compression ?? 'zlib', frameName: 'SYN' });
    try {
      for (const t of r) {
        const channels: GwfWriteChannel[] = [];
        options.channels.forEach((c, position) => {
          if (c.absent && t >= c.absent.fromGps && t < c.absent.toGps) return;
          const rate = c.rateChange && t >= c.rateChange.fromGps ? c.rateChange.sampleRate : c.sampleRate;
          const n = Math.round(frameSeconds * rate);
          const data = allocate(c.dtype, n);
          const index = c.index ?? position;
          const k0 = Math.round(t * rate);
          for (let i = 0; i < n; i++) data[i] = syntheticValue(index, k0 + i);
          channels.push({ name: c.name, kind: c.kind ?? 'adc', data, sampleRate: rate, unit: c.unit ?? 'counts' });
        });
        await writer.writeFrame({ t0Gps: BigInt(t) * 1_000_000_000n, durationSeconds: frameSeconds, channels });
      }
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return { path: file, gpsStart: r[0], durationSeconds: duration };
  };
  const files: SyntheticFile[] = new Array<SyntheticFile>(runs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, options.parallelFiles ?? 1) }, async () => {
      while (next < runs.length) {
        const i = next++;
        files[i] = await writeRun(runs[i]);
      }
    }),
  );
  const ffl = path.join(dir, options.fflName ?? 'frames.ffl');
  await writeFileAtomic(ffl, formatFfl(files));
  return { ffl, files };
}
