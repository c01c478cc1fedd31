/**
 * Lock contention: claimNext + complete per second with 1 and 4 processes on
 * one store, with a store already holding 1500 completed tiles (the size of a
 * VIRAC run, so every write rewrites a ~200 kB completed_tiles.json).
 * Reference in the same run: the I/O floor, the same atomic writes a pair
 * makes (claims.json twice, completed_tiles.json fsynced, progress.json, one
 * directory fsync) without the lock, the reads or the JSON work.
 */
import { mkdtempSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { fsyncDirectory, writeFileAtomic } from '@astro/core';
import { openCheckpointStore } from '@astro/checkpoint';
import { startChild } from '../test/helpers/children.js';

const PREFILLED = 1500;
const ITEMS = 200;
const dirs: string[] = [];

async function prefilledStore(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ckpt-bench-'));
  dirs.push(dir);
  const completed = Array.from({ length: PREFILLED }, (_, i) => `n1024_${7_000_000 + i}`);
  const stats: Record<string, unknown> = {};
  for (const id of completed) stats[id] = { n_sources: 250, n_valid: 12, timestamp: new Date().toISOString() };
  await fsp.writeFile(path.join(dir, 'completed_tiles.json'), JSON.stringify({ completed, stats }, null, 2));
  return dir;
}

const ids = Array.from({ length: ITEMS }, (_, i) => `n1024_${8_000_000 + i}`);
const ROUNDS = 3;

/** The same atomic writes a claim + complete pair makes, without lock, reads or JSON work. */
async function floor(): Promise<number> {
  const dir = await prefilledStore();
  const text = await fsp.readFile(path.join(dir, 'completed_tiles.json'), 'utf8');
  const t0 = performance.now();
  for (let i = 0; i < ITEMS; i++) {
    await writeFileAtomic(path.join(dir, 'claims.json'), '{"claims": {}}', { durability: 'none' });
    await writeFileAtomic(path.join(dir, 'completed_tiles.json'), text);
    await writeFileAtomic(path.join(dir, 'claims.json'), '{"claims": {}}', { durability: 'none' });
    await writeFileAtomic(path.join(dir, 'progress.json'), '{}', { durability: 'none' });
    await fsyncDirectory(dir);
  }
  return ITEMS / ((performance.now() - t0) / 1000);
}

async function oneProcess(): Promise<number> {
  const store = await openCheckpointStore(await prefilledStore());
  const t0 = performance.now();
  for (;;) {
    const id = await store.claimNext(ids);
    if (id === undefined) break;
    await store.complete(id, { n_sources: 250, n_valid: 12 });
  }
  const rate = ITEMS / ((performance.now() - t0) / 1000);
  await store.close();
  return rate;
}

async function fourProcesses(): Promise<number> {
  const dir = await prefilledStore();
  const goFile = path.join(dir, 'go');
  const procs = await Promise.all([0, 1, 2, 3].map((index) => startChild('hammer', { dir, ids, index, staleMs: 60_000, goFile })));
  await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'ready', 60_000)));
  await fsp.writeFile(goFile, '');
  const done = await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'done', 120_000)));
  return ITEMS / Math.max(...done.map((m) => m.seconds as number));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

afterAll(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});

describe('checkpoint store, 1500 tiles already completed', () => {
  bench(
    `claim + complete pairs/s: I/O floor, 1 process, 4 processes (${ROUNDS} interleaved rounds of ${ITEMS} items)`,
    async () => {
      const runs: Record<string, number[]> = { 'I/O floor (reference)': [], '1 process': [], '4 processes': [] };
      for (let round = 0; round < ROUNDS; round++) {
        runs['I/O floor (reference)'].push(await floor());
        runs['1 process'].push(await oneProcess());
        runs['4 processes'].push(await fourProcesses());
      }
      const ref = median(runs['I/O floor (reference)']);
      for (const [name, rates] of Object.entries(runs)) {
        const m = median(rates);
        console.log(
          `checkpoint ${name}: median ${m.toFixed(0)} claim+complete pairs/s = ${(1000 / m).toFixed(2)} ms per pair ` +
            `(rounds: ${rates.map((r) => r.toFixed(0)).join(', ')}; ${(m / ref).toFixed(2)} x the I/O floor)`,
        );
      }
    },
    { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
});
