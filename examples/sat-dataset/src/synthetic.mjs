// Synthetic Virgo-like frame files for the demo, the tests and the benchmark,
// written with @astro/gwf's GWF v8 writer. Every sample is a known function
// of (channel, GPS time), so a conversion can be checked value for value.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GwfWriter, formatFfl } from '@astro/gwf';

/**
 * @typedef {object} SyntheticChannel
 * @property {string} name            channel name, e.g. `V1:TEST_1Hz`
 * @property {number} sampleRate      samples per second
 * @property {'float32'|'float64'|'int32'|'int16'} [dtype]  FrVect type (default float64)
 * @property {string} [unit]          unit (default 'counts')
 * @property {'adc'|'proc'} [kind]    structure kind (default 'adc')
 * @property {number} [index]         value seed (default: position in the list)
 * @property {{ fromGps: number, sampleRate: number }} [rateChange]  from this GPS second on, the channel is written at another rate
 * @property {{ fromGps: number, toGps: number }} [absent]            not written in frames starting in [fromGps, toGps)
 */

/**
 * @typedef {object} SyntheticFramesOptions
 * @property {string} dir                     output directory (created)
 * @property {number} gpsStart                GPS second of the first frame
 * @property {number} nFrames                 number of frames (gaps included in the count)
 * @property {number} frameSeconds            frame length, seconds
 * @property {number} [framesPerFile]         frames per file (default 1)
 * @property {SyntheticChannel[]} channels    channels of every frame
 * @property {[number, number][]} [gaps]      GPS [start, end) spans with no frames written
 * @property {string} [prefix]                file name prefix (default 'V-SYN')
 * @property {'raw'|'zlib'|'zero-suppress'} [compression]  vector compression (default zlib)
 * @property {string} [fflName]               name of the FFL written next to the files (default 'frames.ffl')
 * @property {number} [parallelFiles]         files written at once (default 1; the writer mostly waits on fs)
 */

/**
 * The value of synthetic channel `index` at sample `k` (sample number since
 * GPS 0 at the channel's rate). Exact in float32 for index < 4000.
 * @param {number} index
 * @param {number} k
 * @returns {number}
 */
export function syntheticValue(index, k) {
  return (index + 1) * 1000 + (k % 4096) / 4;
}

/**
 * @param {string} dtype
 * @param {number} n
 */
function allocate(dtype, n) {
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
 * Write synthetic frame files and an FFL listing them. Returns the FFL path
 * and the files written (FFL order).
 * @param {SyntheticFramesOptions} options
 * @returns {Promise<{ ffl: string, files: { path: string, gpsStart: number, durationSeconds: number }[] }>}
 */
export async function writeSyntheticFrames(options) {
  const { dir, gpsStart, nFrames, frameSeconds } = options;
  const perFile = options.framesPerFile ?? 1;
  const prefix = options.prefix ?? 'V-SYN';
  const gaps = options.gaps ?? [];
  mkdirSync(dir, { recursive: true });
  const inGap = (/** @type {number} */ t) => gaps.some(([a, b]) => t >= a && t < b);
  /** @type {number[][]} runs of contiguous frame start times, one file each */
  const runs = [];
  for (let f0 = 0; f0 < nFrames; f0 += perFile) {
    const frames = [];
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
  const writeRun = async (/** @type {number[]} */ r) => {
    const duration = r.length * frameSeconds;
    const file = path.join(dir, `${prefix}-${r[0]}-${duration}.gwf`);
    const writer = await GwfWriter.create(file, { compression: options.compression ?? 'zlib', frameName: 'SYN' });
    try {
      for (const t of r) {
        const channels = [];
        options.channels.forEach((c, position) => {
          if (c.absent && t >= c.absent.fromGps && t < c.absent.toGps) return;
          const rate = c.rateChange && t >= c.rateChange.fromGps ? c.rateChange.sampleRate : c.sampleRate;
          const n = Math.round(frameSeconds * rate);
          const data = allocate(c.dtype ?? 'float64', n);
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
  /** @type {{ path: string, gpsStart: number, durationSeconds: number }[]} */
  const files = new Array(runs.length);
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
  writeFileSync(ffl, formatFfl(files));
  return { ffl, files };
}
