/**
 * VIRAC extraction throughput against the reference Python extractor
 * (`../shared/tools/virac_reference.py`, h5py + numpy) in the same run.
 *
 * Tile: 20,000 sources × up to 400 covered epochs (seeded synthetic,
 * ~4 M output rows). Prints sources/s and rows/s for one worker, the ratio
 * to the reference, the scaling of `virac-extract --workers 2` over twelve
 * tiles of a quarter of the size (median of three alternating rounds, each a
 * fresh process as a user runs it): of the whole run, start-up of the threads
 * included, and of the steady state (tiles per second once every worker has
 * finished its first tile, from the completion times in the run's
 * checkpoint store: what a job of thousands of tiles sees), the same scaling for the kernel's part alone
 * (the extraction's files and bytes written with temp + rename by one thread
 * and by two, no computation: the ceiling this machine puts on any
 * extractor), and the peak RSS of a worker process. Set VIRAC_BENCH_SOURCES
 * to change the size. Needs ~15 GB free in the temporary directory.
 *
 * Outputs are kept until the end and each measurement starts after `sync`:
 * on ext4 without a journal (this VM's root file system) creating files right
 * after deleting thousands of others is several times slower (the inode
 * allocator skips recently deleted inodes one by one), so deleting one run's
 * 19,000 CSVs before the next would make later measurements pay for earlier
 * ones; and a run's durability flush must not write another run's dirty pages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, bench, describe } from 'vitest';
import { readCheckpoint } from '@astro/checkpoint';
import { extractLightCurves, writeSyntheticViracTile } from '@astro/virac';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const reference = path.resolve(repo, '..', 'shared', 'tools', 'virac_reference.py');
const SOURCES = Number(process.env.VIRAC_BENCH_SOURCES ?? 20000);
const work = mkdtempSync(path.join(tmpdir(), 'virac-bench-'));
const oneTile = path.join(work, 'one');
const scalingTiles = path.join(work, 'scaling');
const SCALING_TILES = Array.from({ length: 12 }, (_, i) => 8535205 + i);
const cli = path.join(repo, 'pipelines', 'virac', 'dist', 'cli', 'virac-extract.js');
const ROUNDS = 3;

async function setup(): Promise<void> {
  await writeSyntheticViracTile(path.join(oneTile, 'n1024_8535204.hdf5'), { sources: SOURCES, epochs: 430, seed: 7, coverage: 0.95 });
  mkdirSync(scalingTiles, { recursive: true });
  for (const [i, hpx] of SCALING_TILES.entries()) {
    await writeSyntheticViracTile(path.join(scalingTiles, `n1024_${hpx}.hdf5`), { healpix: hpx, sources: SOURCES / 4, epochs: 430, seed: 8 + i, coverage: 0.95 });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Sizes of the CSVs in `dir`. */
function csvSizes(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => statSync(path.join(dir, f)).size);
}

const FILE_WRITER = `
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { dir, sizes, prefix } = workerData;
const buf = Buffer.alloc(Math.max(1, ...sizes), 49);
sizes.forEach((size, i) => {
  const target = path.join(dir, prefix + i + '.csv');
  const temp = target + '.tmp';
  const fd = fs.openSync(temp, 'w');
  fs.writeSync(fd, buf, 0, size);
  fs.closeSync(fd);
  fs.renameSync(temp, target);
});
parentPort.postMessage('done');
`;

/** Write files of these sizes (temp + rename, one directory) split over `threads` threads; seconds. */
async function timeFileWrites(sizes: number[], threads: number): Promise<number> {
  const dir = mkdtempSync(path.join(work, `files-${threads}-`));
  settle();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: threads }, (_, k) => {
      const part = sizes.filter((_, i) => i % threads === k);
      const w = new Worker(FILE_WRITER, { eval: true, workerData: { dir, sizes: part, prefix: `t${k}-` } });
      return new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`file-writer thread exited with code ${code}`)));
      });
    }),
  );
  return (performance.now() - t0) / 1000;
}

function countRows(dir: string): number {
  let rows = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.csv')) continue;
    const text = readFileSync(path.join(dir, f));
    for (let i = 0; i < text.length; i++) if (text[i] === 10) rows++;
    rows -= 1; // header
  }
  return rows;
}

const results: Record<string, number> = {};
await setup();

/** Write back every dirty page before a measurement starts. */
function settle(): void {
  spawnSync('sync');
}

/** `extractLightCurves` with one worker, in this process. */
async function timeExtract(inputDir: string): Promise<{ seconds: number; sources: number; valid: number; out: string }> {
  const out = mkdtempSync(path.join(work, 'out-'));
  settle();
  const t0 = performance.now();
  const s = await extractLightCurves({ inputDir, outputDir: out, workers: 1 });
  return { seconds: (performance.now() - t0) / 1000, sources: s.sources, valid: s.valid, out };
}

/**
 * Seconds per tile once each of `workers` workers has completed its first
 * tile, from the completion times the run's checkpoint store recorded.
 */
async function steadySecondsPerTile(out: string, workers: number): Promise<number> {
  const snap = await readCheckpoint(path.join(out, 'checkpoints'));
  const times = [...snap.completed.values()].map((r) => Date.parse(r.timestamp)).sort((a, b) => a - b);
  return (times[times.length - 1] - times[workers - 1]) / 1000 / (times.length - workers);
}

/** `virac-extract --workers N` in a fresh process: seconds, steady seconds per tile, the output directory. */
async function timeCli(inputDir: string, workers: number): Promise<{ seconds: number; perTile: number; out: string }> {
  const out = mkdtempSync(path.join(work, `cli-${workers}-`));
  settle();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, '--input-dir', inputDir, '--output-dir', out, '--workers', String(workers), '--quiet'], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`virac-extract --workers ${workers} exited with ${r.status}: ${r.stderr}`);
  return { seconds, perTile: await steadySecondsPerTile(out, workers), out };
}

/** `--workers 1` vs `--workers 2` on the scaling tiles, then the same files written without computation by 1 and 2 threads. */
async function scaling(): Promise<void> {
  const one: number[] = [];
  const two: number[] = [];
  const steady1: number[] = [];
  const steady2: number[] = [];
  let out = '';
  for (let k = 0; k < ROUNDS; k++) {
    const a = await timeCli(scalingTiles, 1);
    one.push(a.seconds);
    steady1.push(a.perTile);
    const b = await timeCli(scalingTiles, 2);
    two.push(b.seconds);
    steady2.push(b.perTile);
    out = b.out;
  }
  results.scale1 = median(one);
  results.scale2 = median(two);
  results.steady1 = median(steady1);
  results.steady2 = median(steady2);
  const sizes = csvSizes(out);
  const files1: number[] = [];
  const files2: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    files1.push(await timeFileWrites(sizes, 1));
    files2.push(await timeFileWrites(sizes, 2));
  }
  results.files = sizes.length;
  results.filesMB = sizes.reduce((a, b) => a + b, 0) / 1e6;
  results.files1 = median(files1);
  results.files2 = median(files2);
}

describe('virac extraction', () => {
  bench(
    `extract one tile of ${SOURCES} sources, 1 worker`,
    async () => {
      const r = await timeExtract(oneTile);
      results.oneSeconds = Math.min(results.oneSeconds ?? Infinity, r.seconds);
      results.oneRuns = (results.oneRuns ?? 0) + 1;
      results.sources = r.sources;
      results.valid = r.valid;
      if (!results.rows) results.rows = countRows(r.out);
    },
    { iterations: 2, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
  bench(
    `${SCALING_TILES.length} tiles of ${SOURCES / 4} sources, virac-extract --workers 1 vs 2 (${ROUNDS} alternating rounds)`,
    async () => {
      try {
        await scaling();
      } catch (error) {
        console.log('scaling measurement failed:', error);
      }
    },
    { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
  bench(
    'peak RSS of one worker process (one tile)',
    // async: tinybench calls a plain function once more to learn whether it returns a promise
    async () => {
      const out = mkdtempSync(path.join(work, 'rss-'));
      settle();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, '--input-dir', oneTile, '--output-dir', out, '--quiet'], { encoding: 'utf8' });
      const kb = Number(r.stderr.trim().split('\n').pop());
      results.rssMiB = kb / 1024;
    },
    { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
  bench(
    'reference: virac_reference.py (h5py + numpy)',
    async () => {
      if (!existsSync(reference) || spawnSync('/usr/bin/python3', ['-c', 'import h5py']).status !== 0) {
        console.log('reference skipped: needs ../shared/tools/virac_reference.py and python3-h5py (apt-get install python3-h5py)');
        return;
      }
      const out = mkdtempSync(path.join(work, 'ref-'));
      settle();
      const t0 = performance.now();
      execFileSync('/usr/bin/python3', [reference, oneTile, out]);
      results.refSeconds = (performance.now() - t0) / 1000;
    },
    { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
});

afterAll(() => {
  const lines = [
    `tile: ${SOURCES} sources, ${results.valid} light curves, ${results.rows} rows`,
    `ours, 1 worker (best of ${results.oneRuns}): ${results.oneSeconds?.toFixed(2)} s = ${(results.sources / results.oneSeconds).toFixed(0)} sources/s, ${(results.rows / results.oneSeconds / 1e6).toFixed(2)} M rows/s`,
  ];
  if (results.refSeconds) {
    lines.push(`reference (python h5py): ${results.refSeconds.toFixed(2)} s = ${(results.sources / results.refSeconds).toFixed(0)} sources/s`);
    lines.push(`speed-up vs reference per core: ${(results.refSeconds / results.oneSeconds).toFixed(1)}x (target >= 10x)`);
  }
  if (results.scale1) {
    lines.push(`${SCALING_TILES.length} tiles of ${SOURCES / 4} sources, one process each (median of ${ROUNDS}): --workers 1 ${results.scale1.toFixed(2)} s, --workers 2 ${results.scale2.toFixed(2)} s, scaling ${(results.scale1 / results.scale2).toFixed(2)}x`);
    lines.push(`  steady state: --workers 1 ${results.steady1.toFixed(3)} s/tile, --workers 2 ${results.steady2.toFixed(3)} s/tile, scaling ${(results.steady1 / results.steady2).toFixed(2)}x (target >= 1.7x)`);
    if (results.files1) lines.push(
      `the same ${results.files} files (${results.filesMB.toFixed(0)} MB) written without computation (median of ${ROUNDS}): 1 thread ${results.files1.toFixed(2)} s, ` +
        `2 threads ${results.files2.toFixed(2)} s, scaling ${(results.files1 / results.files2).toFixed(2)}x (this machine's ceiling for the kernel's part)`,
    );
  }
  if (results.rssMiB) lines.push(`peak RSS, one process extracting the tile: ${results.rssMiB.toFixed(0)} MiB (target < 1024)`);
  console.log(`\n== VIRAC benchmark ==\n${lines.join('\n')}\n`);
  rmSync(work, { recursive: true, force: true });
});
