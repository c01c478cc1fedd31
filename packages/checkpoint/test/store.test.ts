import { mkdtempSync, promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointError, openCheckpointStore, readCheckpoint } from '@astro/checkpoint';
import type { CheckpointStore } from '@astro/checkpoint';

const dirs: string[] = [];
const stores: CheckpointStore[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ckpt-store-'));
  dirs.push(dir);
  return dir;
}
async function open(dir: string, options: Parameters<typeof openCheckpointStore>[1] = {}): Promise<CheckpointStore> {
  const store = await openCheckpointStore(dir, options);
  stores.push(store);
  return store;
}
function json(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await fsp.rm(d, { recursive: true, force: true });
});

describe('file layout', () => {
  it('writes the seed layout: completed_tiles.json, failed_tiles.json, progress.json', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.setTotal(4);
    expect(await store.claim('t1')).toBe('claimed');
    await store.complete('t1', { n_sources: 120, n_valid: 100 });
    expect(await store.claim('t2')).toBe('claimed');
    await store.complete('t2', { n_sources: 30, n_valid: 7 });
    expect(await store.claim('t3')).toBe('claimed');
    await store.fail('t3', 'HDF5: n1024_3.hdf5: truncated');

    const completed = json(path.join(dir, 'completed_tiles.json'));
    expect(Object.keys(completed)).toEqual(['completed', 'stats']);
    expect(completed.completed).toEqual(['t1', 't2']);
    const stats = completed.stats as Record<string, Record<string, unknown>>;
    expect(Object.keys(stats.t1)).toEqual(['n_sources', 'n_valid', 'timestamp']);
    expect(stats.t1.n_sources).toBe(120);
    expect(stats.t2.n_valid).toBe(7);
    expect(new Date(stats.t1.timestamp as string).toISOString()).toBe(stats.t1.timestamp);

    const failed = json(path.join(dir, 'failed_tiles.json'));
    expect(Object.keys(failed)).toEqual(['failed']);
    const f = (failed.failed as Record<string, Record<string, unknown>>).t3;
    expect(Object.keys(f)).toEqual(['error', 'timestamp']);
    expect(f.error).toBe('HDF5: n1024_3.hdf5: truncated');

    const progress = json(path.join(dir, 'progress.json'));
    expect(Object.keys(progress)).toEqual([
      'total_tiles',
      'processed_tiles',
      'total_sources',
      'valid_sources',
      'last_update',
      'percent_complete',
    ]);
    expect(progress).toMatchObject({ total_tiles: 4, processed_tiles: 3, total_sources: 150, valid_sources: 107, percent_complete: 75 });
    expect(Date.now() - Date.parse(progress.last_update as string)).toBeLessThan(60_000);

    // Claims released by complete/fail: claims.json holds nothing.
    expect(json(path.join(dir, 'claims.json'))).toEqual({ claims: {} });
    // No temp files remain.
    expect((await fsp.readdir(dir)).sort()).toEqual(
      ['claims.json', 'completed_tiles.json', 'failed_tiles.json', 'progress.json'].sort(),
    );
  });

  it('takes the noun and the summed stats from options (another pipeline)', async () => {
    const dir = tempDir();
    const store = await open(dir, { noun: 'frames', progressSums: { total_samples: 'n_samples' } });
    await store.setTotal(3);
    await store.claim('H-H1-1126259446-32.gwf');
    await store.complete('H-H1-1126259446-32.gwf', { n_samples: 131072, n_channels: 2 });
    const progress = json(path.join(dir, 'progress.json'));
    expect(Object.keys(progress)).toEqual(['total_frames', 'processed_frames', 'total_samples', 'last_update', 'percent_complete']);
    expect(progress).toMatchObject({ total_frames: 3, processed_frames: 1, total_samples: 131072, percent_complete: 33.33 });
    expect(json(path.join(dir, 'completed_frames.json')).completed).toEqual(['H-H1-1126259446-32.gwf']);
    await expect(openCheckpointStore(dir, { noun: '../x' })).rejects.toMatchObject({ code: 'CHECKPOINT_ARGUMENT' });
    // Another pipeline's noun in the same directory is refused, and nothing is written.
    const before = readFileSync(path.join(dir, 'progress.json'), 'utf8');
    await expect(openCheckpointStore(dir, { noun: 'tiles' })).rejects.toThrow(
      /holds the store of another noun \("frames".*opened with noun "tiles"/,
    );
    expect(readFileSync(path.join(dir, 'progress.json'), 'utf8')).toBe(before);
    await expect(openCheckpointStore(dir, { progressSums: { percent_complete: 'x' } })).rejects.toMatchObject({
      code: 'CHECKPOINT_ARGUMENT',
    });
  });
});

describe('claims in one process', () => {
  it('reports completed, failed and busy items and claims each once', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir, { owner: 'second-store' });
    expect(await a.claim('x')).toBe('claimed');
    expect(await a.claim('x')).toBe('busy'); // already held by this store
    expect(await b.claim('x')).toBe('busy'); // held by a live other owner
    await a.complete('x', { n_sources: 1, n_valid: 1 });
    expect(await b.claim('x')).toBe('completed');
    expect(await b.claim('y')).toBe('claimed');
    await b.fail('y', 'boom');
    expect(await a.claim('y')).toBe('failed');
    expect(await a.claimNext(['x', 'y', 'z'])).toBe('z');
    expect(await b.claimNext(['x', 'y', 'z'])).toBeUndefined();
    expect(await b.claimNext(['x', 'y', 'z'], { retryFailed: true })).toBe('y');
    const snap = await a.snapshot();
    expect([...snap.claims.keys()].sort()).toEqual(['y', 'z']);
    expect(snap.claims.get('y')).toMatchObject({ owner: 'second-store', pid: process.pid, host: os.hostname(), alive: true });
    expect(snap.claims.get('z')?.owner).toBe(`${os.hostname()}:${process.pid}`);
  });

  it('complete() after fail() with retryFailed moves the item; fail() never removes a completed record', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.setTotal(2);
    await store.claim('a');
    await store.fail('a', 'first attempt failed');
    expect(await store.claim('a')).toBe('failed');
    expect(await store.claim('a', { retryFailed: true })).toBe('claimed');
    // Failure record stays while it is retried.
    expect((await store.snapshot()).failed.get('a')?.error).toBe('first attempt failed');
    await store.complete('a', { n_sources: 5, n_valid: 4 });
    let snap = await store.snapshot();
    expect(snap.failed.has('a')).toBe(false);
    expect(snap.completed.get('a')?.stats).toEqual({ n_sources: 5, n_valid: 4 });
    expect(json(path.join(dir, 'failed_tiles.json'))).toEqual({ failed: {} });
    expect(snap.progress).toMatchObject({ total: 2, processed: 1, completed: 1, failed: 0, percentComplete: 50 });

    // A late failure report (e.g. from a duplicate worker) does not undo the completion.
    const warnings: string[] = [];
    const logged = await open(dir, { logger: { debug() {}, info() {}, error() {}, warn: (_o, m) => warnings.push(String(m)) } });
    await logged.fail('a', 'late failure');
    snap = await logged.snapshot();
    expect(snap.completed.has('a')).toBe(true);
    expect(snap.failed.has('a')).toBe(false);
    expect(snap.progress.processed).toBe(1);
    expect(warnings.some((w) => w.includes('already completed'))).toBe(true);
    expect(json(path.join(dir, 'completed_tiles.json')).completed).toEqual(['a']);
  });

  it('release() gives the item back without recording anything; close() releases all claims', async () => {
    const dir = tempDir();
    const a = await open(dir);
    const b = await open(dir, { owner: 'b' });
    expect(await a.claim('r')).toBe('claimed');
    await b.release('r'); // not b's claim: no effect
    expect(await b.claim('r')).toBe('busy');
    await a.release('r');
    expect(await b.claim('r')).toBe('claimed');
    expect(await a.claimNext(['r', 's', 't'])).toBe('s');
    expect(await a.claimNext(['r', 's', 't'])).toBe('t');
    await a.close();
    await a.close(); // idempotent
    const snap = await readCheckpoint(dir);
    expect([...snap.claims.keys()]).toEqual(['r']);
    expect(snap.completed.size + snap.failed.size).toBe(0);
    await expect(a.claim('u')).rejects.toMatchObject({ code: 'CHECKPOINT_CLOSED' });
  });

  it('serialises concurrent calls of one store (no lost update)', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const claimed = await Promise.all(ids.map(() => store.claimNext(ids)));
    expect(new Set(claimed).size).toBe(40);
    await Promise.all(ids.map((id, i) => store.complete(id, { n_sources: i, n_valid: 1 })));
    const snap = await readCheckpoint(dir);
    expect(snap.completed.size).toBe(40);
    expect(snap.progress.sums).toEqual({ total_sources: (39 * 40) / 2, valid_sources: 40 });
    expect(snap.claims.size).toBe(0);
  });

  it('handles hostile ids and rejects bad arguments with CheckpointError', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const odd = ['__proto__', 'constructor', 'a"b\\c', 'tile 1/2', '\u00e9\u{1F30C}', 'x'.repeat(500)];
    for (const id of odd) {
      expect(await store.claim(id)).toBe('claimed');
      await store.complete(id, { n_sources: 1, n_valid: 1 });
    }
    const snap = await readCheckpoint(dir);
    expect([...snap.completed.keys()]).toEqual(odd);
    expect(snap.completed.get('__proto__')?.stats).toEqual({ n_sources: 1, n_valid: 1 });
    expect(Object.getPrototypeOf(snap.completed.get('__proto__')!.stats)).toBe(Object.prototype);

    await expect(store.claim('')).rejects.toThrow(CheckpointError);
    await expect(async () => store.complete('q', { n_sources: Number.NaN })).rejects.toThrow(/stat "n_sources" is NaN/);
    await expect(async () => store.complete('q', { timestamp: 1 })).rejects.toThrow(/reserved/);
    await expect(async () => store.setTotal(-1)).rejects.toMatchObject({ code: 'CHECKPOINT_ARGUMENT' });
    await expect(openCheckpointStore(dir, { staleMs: Number.NaN })).rejects.toMatchObject({ code: 'CHECKPOINT_ARGUMENT' });
    // Nothing was recorded by the rejected calls.
    expect((await readCheckpoint(dir)).completed.has('q')).toBe(false);
  });
});

describe('readCheckpoint', () => {
  it('reads without the lock, and names a missing directory', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.setTotal(10);
    await store.claim('k');
    await store.complete('k', { n_sources: 3, n_valid: 2 });
    // Hold the lock file by hand: a lock-free reader is not delayed.
    await fsp.writeFile(path.join(dir, '.checkpoint.lock'), '{}');
    const t0 = Date.now();
    const snap = await readCheckpoint(dir);
    expect(Date.now() - t0).toBeLessThan(1000);
    await fsp.rm(path.join(dir, '.checkpoint.lock'));
    expect(snap.progress).toMatchObject({ total: 10, processed: 1, sums: { total_sources: 3, valid_sources: 2 }, percentComplete: 10 });
    expect(snap.completed.get('k')?.stats).toEqual({ n_sources: 3, n_valid: 2 });
    const missing = path.join(dir, 'nope');
    await expect(readCheckpoint(missing)).rejects.toMatchObject({ code: 'CHECKPOINT_NOT_FOUND', file: missing });
  });

  it('gives a consistent snapshot while a writer keeps replacing the files', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const ids = Array.from({ length: 60 }, (_, i) => `w${i}`);
    let writing = true;
    const writer = (async () => {
      for (const id of ids) {
        await store.claim(id);
        await store.complete(id, { n_sources: 1, n_valid: 1 });
      }
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const snap = await readCheckpoint(dir);
      reads++;
      // Completions are prefixes of the id list, and progress agrees with them.
      const keys = [...snap.completed.keys()];
      expect(keys).toEqual(ids.slice(0, keys.length));
      expect(snap.progress.sums.total_sources).toBe(keys.length);
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });
});
