/**
 * Read throughput of @astro/gwf on the files named in issue 4, next to
 * FrameL 8.30's figures measured on this machine (the issue's table). MB/s
 * counts decoded sample bytes; the ratio is ours / FrameL's. The large
 * 64-frame × 20-channel 16 kHz files are generated once with our writer
 * (seeded) into the OS temp directory.
 *
 * Run: pnpm exec vitest bench --run --project gwf
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { GwfFile, readChannels, writeGwf } from '@astro/gwf';
import type { GwfCompression, GwfWriteChannel } from '@astro/gwf';
import { sharedData } from '@astro/test-support/shared-data';
import { makeFrames, signal } from '../test/support/synthetic.js';

const ref = sharedData('gwf');
const work = path.join(tmpdir(), 'astro-gwf-bench');

interface Case {
  label: string;
  file: string;
  framelMBs: number;
  /** FrameL's figure is for a compressed case (target 0.8×) or raw (0.5×). */
  compressed: boolean;
}

const cases: Case[] = [];
if (ref) {
  cases.push(
    { label: 'LOSC H1 32 s (float64 zlib)', file: path.join(ref, 'H-H1_LOSC_4_V2-1126259446-32.gwf'), framelMBs: 147, compressed: true },
    { label: 'F-TEST v6 big-endian raw int32', file: path.join(ref, 'F-TEST-600000000-60.gwf'), framelMBs: 3676, compressed: false },
    { label: 'libframe-test (zero-suppress int16)', file: path.join(ref, 'libframe-test.gwf'), framelMBs: 418, compressed: true },
  );
}
cases.push(
  { label: '64×20 16 kHz float32 zlib', file: path.join(work, 'f32-zlib.gwf'), framelMBs: 142, compressed: true },
  { label: '64×20 16 kHz float32 zero-suppress (8)', file: path.join(work, 'f32-zs.gwf'), framelMBs: 571, compressed: true },
  { label: '64×20 16 kHz int32 diff+zlib (3)', file: path.join(work, 'i32-diff.gwf'), framelMBs: 66, compressed: true },
);

async function generate(file: string, compression: GwfCompression, type: 'f32' | 'i32'): Promise<void> {
  if (existsSync(file)) return;
  const channels = (f: number): GwfWriteChannel[] =>
    Array.from({ length: 20 }, (_, c) => {
      const s = signal(16384, f * 100 + c);
      return {
        name: `X1:CH${String(c).padStart(2, '0')}`,
        kind: 'adc' as const,
        data: type === 'f32' ? Float32Array.from(s) : Int32Array.from(s, (v) => Math.round(v * 100)),
        sampleRate: 16384,
      };
    });
  await writeGwf(file, makeFrames(64, 1_000_000_000, 1, channels), { compression });
}

/** Trend-like day: 1 Hz, 2000 channels, 100 s frames (one hour generated, the day extrapolated). */
const trendFile = path.join(work, 'trend-1h.gwf');
const TREND_CHANNELS = Array.from({ length: 2000 }, (_, c) => `V1:TREND_${String(c).padStart(4, '0')}_mean`);
async function generateTrend(): Promise<void> {
  if (existsSync(trendFile)) return;
  await writeGwf(
    trendFile,
    makeFrames(36, 1_300_000_000, 100, (f) =>
      TREND_CHANNELS.map((name, c) => ({ name, data: Float64Array.from(signal(100, f * 7919 + c)), sampleRate: 1 })),
    ),
    { compression: 'zlib' },
  );
}

/** Read every channel of every frame (one pass per frame); returns decoded bytes. */
async function readEverything(file: string): Promise<number> {
  const g = await GwfFile.open(file);
  let bytes = 0;
  try {
    for (const frame of g.frames) for (const c of await g.readFrameData(frame.index)) bytes += (c.data as ArrayBufferView).byteLength;
  } finally {
    await g.close();
  }
  return bytes;
}

const stats = new Map<string, { bytes: number; cpuUs: number; wallMs: number; runs: number; best: number }>();
function record(label: string, bytes: number, cpuUs: number, wallMs: number): void {
  const s = stats.get(label) ?? { bytes: 0, cpuUs: 0, wallMs: 0, runs: 0, best: Infinity };
  s.bytes = bytes;
  s.cpuUs += cpuUs;
  s.wallMs += wallMs;
  s.runs++;
  s.best = Math.min(s.best, cpuUs);
  stats.set(label, s);
}

beforeAll(async () => {
  mkdirSync(work, { recursive: true });
  await generate(path.join(work, 'f32-zlib.gwf'), 'zlib', 'f32');
  await generate(path.join(work, 'f32-zs.gwf'), 'zero-suppress', 'f32');
  await generate(path.join(work, 'i32-diff.gwf'), 'diff-zlib', 'i32');
  await generateTrend();
}, 600_000);

afterAll(() => {
  console.log('\n@astro/gwf read throughput (decoded MB/s; best run, CPU time) vs FrameL 8.30 (issue 4 figures)');
  console.log('case'.padEnd(42) + 'MB'.padStart(7) + 'ms'.padStart(9) + 'MB/s'.padStart(8) + 'FrameL'.padStart(8) + 'ratio'.padStart(7) + '  target');
  for (const c of cases) {
    const s = stats.get(c.label);
    if (!s) continue;
    const mbs = s.bytes / 1e6 / (s.best / 1e6);
    const target = c.compressed ? 0.8 : 0.5;
    console.log(
      c.label.padEnd(42) +
        (s.bytes / 1e6).toFixed(1).padStart(7) +
        (s.best / 1000).toFixed(2).padStart(9) +
        mbs.toFixed(0).padStart(8) +
        String(c.framelMBs).padStart(8) +
        (mbs / c.framelMBs).toFixed(2).padStart(7) +
        `  ${target}x ${mbs / c.framelMBs >= target ? 'met' : 'NOT met'}`,
    );
  }
  const t = stats.get('trend');
  if (t) {
    const hourS = t.best / 1e6;
    console.log(
      `trend day (1 Hz, 2000 channels, 100 s frames): one hour read with readChannels in ${hourS.toFixed(2)} s CPU -> a day in ~${(hourS * 24).toFixed(0)} s (target < 60 s for the whole conversion)`,
    );
  }
});

describe('gwf read', () => {
  for (const c of cases) {
    bench(
      c.label,
      async () => {
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        const bytes = await readEverything(c.file);
        const u = process.cpuUsage(cpu);
        record(c.label, bytes, u.user + u.system, performance.now() - t0);
      },
      { time: 1500, iterations: 8, warmupIterations: 1 },
    );
  }
  bench(
    'trend hour: readChannels 2000 channels × 3600 s',
    async () => {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const series = await readChannels([trendFile], TREND_CHANNELS, { gpsStart: 1_300_000_000, gpsEnd: 1_300_003_600 });
      const u = process.cpuUsage(cpu);
      record('trend', series.length, u.user + u.system, performance.now() - t0);
    },
    { time: 1000, iterations: 2, warmupIterations: 0 },
  );
});
