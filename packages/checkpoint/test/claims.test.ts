import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckpointStore, readCheckpoint } from '@astro/checkpoint';
import { useTestScope } from './helpers/children.js';

const { tempDir, child } = useTestScope('ckpt-claims-');

describe('claims across processes', () => {
  it('4 processes hammering claimNext on 200 ids process each exactly once', async () => {
    const dir = tempDir();
    const ids = Array.from({ length: 200 }, (_, i) => `n1024_${8_000_000 + i}`);
    const procs = await Promise.all(
      [0, 1, 2, 3].map((index) => child('hammer', { dir, ids, index, staleMs: 60_000, goFile: path.join(dir, 'go') })),
    );
    await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'ready', 60_000)));
    await fsp.writeFile(path.join(dir, 'go'), '');
    const results = await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'done', 90_000)));
    const lists = results.map((r) => r.done as string[]);
    const all = lists.flat();
    // Disjoint and complete.
    expect(all.length).toBe(200);
    expect(new Set(all).size).toBe(200);
    expect([...all].sort()).toEqual([...ids].sort());
    // The lock is not fair (see docs/checkpoint.md): how many items each process got varies.
    console.log(`items per process: ${lists.map((l) => l.length).join(', ')}`);
    const snap = await readCheckpoint(dir);
    expect(snap.completed.size).toBe(200);
    expect(snap.claims.size).toBe(0);
    // Each item's stats came from the process that reported it.
    lists.forEach((list, index) => {
      for (const id of list) expect(snap.completed.get(id)?.stats.n_sources).toBe(index + 1);
    });
    const expectedSources = lists.reduce((sum, list, index) => sum + list.length * (index + 1), 0);
    expect(snap.progress).toMatchObject({
      total: 200,
      processed: 200,
      percentComplete: 100,
      sums: { total_sources: expectedSources, valid_sources: 200 },
    });
    const completedFile = JSON.parse(readFileSync(path.join(dir, 'completed_tiles.json'), 'utf8')) as { completed: string[] };
    expect(completedFile.completed.length).toBe(200);
  });

  it('reclaims the claim of a SIGKILLed holder on this host at once', async () => {
    const dir = tempDir();
    const holder = await child('claim-hold', { dir, ids: ['a', 'b'], staleMs: 60_000 });
    const { results } = await holder.waitFor((m) => m.event === 'claimed');
    expect(results).toEqual({ a: 'claimed', b: 'claimed' });
    const store = await openCheckpointStore(dir, { staleMs: 60_000 });
    try {
      expect(await store.claim('a')).toBe('busy');
      expect((await readCheckpoint(dir)).claims.get('a')).toMatchObject({ pid: holder.proc.pid, alive: true });
      await holder.kill('SIGKILL');
      // Monitors see the dead claim as such before anyone takes it over.
      const seen = await readCheckpoint(dir);
      expect([seen.claims.get('a')?.alive, seen.claims.get('b')?.alive]).toEqual([false, false]);
      const t0 = Date.now();
      expect(await store.claim('a')).toBe('claimed');
      expect(await store.claimNext(['a', 'b', 'c'])).toBe('b');
      expect(Date.now() - t0).toBeLessThan(1_000);
      const snap = await store.snapshot();
      expect(snap.claims.get('a')?.pid).toBe(process.pid);
    } finally {
      await store.close();
    }
  });

  it('does not steal the claim of a live holder on another host working on a long item (heartbeat)', async () => {
    const dir = tempDir();
    const staleMs = 800;
    // The holder works 4 x staleMs; only its heartbeat keeps the claim alive for
    // this store, which sees it on another host (no pid check).
    const holder = await child('claim-hold', { dir, ids: ['long'], staleMs, holdMs: 4 * staleMs, hostname: 'node-a' });
    await holder.waitFor((m) => m.event === 'claimed');
    const store = await openCheckpointStore(dir, { staleMs, hostname: 'node-b' });
    try {
      const seen = new Set<string>();
      for (;;) {
        const result = await store.claim('long');
        seen.add(result);
        if (result !== 'busy') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toEqual(new Set(['busy', 'completed']));
      await holder.waitFor((m) => m.event === 'completed');
      const heartbeats = (await store.snapshot()).completed.get('long');
      expect(heartbeats?.stats).toEqual({ n_sources: 1, n_valid: 1 });
    } finally {
      await store.close();
    }
  });

  it('reclaims from a stalled holder on another host once its heartbeat is older than staleMs', async () => {
    const dir = tempDir();
    const staleMs = 800;
    const holder = await child('claim-hold', { dir, ids: ['s'], staleMs, hostname: 'node-a' });
    await holder.waitFor((m) => m.event === 'claimed');
    const store = await openCheckpointStore(dir, { staleMs, hostname: 'node-b' });
    try {
      expect(await store.claim('s')).toBe('busy');
      holder.proc.kill('SIGSTOP');
      const t0 = Date.now();
      // As seen from another host, with a shorter staleMs, the stopped holder is soon dead; with the default, alive.
      await new Promise((r) => setTimeout(r, 300));
      expect((await readCheckpoint(dir, { hostname: 'node-c', staleMs: 50 })).claims.get('s')?.alive).toBe(false);
      expect((await readCheckpoint(dir, { hostname: 'node-c' })).claims.get('s')?.alive).toBe(true);
      let result = await store.claim('s');
      while (result === 'busy' && Date.now() - t0 < 10_000) {
        await new Promise((r) => setTimeout(r, 50));
        result = await store.claim('s');
      }
      expect(result).toBe('claimed');
      expect(Date.now() - t0).toBeGreaterThan(staleMs * 0.75 - 100);
    } finally {
      await store.close();
    }
  });

  it('a worker SIGKILLed in the middle of writes never corrupts the store nor loses a recorded completion', async () => {
    const dir = tempDir();
    const ids = Array.from({ length: 400 }, (_, i) => `k${i}`);
    const reported = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const worker = await child('complete-loop', { dir, ids, staleMs: 60_000 });
      await worker.waitFor((m) => m.event === 'ready');
      // Kill at a random moment while it writes.
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 150));
      await worker.kill('SIGKILL');
      for (const m of worker.messages) if (m.event === 'completed') reported.add(m.id as string);
      // The store opens cleanly after every crash (stale lock recovered, temp files removed).
      const store = await openCheckpointStore(dir, { staleMs: 60_000 });
      const snap = await store.snapshot();
      await store.close();
      for (const id of reported) expect(snap.completed.has(id)).toBe(true);
      expect(snap.claims.size).toBe(0); // the dead worker's claim was dropped on open
      expect(snap.progress.completed).toBe(snap.completed.size);
      const names = await fsp.readdir(dir);
      expect(names.filter((n) => n.includes('.astro-tmp-') || n.startsWith('.checkpoint.lock'))).toEqual([]);
    }
    expect(reported.size).toBeGreaterThan(0);
  });
});
