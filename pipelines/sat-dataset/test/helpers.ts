import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { utcToGps } from '@astro/gwf';
import { writeSyntheticFrames } from '@astro/sat-dataset';

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bin = (name: string): string => path.join(packageDir, 'bin', name);
/** A worker like sat-worker that injects a fault (`--kill-at flush:5:1`) through convertDay's `faults` option. */
export const faultWorker = path.join(packageDir, 'test', 'fault-worker.mjs');

const created: string[] = [];
// Each test file removes its temporary directories at the end (keep them with SAT_KEEP_TMP=1).
afterAll(() => {
  if (!process.env.SAT_KEEP_TMP) for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `sat-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Channels of the small synthetic day (index = position, see syntheticValue). */
export const SMALL_CHANNELS = [
  { name: 'V1:TREND_A_1Hz', sampleRate: 1 },
  { name: 'V1:FAST_B_64Hz', sampleRate: 64, dtype: 'float32' as const },
  { name: 'V1:INT_C_16Hz', sampleRate: 16, dtype: 'int16' as const },
];

/**
 * A synthetic 40-minute stretch starting at `date` 00:00 UTC: 100 s frames,
 * 2 per file, no frames in [700 s, 1000 s) (a gap), plus whatever extra
 * channels. Returns the FFL, channels file and the window's GPS start.
 */
export async function smallDay(dir: string, options: { date?: string; extra?: object[]; requested?: string[]; minutes?: number } = {}) {
  const date = options.date ?? '2023-06-01';
  const g0 = utcToGps(`${date}T00:00:00Z`);
  const minutes = options.minutes ?? 40;
  const channels = [...SMALL_CHANNELS, ...(options.extra ?? [])];
  const { ffl, files } = await writeSyntheticFrames({
    dir: path.join(dir, 'frames'),
    gpsStart: g0,
    nFrames: (minutes * 60) / 100,
    frameSeconds: 100,
    framesPerFile: 2,
    gaps: [[g0 + 700, g0 + 1000]],
    channels: channels as never,
  });
  const channelsFile = path.join(dir, 'channels.txt');
  writeFileSync(channelsFile, `# test channels\n${(options.requested ?? channels.map((c) => (c as { name: string }).name)).join('\n')}\n`);
  return { ffl, files, channelsFile, g0, date };
}
