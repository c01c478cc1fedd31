import { mkdtempSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint } from '@astro/checkpoint';
import type { Child } from './helpers/children.js';
import { startChild } from './helpers/children.js';

const dirs: string[] = [];
const children: Child[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await fsp.rm(d, { recursive: true, force: true });
});

describe('a worker dies while others work on the same store', () => {
  it('every item is completed, and only the dead worker’s in-flight item can be done twice', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ckpt-chaos-'));
    dirs.push(dir);
    const ids = Array.from({ length: 120 }, (_, i) => `t${i}`);
    const goFile = path.join(dir, 'go');
    const config = (index: number) => ({ dir, ids, index, staleMs: 60_000, goFile, reportEach: true, workMs: 5 });
    const procs = await Promise.all([0, 1, 2, 3].map(async (index) => {
      const c = await startChild('hammer', config(index));
      children.push(c);
      return c;
    }));
    await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'ready', 60_000)));
    await fsp.writeFile(goFile, '');
    // Kill worker 0 once it has done a few items (it is killed mid-item or mid-write).
    const victim = procs[0];
    await victim.waitFor((m) => m.event === 'completed' && victim.messages.length >= 6, 60_000);
    await victim.kill('SIGKILL');
    const survivors = procs.slice(1);
    await Promise.all(survivors.map((p) => p.waitFor((m) => m.event === 'done', 90_000)));

    const snap = await readCheckpoint(dir);
    expect(snap.completed.size).toBe(ids.length);
    expect(snap.failed.size).toBe(0);
    expect(snap.claims.size).toBe(0);
    const byWorker = procs.map((p) => p.messages.filter((m) => m.event === 'completed').map((m) => m.id as string));
    const survivorItems = byWorker.slice(1).flat();
    expect(new Set(survivorItems).size).toBe(survivorItems.length); // survivors never overlap
    const victimItems = new Set(byWorker[0]);
    const overlap = survivorItems.filter((id) => victimItems.has(id));
    // An item the victim reported complete is never redone; at most its in-flight item
    // (completed on disk, not yet reported) can be done again by a survivor.
    expect(overlap).toEqual([]);
    const reported = new Set([...survivorItems, ...victimItems]);
    const unreported = ids.filter((id) => !reported.has(id));
    expect(unreported.length).toBeLessThanOrEqual(1);
    for (const id of unreported) expect(snap.completed.get(id)?.stats.n_sources).toBe(1); // the victim's (index 0)
    console.log(`victim completed ${victimItems.size} before SIGKILL; survivors ${byWorker.slice(1).map((l) => l.length).join(', ')}`);
  });
});
