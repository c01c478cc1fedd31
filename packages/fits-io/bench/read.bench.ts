/**
 * Read throughput against Debian's python3-astropy, measured in the same run
 * and interleaved (ours, astropy, ours, ...) so that load from other
 * processes hits both alike. Seeded data written by our writer into a temp
 * directory: a 4096x4096 float32 image, a 4096x4096 int16 BZERO (uint16)
 * image and a 10^6-row binary table with 10 columns (K, 2D, 2E, J, I, B, 3E,
 * 9A); and writing the float32 image (writeFits: temp file, fsync, rename;
 * astropy: writeto + fsync). Prints pixels/s or rows/s and the ratio
 * ours/astropy (time; < 1 is faster).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { bench, describe } from 'vitest';
import { readFits, writeFits } from '@astro/fits-io';

const N = 4096;
const ROWS = 1_000_000;
const ROUNDS = Number(process.env.FITS_BENCH_ROUNDS ?? 9);
const dir = path.join(tmpdir(), 'astro-fits-bench-v1');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function makeData(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const r = seeded(1);
  if (!existsSync(path.join(dir, 'f32.fits'))) {
    const f32 = new Float32Array(N * N);
    for (let i = 0; i < f32.length; i++) f32[i] = r() * 1000 - 100;
    await writeFits(path.join(dir, 'f32.fits'), [{ kind: 'image', data: f32, shape: [N, N] }]);
  }
  if (!existsSync(path.join(dir, 'u16.fits'))) {
    const u16 = new Uint16Array(N * N);
    for (let i = 0; i < u16.length; i++) u16[i] = (r() * 65536) | 0;
    await writeFits(path.join(dir, 'u16.fits'), [{ kind: 'image', data: u16, shape: [N, N] }]);
  }
  if (!existsSync(path.join(dir, 'table.fits'))) {
    await writeFits(path.join(dir, 'table.fits'), [
      {
        kind: 'binary-table',
        name: 'CAT',
        columns: [
          { name: 'id', data: BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(i)) },
          { name: 'ra', data: Float64Array.from({ length: ROWS }, () => r() * 360) },
          { name: 'dec', data: Float64Array.from({ length: ROWS }, () => r() * 180 - 90) },
          { name: 'mag', data: Float32Array.from({ length: ROWS }, () => r() * 10 + 10) },
          { name: 'err', data: Float32Array.from({ length: ROWS }, () => r()) },
          { name: 'flags', data: Int32Array.from({ length: ROWS }, () => (r() * 1000) | 0) },
          { name: 'nobs', data: Int16Array.from({ length: ROWS }, () => (r() * 1000) | 0) },
          { name: 'band', data: Uint8Array.from({ length: ROWS }, () => (r() * 5) | 0) },
          { name: 'flux3', data: Float32Array.from({ length: 3 * ROWS }, () => r()), format: '3E' },
          { name: 'name', data: Array.from({ length: ROWS }, (_, i) => `s${String(i).padStart(8, '0')}`) },
        ],
      },
    ]);
  }
}

const cases = {
  write: { file: 'write.fits', units: N * N, unit: 'pixels' },
  f32: { file: 'f32.fits', units: N * N, unit: 'pixels' },
  u16: { file: 'u16.fits', units: N * N, unit: 'pixels' },
  table: { file: 'table.fits', units: ROWS, unit: 'rows' },
} as const;
type CaseName = keyof typeof cases;

const reused = new Float32Array(N * N);

let writeData: Float32Array | undefined;

async function ours(name: CaseName, reuse = false): Promise<void> {
  if (name === 'write') {
    writeData ??= Float32Array.from({ length: N * N }, (_, i) => (i % 1000) * 0.5);
    await writeFits(path.join(dir, 'write-ours.fits'), [{ kind: 'image', data: writeData, shape: [N, N] }]);
    return;
  }
  const fits = await readFits(path.join(dir, cases[name].file));
  if (name === 'table') {
    const t = await fits.hdus[1].readTable();
    for (const c of t.names) t.column(c);
  } else {
    await fits.hdus[0].readImage(reuse ? { into: reused } : {});
  }
}

// astropy: getdata(memmap=False) reads the whole data unit (images: scaled to
// uint16 where BZERO says so, float32 left big-endian as astropy returns it);
// tables: getdata + np.asarray of every column (what a user then works with).
const PY = String.raw`
import os, sys, time, numpy as np
from astropy.io import fits
wdata = None
for line in sys.stdin:
    name, p = line.split()
    if name == 'write' and wdata is None:
        wdata = ((np.arange(4096 * 4096) % 1000) * 0.5).astype(np.float32).reshape(4096, 4096)
    t0 = time.perf_counter()
    if name == 'write':
        # what writeFits does: write, then fsync (our write is atomic and durable)
        fits.writeto(p, wdata, overwrite=True)
        fd = os.open(p, os.O_RDONLY); os.fsync(fd); os.close(fd)
    elif name == 'table':
        d = fits.getdata(p, 1, memmap=False)
        cols = [np.asarray(d[c]) for c in d.names]
    elif name == 'f32native':
        d = fits.getdata(p, memmap=False)
        d = d.astype(d.dtype.newbyteorder('='))
    else:
        d = fits.getdata(p, memmap=False)
    print(time.perf_counter() - t0, flush=True)
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function compare(): Promise<void> {
  const hasPython = existsSync('/usr/bin/python3');
  const py = hasPython ? spawn('/usr/bin/python3', ['-c', PY], { stdio: ['pipe', 'pipe', 'inherit'] }) : undefined;
  const lines = py ? readline.createInterface({ input: py.stdout! })[Symbol.asyncIterator]() : undefined;
  const astropy = async (name: CaseName, native = false): Promise<number | undefined> => {
    if (!py || !lines) return undefined;
    py.stdin!.write(`${native ? 'f32native' : name} ${path.join(dir, cases[name].file)}\n`);
    const next = await lines.next();
    if (next.done) return undefined;
    return Number(next.value) * 1000;
  };
  // f32 is also compared with astropy followed by the conversion to native
  // byte order that our read includes (astropy returns big-endian float32)
  const runs: Array<[CaseName, boolean, boolean?]> = [
    ['write', false],
    ['f32', false],
    ['f32', false, true],
    ['f32', true],
    ['u16', false],
    ['u16', true],
    ['table', false],
  ];
  for (const [name, reuse, native = false] of runs) {
    const a: number[] = [];
    const b: number[] = [];
    await ours(name, reuse); // warm page cache and JIT
    await astropy(name, native);
    for (let k = 0; k < ROUNDS; k++) {
      const t0 = performance.now();
      await ours(name, reuse);
      a.push(performance.now() - t0);
      const t = await astropy(name, native);
      if (t !== undefined && Number.isFinite(t)) b.push(t);
    }
    const c = cases[name];
    const mo = median(a);
    const rate = (c.units / (mo / 1000) / 1e6).toFixed(1);
    const label = `${name}${reuse ? ' (into: reused buffer)' : ''}${native ? ' vs astropy + astype(native)' : ''}`;
    if (b.length > 0) {
      const ma = median(b);
      console.log(
        `fits-io ${name === 'write' ? 'write f32' : `read ${label}`}: ours ${mo.toFixed(1)} ms (${rate} M${c.unit}/s), astropy ${ma.toFixed(1)} ms ` +
          `(${(c.units / (ma / 1000) / 1e6).toFixed(1)} M${c.unit}/s), ratio ours/astropy ${(mo / ma).toFixed(2)} (median of ${ROUNDS})`,
      );
    } else {
      console.log(`fits-io ${name === 'write' ? 'write f32' : `read ${label}`}: ours ${mo.toFixed(1)} ms (${rate} M${c.unit}/s); astropy not available (apt-get install -y python3-astropy)`);
    }
  }
  py?.stdin!.end();
}

await makeData();
await compare();

describe('fits-io read and write (ours)', () => {
  bench('write float32 4096x4096 image', () => ours('write'), { iterations: 3, time: 0 });
  bench('float32 4096x4096 image', () => ours('f32'), { iterations: 3, time: 0 });
  bench('float32 4096x4096 image into a reused buffer', () => ours('f32', true), { iterations: 3, time: 0 });
  bench('uint16 (int16 + BZERO) 4096x4096 image', () => ours('u16'), { iterations: 3, time: 0 });
  bench('10^6-row 10-column binary table, all columns', () => ours('table'), { iterations: 3, time: 0 });
});
