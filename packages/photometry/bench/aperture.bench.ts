/**
 * 10^4 circular apertures (r = 5 px, and r = 5 with a background annulus
 * 8-12 px; err and gain given, SEP's default subpix 5) on seeded 1024^2 and
 * 4096^2 float32 images, against python3-sep 1.2.1 measured in the same
 * run (best of several runs each). Prints apertures/s and the ratio.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { sumCircle } from '@astro/photometry';
import { seededRandom } from '@astro/core';

const here = path.dirname(fileURLToPath(import.meta.url));
const NAPER = 10_000;
const REPEATS = 7;

function setup(size: number) {
  const rand = seededRandom(size);
  const data = new Float32Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = 1000 + 30 * (rand() + rand() + rand() - 1.5) * 2;
  const x = Float64Array.from({ length: NAPER }, () => 10 + rand() * (size - 20));
  const y = Float64Array.from({ length: NAPER }, () => 10 + rand() * (size - 20));
  return { image: { data, width: size, height: size }, x, y };
}

function sepTimes(size: number): { r5: number; r5_bkgann: number; photutils_r5?: number } | undefined {
  const r = spawnSync('/usr/bin/python3', [path.join(here, '..', 'scripts', 'bench_sep_apertures.py'), String(size), String(NAPER), String(REPEATS)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as { r5: number; r5_bkgann: number; photutils_r5?: number };
}

function best(fn: () => void): number {
  fn(); // warm-up
  let t = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

for (const size of [1024, 4096]) {
  describe(`sumCircle, ${NAPER} apertures, ${size}x${size}`, () => {
    const { image, x, y } = setup(size);
    const run = () => sumCircle(image, x, y, 5, { err: 30, gain: 1 });
    const runAnn = () => sumCircle(image, x, y, 5, { err: 30, gain: 1, bkgann: [8, 12] });
    const ours = { r5: best(run), r5_bkgann: best(runAnn) };
    const ref = sepTimes(size);
    for (const k of ['r5', 'r5_bkgann'] as const) {
      const rate = NAPER / ours[k];
      const line = ref
        ? `ratio (ours / SEP time) ${(ours[k] / ref[k]).toFixed(2)} (SEP ${(NAPER / ref[k] / 1e6).toFixed(2)} M apertures/s)`
        : 'python3-sep not available: no ratio';
      console.log(`[aperture ${size}^2 ${k}] @astro/photometry ${(rate / 1e6).toFixed(2)} M apertures/s; ${line}`);
    }
    if (ref?.photutils_r5 !== undefined) {
      console.log(
        `[aperture ${size}^2 r5] photutils 1.6 (subpixel 5, error array) ${(NAPER / ref.photutils_r5 / 1e6).toFixed(3)} M apertures/s; ours ${(ref.photutils_r5 / ours.r5).toFixed(1)}x faster`,
      );
    }
    bench('r=5', () => void run());
    bench('r=5 + bkgann (8, 12)', () => void runAnn());
  });
}
