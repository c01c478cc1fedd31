/**
 * Shared set-up of bench/background.bench.ts and bench/extract.bench.ts:
 * the benchmark images (written raw for the python reference), best-of-n
 * timing and the python3-sep runner.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sharedData } from '@astro/test-support/shared-data';
import { readFitsFloat32 } from '../test/extract-helpers.js';
import { seededRandom } from '@astro/core';

/** Best wall time and best process CPU time (seconds) of `fn` over `n` runs after one warm-up. */
export function best(fn: () => unknown, n: number): { wall: number; cpu: number } {
  fn();
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

/** Run a python3 script (Debian's, with python3-sep) and parse its JSON output. */
export function runPython(script: string, args: string[]): Record<string, number> | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.log(`python reference failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
    return undefined;
  }
  return JSON.parse(r.stdout) as Record<string, number>;
}

/** A seeded 1024^2 star field (sky 1000, noise ~32, 450 Moffat-like stars). */
function syntheticField(): Float32Array {
  const n = 1024;
  const rand = seededRandom(42);
  const img = new Float32Array(n * n);
  for (let i = 0; i < img.length; i++) img[i] = 1000 + 32 * (rand() + rand() + rand() + rand() - 2) * 1.732;
  for (let s = 0; s < 450; s++) {
    const cx = rand() * n;
    const cy = rand() * n;
    const amp = 50 + 5000 * rand() ** 3;
    for (let y = Math.max(0, Math.floor(cy - 12)); y < Math.min(n, cy + 12); y++) {
      for (let x = Math.max(0, Math.floor(cx - 12)); x < Math.min(n, cx + 12); x++) {
        const q = 1 + ((x - cx) ** 2 + (y - cy) ** 2) / 4;
        img[y * n + x] += amp / (q * q * q);
      }
    }
  }
  return img;
}

/** The 1024^2 field and its 4x4 tiling, each also written raw for python. */
export function benchImages(): { size: number; data: Float32Array; file: string }[] {
  const dir = sharedData('photometry');
  const field = dir ? readFitsFloat32(path.join(dir, 'field.fits')).data : syntheticField();
  const big = new Float32Array(4096 * 4096);
  for (let ty = 0; ty < 4; ty++) {
    for (let y = 0; y < 1024; y++) {
      for (let tx = 0; tx < 4; tx++) big.set(field.subarray(y * 1024, (y + 1) * 1024), (ty * 1024 + y) * 4096 + tx * 1024);
    }
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'phot-bench-'));
  return [
    { size: 1024, data: field },
    { size: 4096, data: big },
  ].map(({ size, data }) => {
    const file = path.join(tmp, `field-${size}.f32`);
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); // little-endian hosts
    return { size, data, file };
  });
}

