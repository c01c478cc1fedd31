import type { ProgressCallback, TimeSeries } from '@astro/core';
import { GwfFormatError } from './errors.js';
import type { GwfSamples } from './format.js';
import { vectTypeOf } from './format.js';
import { GwfFile } from './gwf-file.js';
import { sampleIndexAt } from './sample-grid.js';
import type { GwfChannelData, GwfChannelKind, GwfFrameInfo, OpenGwfOptions } from './types.js';

/** A GPS time: seconds as a number, or nanoseconds as a bigint (exact). */
export type GpsTime = number | bigint;

/** A span of missing data, in GPS nanoseconds, `[startGps, endGps)`. */
export interface GwfGap {
  /** First missing instant (GPS ns). */
  startGps: bigint;
  /** End of the gap, exclusive (GPS ns). */
  endGps: bigint;
  /** Missing samples. */
  samples: number;
}

/**
 * A channel read over an interval: gwpy's TimeSeries plus what was missing.
 * `T` is the sample array: `Float64Array` with `applyCalibration`,
 * `Float32Array | Float64Array` with `padGaps` (see {@link readChannels}).
 */
export interface GwfSeries<T extends GwfSamples = GwfSamples> extends TimeSeries<T> {
  /** Structure kind the samples came from. */
  kind: GwfChannelKind;
  /** numpy-style dtype of `data`. */
  dtype: string;
  /** Spans of the requested interval with no data (empty when complete). */
  gaps: GwfGap[];
  /** Samples per file in the order read, for coverage reports. */
  samplesPerFile: number[];
}

/** Options of {@link readChannels}. */
export interface ReadChannelsOptions extends OpenGwfOptions {
  /** Start of the interval (inclusive). */
  gpsStart: GpsTime;
  /** End of the interval (exclusive). */
  gpsEnd: GpsTime;
  /**
   * Fill missing samples with NaN (default false: a gap throws `GWF_GAP`).
   * With padding the data are floating point: float32 channels stay
   * Float32Array, every other type becomes Float64Array.
   */
  padGaps?: boolean;
  /**
   * Apply ADC calibration `bias + slope × counts` (FrAdcData; other kinds are
   * unchanged). The result is Float64Array. Default false.
   */
  applyCalibration?: boolean;
  /**
   * What to do with a requested channel absent from every file: 'error'
   * (default, `GWF_CHANNEL_NOT_FOUND`) or 'skip' (left out of the result).
   */
  missingChannel?: 'error' | 'skip';
  /**
   * When given, a channel that is missing from every file or whose sample
   * rate or type changes between frames is dropped from the result and
   * reported here instead of throwing (batch jobs "prune" such channels and go
   * on with the others).
   */
  onChannelProblem?: (channel: string, error: GwfFormatError) => void;
  /** Progress in files read (`unit: 'files'`). */
  onProgress?: ProgressCallback;
}

/** GPS time to integer nanoseconds. */
export function toGpsNanoseconds(t: GpsTime): bigint {
  if (typeof t === 'bigint') return t;
  if (!Number.isFinite(t)) throw new RangeError(`GPS time ${t} is not finite`);
  const s = Math.floor(t);
  return BigInt(s) * 1_000_000_000n + BigInt(Math.round((t - s) * 1e9));
}

interface Acc {
  name: string;
  kind: GwfChannelKind;
  type: number;
  sampleRate: number;
  unit: string;
  t0: bigint;
  n: number;
  data: GwfSamples;
  filled: Uint8Array;
  perFile: number[];
  bias: number;
  slope: number;
}

function allocate(type: number, n: number, pad: boolean, calibrate: boolean): GwfSamples {
  const vt = vectTypeOf(type)!;
  if (calibrate) return new Float64Array(n);
  if (pad) return vt.name === 'REAL_4' ? new Float32Array(n) : new Float64Array(n * vt.wordsPerSample);
  switch (vt.array) {
    case 'Int8Array':
      return new Int8Array(n);
    case 'Uint8Array':
      return new Uint8Array(n);
    case 'Int16Array':
      return new Int16Array(n);
    case 'Uint16Array':
      return new Uint16Array(n);
    case 'Int32Array':
      return new Int32Array(n);
    case 'Uint32Array':
      return new Uint32Array(n);
    case 'BigInt64Array':
      return new BigInt64Array(n);
    case 'BigUint64Array':
      return new BigUint64Array(n);
    case 'Float32Array':
      return new Float32Array(n * vt.wordsPerSample);
    default:
      return new Float64Array(n * vt.wordsPerSample);
  }
}

/** Options of {@link readChannels} that calibrate ADC counts: the samples are `Float64Array`. */
export type CalibratedReadOptions = ReadChannelsOptions & { applyCalibration: true };

/** Options of {@link readChannels} that pad gaps with NaN: the samples are floating point. */
export type PaddedReadOptions = ReadChannelsOptions & { padGaps: true };

/**
 * Read `channels` over `[gpsStart, gpsEnd)` from frame files (in any order;
 * each is opened, read and closed in turn, so memory holds one vector at a
 * time plus the outputs). One {@link GwfSeries} per channel, in the order
 * asked: samples on the channel's own grid from the first sample at or after
 * gpsStart, `t0Gps` exact to the nanosecond, gaps reported. A channel whose
 * sample rate or type changes between frames throws `GWF_BAD_STRUCTURE`.
 *
 * The sample type follows the options: `applyCalibration: true` gives
 * `Float64Array`, `padGaps: true` gives `Float32Array` (float32 channels) or
 * `Float64Array`, otherwise the channel's own type.
 */
export function readChannels(
  files: readonly string[],
  channels: readonly string[],
  options: CalibratedReadOptions,
): Promise<GwfSeries<Float64Array>[]>;
export function readChannels(
  files: readonly string[],
  channels: readonly string[],
  options: PaddedReadOptions,
): Promise<GwfSeries<Float32Array | Float64Array>[]>;
export function readChannels(files: readonly string[], channels: readonly string[], options: ReadChannelsOptions): Promise<GwfSeries[]>;
export async function readChannels(
  files: readonly string[],
  channels: readonly string[],
  options: ReadChannelsOptions,
): Promise<GwfSeries[]> {
  const start = toGpsNanoseconds(options.gpsStart);
  const end = toGpsNanoseconds(options.gpsEnd);
  if (end <= start) throw new RangeError(`gpsEnd (${end} ns) must be after gpsStart (${start} ns)`);
  const pad = options.padGaps ?? false;
  const calibrate = options.applyCalibration ?? false;
  const acc = new Map<string, Acc>();
  const seen = new Set<string>();
  const dropped = new Set<string>();

  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const path = files[fileIndex];
    const file = await GwfFile.open(path, options);
    try {
      for (const a of acc.values()) a.perFile.push(0);
      for (const frame of file.frames) {
        const f0 = frame.t0Gps;
        const f1 = f0 + BigInt(Math.round(frame.durationSeconds * 1e9));
        if (f1 <= start || f0 >= end) continue;
        const present = channels.filter((name) => file.hasChannel(name, frame.index));
        if (present.length === 0) continue;
        // One pass over the frame for all wanted channels.
        const got = await file.readFrameData(frame.index, { channels: present });
        const done = new Set<string>();
        for (const { record, vector, data } of got) {
          const name = record.name;
          if (done.has(name) || dropped.has(name)) continue; // duplicated names: the first one, as FrameL
          done.add(name);
          seen.add(name);
          if (Array.isArray(data)) {
            throw new GwfFormatError('STRING vectors cannot form a time series', {
              code: 'GWF_BAD_STRUCTURE', file: path, frame: frame.index, channel: name, structure: 'FrVect',
            });
          }
          const fs = record.sampleRate > 0 ? record.sampleRate : vector.dx[0] > 0 ? 1 / vector.dx[0] : 0;
          if (!(fs > 0)) {
            throw new GwfFormatError('channel has no sample rate', {
              code: 'GWF_BAD_STRUCTURE', file: path, frame: frame.index, channel: name,
            });
          }
          const segStart = f0 + BigInt(Math.round(((record.timeOffset ?? 0) + (vector.startX[0] ?? 0)) * 1e9));
          let a = acc.get(name);
          if (!a) {
            // Align the output grid with this channel's samples.
            const step = 1e9 / fs;
            const k0 = sampleIndexAt(start, segStart, fs);
            const t0 = segStart + BigInt(Math.round(k0 * step));
            const n = Math.max(0, sampleIndexAt(end, t0, fs));
            a = {
              name,
              kind: record.kind,
              type: vector.type,
              sampleRate: fs,
              unit: vector.unitY || record.units || '',
              t0,
              n,
              data: allocate(vector.type, n, pad, calibrate),
              filled: new Uint8Array(n),
              perFile: new Array<number>(fileIndex + 1).fill(0),
              bias: record.bias ?? 0,
              slope: record.slope ?? 1,
            };
            acc.set(name, a);
          } else if (Math.abs(a.sampleRate - fs) > 1e-9 * fs || a.type !== vector.type) {
            const problem = new GwfFormatError(
              `sample rate/type changed from ${a.sampleRate} Hz ${vectTypeOf(a.type)?.name} to ${fs} Hz ${vector.typeName}`,
              { code: 'GWF_BAD_STRUCTURE', file: path, frame: frame.index, channel: name },
            );
            if (!options.onChannelProblem) throw problem;
            options.onChannelProblem(name, problem);
            dropped.add(name);
            acc.delete(name);
            continue;
          }
          place(a, data, segStart, record.kind === 'adc' && calibrate, fileIndex);
        }
      }
    } finally {
      await file.close();
    }
    options.onProgress?.({ done: fileIndex + 1, total: files.length, unit: 'files' });
  }

  const out: GwfSeries[] = [];
  for (const name of channels) {
    if (dropped.has(name)) continue;
    const a = acc.get(name);
    if (!a) {
      if (options.missingChannel === 'skip') continue;
      const why = seen.has(name) ? 'has no data in the interval' : 'is in none of the files';
      const problem = new GwfFormatError(`channel ${why} (${files.length} files, GPS ${start}-${end} ns)`, {
        code: 'GWF_CHANNEL_NOT_FOUND',
        channel: name,
        file: files.length === 1 ? files[0] : undefined,
      });
      if (!options.onChannelProblem) throw problem;
      options.onChannelProblem(name, problem);
      continue;
    }
    const gaps = findGaps(a);
    if (gaps.length > 0 && !pad) {
      const g = gaps[0];
      throw new GwfFormatError(
        `${gaps.length} gap(s) in the requested interval, first [${g.startGps}, ${g.endGps}) ns (${g.samples} samples); pass padGaps: true to fill with NaN`,
        { code: 'GWF_GAP', channel: name },
      );
    }
    if (pad) {
      const d = a.data as Float32Array | Float64Array;
      const w = d.length / a.n || 1;
      for (let i = 0; i < a.n; i++) if (!a.filled[i]) for (let k = 0; k < w; k++) d[i * w + k] = NaN;
    }
    const vt = vectTypeOf(a.type)!;
    out.push({
      data: a.data,
      t0Gps: a.t0,
      sampleRate: a.sampleRate,
      unit: a.unit,
      channel: name,
      kind: a.kind,
      dtype: calibrate || (pad && vt.name !== 'REAL_4') ? (vt.wordsPerSample === 2 ? 'complex128' : 'float64') : vt.dtype,
      gaps,
      samplesPerFile: a.perFile,
    });
  }
  return out;
}

function place(a: Acc, src: GwfSamples, segStart: bigint, calibrate: boolean, fileIndex: number): void {
  const vt = vectTypeOf(a.type)!;
  const w = vt.wordsPerSample;
  const m = src.length / w;
  const i0 = Math.round((Number(segStart - a.t0) * a.sampleRate) / 1e9);
  const from = Math.max(0, i0);
  const to = Math.min(a.n, i0 + m);
  if (to <= from) return;
  const dst = a.data;
  const s0 = (from - i0) * w;
  if (calibrate) {
    const d = dst as Float64Array;
    for (let i = from; i < to; i++) d[i] = a.bias + a.slope * Number(src[s0 + (i - from)]);
  } else if (dst.constructor === src.constructor) {
    (dst as Float64Array).set((src as Float64Array).subarray(s0, s0 + (to - from) * w), from * w);
  } else {
    const d = dst as Float64Array;
    for (let k = 0; k < (to - from) * w; k++) d[from * w + k] = Number(src[s0 + k]);
  }
  a.filled.fill(1, from, to);
  while (a.perFile.length <= fileIndex) a.perFile.push(0);
  a.perFile[fileIndex] += to - from;
}

function findGaps(a: Acc): GwfGap[] {
  const gaps: GwfGap[] = [];
  const step = 1e9 / a.sampleRate;
  const at = (i: number): bigint => a.t0 + BigInt(Math.round(i * step));
  let i = 0;
  while (i < a.n) {
    if (a.filled[i]) {
      i++;
      continue;
    }
    const j0 = i;
    while (i < a.n && !a.filled[i]) i++;
    gaps.push({ startGps: at(j0), endGps: at(i), samples: i - j0 });
  }
  return gaps;
}

/** Read one channel over an interval; see {@link readChannels} (the same sample types follow the options). */
export function readChannel(files: readonly string[], channel: string, options: CalibratedReadOptions): Promise<GwfSeries<Float64Array>>;
export function readChannel(
  files: readonly string[],
  channel: string,
  options: PaddedReadOptions,
): Promise<GwfSeries<Float32Array | Float64Array>>;
export function readChannel(files: readonly string[], channel: string, options: ReadChannelsOptions): Promise<GwfSeries>;
export async function readChannel(files: readonly string[], channel: string, options: ReadChannelsOptions): Promise<GwfSeries> {
  const [series] = await readChannels(files, [channel], { ...options, missingChannel: 'error' });
  return series;
}

/** One frame delivered by {@link streamFrames}. */
export interface GwfFrameChunk {
  /** Path of the file the frame is in. */
  file: string;
  /** The frame header. */
  frame: GwfFrameInfo;
  /** Decoded channels of the frame (those asked for, or all). */
  channels: GwfChannelData[];
}

/** Options of {@link streamFrames}. */
export interface StreamFramesOptions extends OpenGwfOptions {
  /** Channels to decode (default all). */
  channels?: readonly string[];
  /** Only frames ending after this GPS time. */
  gpsStart?: GpsTime;
  /** Only frames starting before this GPS time. */
  gpsEnd?: GpsTime;
}

/**
 * Frames of `files` in order, each with its decoded channels, as an async
 * iterable: one file open at a time, one frame in memory at a time. Stop
 * early with `break`; the file is closed.
 */
export async function* streamFrames(files: readonly string[], options: StreamFramesOptions = {}): AsyncGenerator<GwfFrameChunk> {
  const start = options.gpsStart === undefined ? undefined : toGpsNanoseconds(options.gpsStart);
  const end = options.gpsEnd === undefined ? undefined : toGpsNanoseconds(options.gpsEnd);
  for (const path of files) {
    const file = await GwfFile.open(path, options);
    try {
      for (const frame of file.frames) {
        const f1 = frame.t0Gps + BigInt(Math.round(frame.durationSeconds * 1e9));
        if ((start !== undefined && f1 <= start) || (end !== undefined && frame.t0Gps >= end)) continue;
        const wanted = options.channels?.filter((c) => file.hasChannel(c, frame.index));
        if (wanted && wanted.length === 0) {
          yield { file: path, frame, channels: [] };
          continue;
        }
        yield { file: path, frame, channels: await file.readFrameData(frame.index, wanted ? { channels: wanted } : {}) };
      }
    } finally {
      await file.close();
    }
  }
}
