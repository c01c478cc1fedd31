/** Seeded synthetic channels for round-trip tests and benchmarks. */
import type { GwfWriteChannel, GwfWriteFrame } from '@astro/gwf';
import { seededRandom } from '@astro/core';

/** Seeded uniform numbers (core's mulberry32). */
export const rng = seededRandom;

/** A smooth noisy signal like detector data. */
export function signal(n: number, seed: number, scale = 1000): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  let phase = r() * 6.28;
  for (let i = 0; i < n; i++) {
    phase += 0.01;
    out[i] = scale * Math.sin(phase) + scale * 0.05 * (r() - 0.5);
  }
  return out;
}

/** Frames of `channels(frameIndex)` starting at gpsStart seconds. */
export function makeFrames(
  nFrames: number,
  gpsStart: number,
  durationSeconds: number,
  channels: (frame: number) => GwfWriteChannel[],
): GwfWriteFrame[] {
  const frames: GwfWriteFrame[] = [];
  for (let i = 0; i < nFrames; i++) {
    frames.push({
      t0Gps: BigInt(gpsStart) * 1_000_000_000n + BigInt(Math.round(i * durationSeconds * 1e9)),
      durationSeconds,
      channels: channels(i),
    });
  }
  return frames;
}
