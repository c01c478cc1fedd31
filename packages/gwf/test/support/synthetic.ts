/** Seeded synthetic channels for round-trip tests and benchmarks. */
import type { GwfWriteChannel, GwfWriteFrame } from '@astro/gwf';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
