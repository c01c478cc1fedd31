/**
 * Many channels of a list of frame files, read window by window onto each
 * channel's own sample grid, with NaN where no file has data.
 *
 * @module
 */
import { sleep } from '@astro/core';
import { isFileLevelError } from './errors.js';
import { selectFrameFiles } from './frame-file-list.js';
import type { FrameFileEntry } from './frame-file-list.js';
import { GwfFile } from './gwf-file.js';
import { toGpsNanoseconds } from './read-channels.js';
import { sampleIndexAt } from './sample-grid.js';

/** A channel read by a {@link GridReader}, on its own grid. */
export interface GridChannel {
  /** Channel name as in the frames. */
  name: string;
  /** Samples per second of the grid (> 0). */
  sampleRate: number;
  /** GPS nanoseconds of sample 0 of the grid. */
  t0Ns: bigint;
  /** Type of the target arrays: samples of other types are converted. */
  dtype: 'float32' | 'float64';
  /** Type of the channel in the frames, named in mismatch messages (default `dtype`). */
  sourceDtype?: string;
}

/** The array a {@link GridReader} fills for one channel and one window. */
export type GridArray = Float32Array | Float64Array;

/** Why a channel's samples in a frame could not be put on its grid. */
export type GridMismatchKind = 'sample-rate' | 'dtype' | 'off-grid';

/**
 * A channel whose samples stopped fitting its grid: its samples in this
 * window are all NaN and the reader skips it for the rest of the window.
 */
export interface GridMismatch {
  /** Index of the channel in {@link GridReaderOptions.channels}. */
  channel: number;
  /** What changed. */
  kind: GridMismatchKind;
  /** E.g. `sample rate changed from 4 Hz to 8 Hz at GPS 1369612818`. */
  message: string;
  /** File of the frame where it was seen. */
  file: string;
  /** Index of that frame in its file. */
  frame: number;
  /** GPS second of that frame's start. */
  gpsSeconds: number;
}

/** Options of {@link GridReader}. */
export interface GridReaderOptions {
  /** The channels, each with its grid. */
  channels: readonly GridChannel[];
  /** The frame files (an FFL or LAL cache, see `readFrameFileList`). */
  files: readonly Pick<FrameFileEntry, 'path' | 'gpsStart' | 'durationSeconds'>[];
  /** Files already known to be unusable: never opened. */
  skipFiles?: Iterable<string>;
  /** Retries of an error that is not about the file itself (see `isFileLevelError`); default 3. */
  maxRetries?: number;
  /** Delay before the first retry, doubled each time; default 1000 ms. */
  retryDelayMs?: number;
  /** Called before each retry (e.g. to log it). */
  onRetry?: (event: { file: string; error: unknown; attempt: number; waitMs: number }) => void;
}

/** Options of {@link GridReader.read}. */
export interface GridReadOptions {
  /**
   * The array to fill for channel `channel`: exactly `count` samples (a
   * `subarray` view of a larger buffer is fine). The reader writes NaN and
   * then the samples found; it never reads the array.
   */
  target: (channel: number, count: number) => GridArray;
  /** Channels to read (default all); the others are filled with NaN only. */
  active?: (channel: number) => boolean;
}

/** What {@link GridReader.read} found in a window. */
export interface GridReadResult {
  /** Samples of each channel in the window (the `count` passed to `target`). */
  counts: number[];
  /** Index of each channel's first sample of the window on its grid. */
  firstIndex: number[];
  /**
   * Per channel, the spans filled from frames as `[from, to)` pairs of
   * indices relative to the window's first sample, in reading order
   * (possibly overlapping); everything else is NaN.
   */
  spans: number[][];
  /** Channels that stopped fitting their grid in this window. */
  mismatches: GridMismatch[];
  /** Files found unusable while reading this window (their span is NaN). */
  badFiles: { file: string; error: unknown }[];
}


/**
 * Reads windows of many channels from a list of frame files straight into
 * caller-owned arrays, on each channel's own grid (sample `k` at
 * `t0Ns + k / sampleRate`, the index rule {@link sampleIndexAt} shared with
 * `readChannels`), with NaN where no frame has data — the gap padding of
 * `readChannels({ padGaps })` for a long list of files read in steps.
 *
 * - A file that is bad in itself (`isFileLevelError`: corrupt, truncated,
 *   missing) is skipped from then on and reported in `badFiles`; the window
 *   is read again without it, so its span is NaN.
 * - Other errors (I/O of the system) are retried `maxRetries` times with a
 *   doubling delay, then thrown.
 * - A channel whose rate or type changes, or whose samples leave the grid,
 *   is reported as a {@link GridMismatch}; its window is NaN.
 * - A name twice in one frame: the first one is used (as FrameL).
 *
 * Files of consecutive windows stay open; call {@link GridReader.close} at the end.
 */
export class GridReader {
  private readonly channels: readonly GridChannel[];
  private readonly byName: Map<string, number>;
  private readonly files: FrameFileEntry[];
  private readonly bad: Set<string>;
  private readonly open = new Map<string, GwfFile>();
  private readonly stamp: Float64Array;
  private frameStamp = 0;

  constructor(private readonly options: GridReaderOptions) {
    this.channels = options.channels;
    this.byName = new Map(options.channels.map((c, i) => [c.name, i]));
    this.files = options.files.map((f) => ({ observatory: '', description: '', ...f }));
    this.bad = new Set(options.skipFiles ?? []);
    this.stamp = new Float64Array(options.channels.length).fill(-1);
  }

  /** Files skipped so far (given in `skipFiles` or found bad). */
  get skippedFiles(): ReadonlySet<string> {
    return this.bad;
  }

  /**
   * Read `[startGps, endGps)` of every channel into the arrays `target` gives.
   * Copies the samples (converting integer types to the target type).
   */
  async read(startGps: number, endGps: number, options: GridReadOptions): Promise<GridReadResult> {
    const aNs = toGpsNanoseconds(startGps);
    const bNs = toGpsNanoseconds(endGps);
    const channels = this.channels;
    const firstIndex = channels.map((c) => sampleIndexAt(aNs, c.t0Ns, c.sampleRate));
    const counts = channels.map((c, i) => Math.max(0, sampleIndexAt(bNs, c.t0Ns, c.sampleRate) - firstIndex[i]));
    const targets = counts.map((n, i) => options.target(i, n));
    const active = channels.map((_, i) => options.active?.(i) ?? true);
    const mismatches: GridMismatch[] = [];
    const badFiles: GridReadResult['badFiles'] = [];
    const window = { aNs, bNs, firstIndex, counts, targets, active, mismatches };

    const paths = selectFrameFiles(this.files, startGps, endGps).map((e) => e.path);
    for (const [p, f] of this.open) {
      if (!paths.includes(p)) {
        await f.close();
        this.open.delete(p);
      }
    }
    let spans: number[][];
    restart: for (;;) {
      spans = channels.map(() => []);
      for (const t of targets) t.fill(NaN);
      for (const path of paths) {
        if (this.bad.has(path)) continue;
        for (let attempt = 0; ; attempt++) {
          try {
            await this.readFile(path, window, spans);
            break;
          } catch (error) {
            await this.forget(path);
            if (isFileLevelError(error)) {
              this.bad.add(path);
              badFiles.push({ file: path, error });
              // Samples of this file may be half-copied: read the window again without it.
              continue restart;
            }
            if (attempt < (this.options.maxRetries ?? 3)) {
              const waitMs = (this.options.retryDelayMs ?? 1000) * 2 ** attempt;
              this.options.onRetry?.({ file: path, error, attempt: attempt + 1, waitMs });
              await sleep(waitMs);
              continue;
            }
            throw error;
          }
        }
      }
      break;
    }
    for (const m of mismatches) spans[m.channel] = [];
    return { counts, firstIndex, spans, mismatches, badFiles };
  }

  /** Close the files still open. */
  async close(): Promise<void> {
    for (const f of this.open.values()) await f.close();
    this.open.clear();
  }

  private async forget(path: string): Promise<void> {
    const f = this.open.get(path);
    this.open.delete(path);
    try {
      await f?.close();
    } catch {
      // the read error is the one that matters
    }
  }

  private fileAt(path: string): GwfFile {
    let f = this.open.get(path);
    if (!f) {
      f = GwfFile.openSync(path);
      this.open.set(path, f);
    }
    return f;
  }

  /** Copy the frames of one file that overlap the window. */
  private async readFile(
    path: string,
    w: {
      aNs: bigint;
      bNs: bigint;
      firstIndex: number[];
      counts: number[];
      targets: GridArray[];
      active: boolean[];
      mismatches: GridMismatch[];
    },
    spans: number[][],
  ): Promise<void> {
    const channels = this.channels;
    const f = this.fileAt(path);
    const wanted = channels.filter((_, i) => w.active[i]).map((c) => c.name);
    if (wanted.length === 0) return;
    const few = wanted.length * 8 < f.channelCount;
    for (const frame of f.frames) {
      const f0 = frame.t0Gps;
      const f1 = f0 + BigInt(Math.round(frame.durationSeconds * 1e9));
      if (f1 <= w.aNs || f0 >= w.bNs) continue;
      const got = await f.readFrameData(frame.index, few ? { channels: wanted } : {});
      const stamp = ++this.frameStamp;
      // Frame start relative to each grid's sample 0, in ns (exact below 2^53 ns = 104 days).
      const frameOffsetNs = new Map<bigint, number>();
      for (const { record, vector, data } of got) {
        const i = this.byName.get(record.name);
        if (i === undefined || !w.active[i] || this.stamp[i] === stamp) continue;
        this.stamp[i] = stamp;
        const c = channels[i];
        const mismatch = (kind: GridMismatchKind, message: string): void => {
          w.active[i] = false;
          spans[i] = [];
          w.targets[i].fill(NaN);
          w.mismatches.push({ channel: i, kind, message, file: path, frame: frame.index, gpsSeconds: frame.gpsSeconds });
        };
        const at = `at GPS ${frame.gpsSeconds}`;
        const source = c.sourceDtype ?? c.dtype;
        const rate = record.sampleRate > 0 ? record.sampleRate : vector.dx[0] > 0 ? 1 / vector.dx[0] : 0;
        if (Array.isArray(data) || vector.dtype.startsWith('complex')) {
          mismatch('dtype', `type changed from ${source} to ${vector.dtype} ${at}`);
          continue;
        }
        if (Math.abs(rate - c.sampleRate) > 1e-9 * c.sampleRate) {
          mismatch('sample-rate', `sample rate changed from ${c.sampleRate} Hz to ${rate} Hz ${at}`);
          continue;
        }
        if ((c.dtype === 'float32') !== (vector.dtype === 'float32')) {
          mismatch('dtype', `type changed from ${source} to ${vector.dtype} ${at}`);
          continue;
        }
        let off = frameOffsetNs.get(c.t0Ns);
        if (off === undefined) frameOffsetNs.set(c.t0Ns, (off = Number(f0 - c.t0Ns)));
        const exact = ((off + Math.round(((record.timeOffset ?? 0) + (vector.startX[0] ?? 0)) * 1e9)) * c.sampleRate) / 1e9;
        const g0 = Math.round(exact);
        if (Math.abs(exact - g0) > 1e-3) {
          mismatch('off-grid', `samples moved off the grid (by ${(exact - g0).toFixed(3)} samples) ${at}`);
          continue;
        }
        const iA = w.firstIndex[i];
        const from = Math.max(g0, iA);
        const to = Math.min(g0 + data.length, iA + w.counts[i]);
        if (to <= from) continue;
        const dst = w.targets[i];
        const d0 = from - iA;
        const s0 = from - g0;
        if (dst.constructor === data.constructor) {
          dst.set((data as GridArray).subarray(s0, s0 + (to - from)), d0);
        } else {
          for (let k = 0; k < to - from; k++) dst[d0 + k] = Number(data[s0 + k]);
        }
        spans[i].push(from - iA, to - iA);
      }
    }
  }
}
