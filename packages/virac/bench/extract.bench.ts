/**
 * VIRAC extraction throughput against the reference Python extractor
 * (`../shared/tools/virac_reference.py`, h5py + numpy) in the same run.
 *
 * Tile: 20,000 sources × up to 400 covered epochs (seeded synthetic,
 * ~4 M output rows). Prints sources/s and rows/s for one worker, the ratio
 * to the reference, the scaling of `workers: 2` over two tiles, and the
 * peak RSS of a worker process. Set VIRAC_BENCH_SOURCES to change the size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, bench, describe } from 'vitest';
import { extractLightCurves, writeSyntheticViracTile } from '@astro/virac';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const reference = path.resolve(repo, '..', 'shared', 'tools', 'virac_reference.py');
const SOURCES = Number(process.env.VIRAC_BENCH_SOURCES ?? 20000);
const work = mkdtempSync(path.join(tmpdir(), 'virac-bench-'));
const oneTile = path.join(work, 'one');
const twoTiles = path.join(work, 'two');

async function setup(): Promise<void> {
  await writeSyntheticViracTile(path.join(oneTile, 'n1024_8535204.hdf5'), { sources: SOURCES, epochs: 430, seed: 7, coverage: 0.95 });
  mkdirSync(twoTiles, { recursive: true });
  for (const [i, hpx] of [8535205, 8535206].entries()) {
    await writeSyntheticViracTile(path.join(twoTiles, `n1024_${hpx}.hdf5`), { healpix: hpx, sources: SOURCES / 2, epochs: 430, seed: 8 + i, coverage: 0.95 });
  }
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

async function timeExtract(inputDir: string, workers: number): Promise<{ seconds: number; sources: number; valid: number; out: string }> {
  const out = mkdtempSync(path.join(work, `out-${workers}-`));
  const t0 = performance.now();
  const s = await extractLightCurves({ inputDir, outputDir: out, workers });
  return { seconds: (performance.now() - t0) / 1000, sources: s.sources, valid: s.valid, out };
}

describe('virac extraction', () => {
  bench(
    `extract one tile of ${SOURCES} sources, 1 worker`,
    async () => {
      const r = await timeExtract(oneTile, 1);
      results.oneSeconds = r.seconds;
      results.sources = r.sources;
      results.valid = r.valid;
      if (!results.rows) results.rows = countRows(r.out);
      rmSync(r.out, { recursive: true, force: true });
    },
    { iterations: 2, warmupIterations: 0, time: 0 },
  );
  bench(
    'two tiles, workers: 1 vs workers: 2',
    async () => {
      const a = await timeExtract(twoTiles, 1);
      const b = await timeExtract(twoTiles, 2);
      results.two1 = a.seconds;
      results.two2 = b.seconds;
      rmSync(a.out, { recursive: true, force: true });
      rmSync(b.out, { recursive: true, force: true });
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  );
  bench(
    'peak RSS of one worker process (one tile)',
    () => {
      const out = mkdtempSync(path.join(work, 'rss-'));
      const cli = path.join(repo, 'packages', 'virac', 'dist', 'cli', 'virac-extract.js');
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, '--input-dir', oneTile, '--output-dir', out, '--quiet'], { encoding: 'utf8' });
      const kb = Number(r.stderr.trim().split('\n').pop());
      results.rssMiB = kb / 1024;
      rmSync(out, { recursive: true, force: true });
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  );
  bench(
    'reference: virac_reference.py (h5py + numpy)',
    () => {
      if (!existsSync(reference) || spawnSync('/usr/bin/python3', ['-c', 'import h5py']).status !== 0) {
        console.log('reference skipped: needs ../shared/tools/virac_reference.py and python3-h5py (apt-get install python3-h5py)');
        return;
      }
      const out = mkdtempSync(path.join(work, 'ref-'));
      const t0 = performance.now();
      execFileSync('/usr/bin/python3', [reference, oneTile, out]);
      results.refSeconds = (performance.now() - t0) / 1000;
      rmSync(out, { recursive: true, force: true });
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  );
});

afterAll(() => {
  const lines = [
    `tile: ${SOURCES} sources, ${results.valid} light curves, ${results.rows} rows`,
    `ours, 1 worker: ${results.oneSeconds?.toFixed(2)} s = ${(results.sources / results.oneSeconds).toFixed(0)} sources/s, ${(results.rows / results.oneSeconds / 1e6).toFixed(2)} M rows/s`,
  ];
  if (results.refSeconds) {
    lines.push(`reference (python h5py): ${results.refSeconds.toFixed(2)} s = ${(results.sources / results.refSeconds).toFixed(0)} sources/s`);
    lines.push(`speed-up vs reference per core: ${(results.refSeconds / results.oneSeconds).toFixed(1)}x (target >= 10x)`);
  }
  if (results.two1) lines.push(`two tiles: workers 1 ${results.two1.toFixed(2)} s, workers 2 ${results.two2.toFixed(2)} s, scaling ${(results.two1 / results.two2).toFixed(2)}x (target >= 1.7x)`);
  if (results.rssMiB) lines.push(`peak RSS, one process extracting the tile: ${results.rssMiB.toFixed(0)} MiB (target < 1024)`);
  console.log(`\n== VIRAC benchmark ==\n${lines.join('\n')}\n`);
  rmSync(work, { recursive: true, force: true });
});
