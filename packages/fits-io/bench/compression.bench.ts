/**
 * Decompression throughput against Debian's python3-astropy (cfitsio inside),
 * measured in the same run and interleaved (ours, astropy, ours, ...). Seeded
 * 4096x4096 images written by our writer into a temp directory: int16 sky
 * (1000 +- 30 counts with stars) RICE_1, the same as GZIP_2, and a float32
 * sky quantized with SUBTRACTIVE_DITHER_1 and RICE_1. Prints pixels/s and the
 * ratio ours/astropy (time; < 1 is faster). `rice_i16_into` decompresses into a
 * reused buffer (readImage({ into })), as a batch job over same-size frames can.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { bench, describe } from 'vitest';
import { compressImage, readFits, writeFits } from '@astro/fits-io';
import type { CompressImageOptions } from '@astro/fits-io';

const N = 4096;
const ROUNDS = Number(process.env.FITS_BENCH_ROUNDS ?? 5);
const dir = path.join(tmpdir(), 'astro-fits-compression-bench-v1');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function sky(): Float64Array {
  const r = seeded(7);
  const img = new Float64Array(N * N);
  for (let i = 0; i < img.length; i += 2) {
    // Box-Muller pairs
    const u = r() || 1e-12;
    const v = r();
    const m = 30 * Math.sqrt(-2 * Math.log(u));
    img[i] = 1000 + m * Math.cos(2 * Math.PI * v);
    img[i + 1] = 1000 + m * Math.sin(2 * Math.PI * v);
  }
  for (let k = 0; k < 3000; k++) {
    const cx = r() * N;
    const cy = r() * N;
    const flux = 200 + 20000 * r() ** 4;
    for (let y = Math.max(0, Math.floor(cy - 6)); y < Math.min(N, cy + 6); y++) {
      for (let x = Math.max(0, Math.floor(cx - 6)); x < Math.min(N, cx + 6); x++) {
        img[y * N + x] += flux * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4.5);
      }
    }
  }
  return img;
}

const cases = {
  rice_i16: { file: 'rice_i16.fits', options: { compression: 'RICE_1' } as CompressImageOptions, float: false },
  rice_i16_into: { file: 'rice_i16.fits', options: { compression: 'RICE_1' } as CompressImageOptions, float: false },
  gzip2_i16: { file: 'gzip2_i16.fits', options: { compression: 'GZIP_2' } as CompressImageOptions, float: false },
  rice_f32: { file: 'rice_f32_dither.fits', options: { compression: 'RICE_1', quantizeMethod: 'SUBTRACTIVE_DITHER_1' } as CompressImageOptions, float: true },
} as const;
type CaseName = keyof typeof cases;

async function makeData(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  let base: Float64Array | undefined;
  for (const c of Object.values(cases)) {
    const file = path.join(dir, c.file);
    if (existsSync(file)) continue;
    base ??= sky();
    const data = c.float ? Float32Array.from(base) : Int16Array.from(base, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
    await writeFits(file, [{ kind: 'empty' }, compressImage(data, [N, N], c.options)]);
  }
}

const reused = new Int16Array(N * N);

async function ours(name: CaseName): Promise<void> {
  const fits = await readFits(path.join(dir, cases[name].file));
  await fits.hdus[1].readImage(name === 'rice_i16_into' ? { into: reused } : {});
}

const PY = String.raw`
import sys, time
from astropy.io import fits
for line in sys.stdin:
    t0 = time.perf_counter()
    d = fits.getdata(line.strip(), 1)
    print(time.perf_counter() - t0, flush=True)
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function compare(): Promise<void> {
  const py = existsSync('/usr/bin/python3') ? spawn('/usr/bin/python3', ['-W', 'ignore', '-c', PY], { stdio: ['pipe', 'pipe', 'inherit'] }) : undefined;
  const lines = py ? readline.createInterface({ input: py.stdout! })[Symbol.asyncIterator]() : undefined;
  const astropy = async (name: CaseName): Promise<number | undefined> => {
    if (!py || !lines) return undefined;
    py.stdin!.write(`${path.join(dir, cases[name].file)}\n`);
    const next = await lines.next();
    return next.done ? undefined : Number(next.value) * 1000;
  };
  for (const name of Object.keys(cases) as CaseName[]) {
    const a: number[] = [];
    const b: number[] = [];
    await ours(name);
    await astropy(name);
    for (let k = 0; k < ROUNDS; k++) {
      const t0 = performance.now();
      await ours(name);
      a.push(performance.now() - t0);
      const t = await astropy(name);
      if (t !== undefined && Number.isFinite(t)) b.push(t);
    }
    const mo = median(a);
    const rate = ((N * N) / (mo / 1000) / 1e6).toFixed(1);
    if (b.length > 0) {
      const ma = median(b);
      console.log(
        `fits-io decompress ${name} 4096x4096: ours ${mo.toFixed(1)} ms (${rate} Mpixels/s), astropy ${ma.toFixed(1)} ms ` +
          `(${((N * N) / (ma / 1000) / 1e6).toFixed(1)} Mpixels/s), ratio ours/astropy ${(mo / ma).toFixed(2)} (median of ${ROUNDS})`,
      );
    } else {
      console.log(`fits-io decompress ${name} 4096x4096: ours ${mo.toFixed(1)} ms (${rate} Mpixels/s); astropy not available (apt-get install -y python3-astropy)`);
    }
  }
  py?.stdin!.end();
}

await makeData();
await compare();

describe('fits-io decompress (ours)', () => {
  bench('RICE_1 int16 4096x4096', () => ours('rice_i16'), { iterations: 3, time: 0 });
  bench('GZIP_2 int16 4096x4096', () => ours('gzip2_i16'), { iterations: 3, time: 0 });
  bench('RICE_1 dithered float32 4096x4096', () => ours('rice_f32'), { iterations: 3, time: 0 });
});
