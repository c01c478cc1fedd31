import { mkdtempSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCheckpointStore, readCheckpoint } from '@astro/checkpoint';

// A disk that fills up on demand: writeFileAtomic fails for files whose name matches `failOn`.
const disk = vi.hoisted(() => ({ failOn: undefined as RegExp | undefined }));
vi.mock('@astro/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@astro/core')>();
  return {
    ...core,
    writeFileAtomic: async (target: string, data: string | Uint8Array, options?: object) => {
      if (disk.failOn?.test(path.basename(target))) {
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${target}'`), { code: 'ENOSPC' });
      }
      return core.writeFileAtomic(target, data, options);
    },
  };
});

const dirs: string[] = [];
afterEach(async () => {
  disk.failOn = undefined;
  for (const d of dirs.splice(0)) await fsp.rm(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ckpt-enospc-'));
  dirs.push(dir);
  return dir;
}

describe('write failures (disk full)', () => {
  it('a claim whose write fails rejects with CHECKPOINT_IO and is not re-created later', async () => {
    const dir = tempDir();
    const store = await openCheckpointStore(dir);
    disk.failOn = /^claims\.json$/;
    await expect(store.claim('p')).rejects.toMatchObject({
      code: 'CHECKPOINT_IO',
      file: path.join(dir, 'claims.json'),
      message: expect.stringContaining('no space left'),
    });
    disk.failOn = undefined;
    // The next operation writes claims.json: it must not contain a claim on 'p'.
    expect(await store.claim('q')).toBe('claimed');
    expect([...(await readCheckpoint(dir)).claims.keys()]).toEqual(['q']);
    // The lock was released after the failure.
    expect(await store.claim('p')).toBe('claimed');
    await store.close();
  });

  it('a complete whose write fails records nothing and keeps the claim', async () => {
    const dir = tempDir();
    const store = await openCheckpointStore(dir);
    expect(await store.claim('c')).toBe('claimed');
    disk.failOn = /^completed_tiles\.json$/;
    await expect(store.complete('c', { n_sources: 1, n_valid: 1 })).rejects.toMatchObject({ code: 'CHECKPOINT_IO' });
    disk.failOn = undefined;
    const snap = await readCheckpoint(dir);
    expect(snap.completed.has('c')).toBe(false);
    expect(snap.claims.has('c')).toBe(true);
    // Still ours: completing again works and drops the claim.
    await store.complete('c', { n_sources: 1, n_valid: 1 });
    const after = await readCheckpoint(dir);
    expect(after.completed.has('c')).toBe(true);
    expect(after.claims.size).toBe(0);
    await store.close();
  });
});
