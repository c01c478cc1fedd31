/**
 * Write throughput of a synthetic VIRAC-like tile (seeded): 20,000 rows x
 * 100..300 float32 values x 4 vlen columns, chunked gzip + shuffle, with this
 * package's writer vs h5py writing the same data (measured in the same run,
 * data generation excluded on both sides). Prints rows/s, MB/s and the ratio.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { withHdf5 } from '@astro/hdf5-io';

const PYTHON = '/usr/bin/python3';
const hasH5py = spawnSync(PYTHON, ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0;
const tmp = mkdtempSync(path.join(tmpdir(), 'hdf5-io-wbench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const N = 20_000;
const COLS = ['hfad_mag', 'hfad_emag', 'chi', 'sky'];
const rows = Array.from({ length: N }, (_, i) => Float32Array.from({ length: 100 + ((i * 7919) % 200) }, (_, j) => 10 + ((i + j) % 97) / 10));
const bytes = rows.reduce((s, r) => s + r.byteLength, 0) * COLS.length;

async function writeOurs(file: string): Promise<number> {
  const t0 = performance.now();
  await withHdf5(file, { mode: 'w' }, (f) => {
    for (const c of COLS) f.createVlenDataset(`/timeSeries/${c}`, rows, { compression: 'gzip', shuffle: true });
  });
  return (performance.now() - t0) / 1000;
}

function writeH5py(file: string): number {
  const out = execFileSync(PYTHON, ['-c', `
import sys, time, h5py, numpy as np
N = ${N}
rows = np.empty(N, dtype=object)
for i in range(N):
    rows[i] = (10 + ((i + np.arange(100 + (i * 7919) % 200)) % 97) / 10).astype("<f4")
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    with h5py.File(sys.argv[1], "w") as f:
        for c in ${JSON.stringify(COLS)}:
            f.create_dataset("timeSeries/" + c, data=rows, dtype=h5py.vlen_dtype(np.float32), compression="gzip", shuffle=True, chunks=True)
    best = min(best, time.perf_counter() - t)
print(best)`, file], { encoding: 'utf8' });
  return Number(out.trim());
}

describe('vlen write', async () => {
  const ours = path.join(tmp, 'ours.h5');
  await writeOurs(ours); // warm-up
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, await writeOurs(ours));
  const py = hasH5py ? writeH5py(path.join(tmp, 'h5py.h5')) : Number.NaN;
  console.log(
    `[hdf5-io bench] write ${N} rows x ${COLS.length} vlen float32 columns (${(bytes / 1e6).toFixed(1)} MB, gzip+shuffle): ` +
      `${best.toFixed(3)} s, ${((N * COLS.length) / best).toFixed(0)} rows/s, ${(bytes / 1e6 / best).toFixed(1)} MB/s; ` +
      `h5py ${hasH5py ? `${py.toFixed(3)} s -> ratio ours/h5py time ${(best / py).toFixed(2)}` : 'not available'}`,
  );
  bench('createVlenDataset x4 + close (20k rows each)', async () => {
    await writeOurs(ours);
  }, { iterations: 2 });
});
