import { promises as fsp, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '@astro/checkpoint';
import { useTestScope } from './helpers/children.js';

const { tempDir, child } = useTestScope('ckpt-lock-');

describe('cross-process lock', () => {
  it('is recovered promptly when its holder on this host is SIGKILLed (well under staleMs)', async () => {
    const lock = path.join(tempDir(), '.checkpoint.lock');
    const holder = await child('hold-lock', { lock, staleMs: 60_000 });
    const { pid } = await holder.waitFor((m) => m.event === 'locked');
    const record = JSON.parse(readFileSync(lock, 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ pid, host: os.hostname() });

    // While the holder lives, the lock is not taken.
    await expect(acquireLock(lock, { staleMs: 60_000, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'CHECKPOINT_LOCK_TIMEOUT',
      message: expect.stringContaining(`pid ${pid as number}`),
    });

    await holder.kill('SIGKILL');
    const warnings: string[] = [];
    const t0 = Date.now();
    const held = await acquireLock(lock, {
      staleMs: 60_000,
      timeoutMs: 5_000,
      logger: { debug() {}, info() {}, error() {}, warn: (_o, m) => warnings.push(String(m)) },
    });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(1_000);
    expect(warnings.join('\n')).toMatch(new RegExp(`holder pid ${pid as number} on this host .* is gone`));
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    await held.release();
    await expect(fsp.stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('waits for staleMs when the dead holder ran on another host (no pid check possible)', async () => {
    const lock = path.join(tempDir(), '.checkpoint.lock');
    const staleMs = 1_500;
    const holder = await child('hold-lock', { lock, staleMs, hostname: 'other-node-17' });
    await holder.waitFor((m) => m.event === 'locked');
    await holder.kill('SIGKILL');
    const t0 = Date.now();
    const held = await acquireLock(lock, { staleMs, timeoutMs: 10_000 });
    const elapsed = Date.now() - t0;
    // The last heartbeat was at most staleMs/4 before the kill.
    expect(elapsed).toBeGreaterThan(staleMs * 0.75 - 100);
    expect(elapsed).toBeLessThan(staleMs + 1_500);
    await held.release();
  });

  it('is not broken while a live holder on another host keeps refreshing it', async () => {
    const lock = path.join(tempDir(), '.checkpoint.lock');
    const staleMs = 600;
    const holder = await child('hold-lock', { lock, staleMs, hostname: 'other-node-18' });
    await holder.waitFor((m) => m.event === 'locked');
    // 4 x staleMs: only the heartbeat (mtime refresh) keeps it.
    await expect(acquireLock(lock, { staleMs, timeoutMs: 4 * staleMs })).rejects.toMatchObject({
      code: 'CHECKPOINT_LOCK_TIMEOUT',
    });
    // Stalled (SIGSTOP): alive but no heartbeat -> broken after staleMs.
    holder.proc.kill('SIGSTOP');
    const held = await acquireLock(lock, { staleMs, timeoutMs: 10_000 });
    await held.release();
  });

  it('breaks a foreign or empty lock file (another tool) once it is older than staleMs', async () => {
    const lock = path.join(tempDir(), '.checkpoint.lock');
    writeFileSync(lock, '');
    await expect(acquireLock(lock, { staleMs: 60_000, timeoutMs: 200 })).rejects.toThrow(/unknown holder/);
    const old = new Date(Date.now() - 120_000);
    await fsp.utimes(lock, old, old);
    const held = await acquireLock(lock, { staleMs: 60_000, timeoutMs: 1_000 });
    await held.release();
  });

  it('breaks an empty lock directory left by a mkdir-based tool once it is older than staleMs', async () => {
    const lock = path.join(tempDir(), '.checkpoint.lock');
    await fsp.mkdir(lock);
    await expect(acquireLock(lock, { staleMs: 60_000, timeoutMs: 200 })).rejects.toMatchObject({ code: 'CHECKPOINT_LOCK_TIMEOUT' });
    const old = new Date(Date.now() - 120_000);
    await fsp.utimes(lock, old, old);
    const held = await acquireLock(lock, { staleMs: 60_000, timeoutMs: 1_000 });
    expect((await fsp.stat(lock)).isFile()).toBe(true);
    await held.release();
  });

  it('gives mutual exclusion to 3 processes incrementing one counter', async () => {
    const dir = tempDir();
    const lock = path.join(dir, '.checkpoint.lock');
    const counter = path.join(dir, 'counter');
    writeFileSync(counter, '0');
    const n = 60;
    const procs = await Promise.all([0, 1, 2].map(() => child('lock-counter', { lock, counter, n, staleMs: 60_000 })));
    await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'done', 60_000)));
    expect(Number(readFileSync(counter, 'utf8'))).toBe(3 * n);
    const left = (await fsp.readdir(dir)).sort();
    expect(left).toEqual(['counter']);
  });

  it('recovers when many waiters race to break the lock of a dead holder', async () => {
    const dir = tempDir();
    const lock = path.join(dir, '.checkpoint.lock');
    const counter = path.join(dir, 'counter');
    writeFileSync(counter, '0');
    const holder = await child('hold-lock', { lock, staleMs: 60_000 });
    await holder.waitFor((m) => m.event === 'locked');
    const n = 30;
    const procs = await Promise.all([0, 1, 2].map(() => child('lock-counter', { lock, counter, n, staleMs: 60_000 })));
    await new Promise((r) => setTimeout(r, 300));
    await holder.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.waitFor((m) => m.event === 'done', 60_000)));
    expect(Number(readFileSync(counter, 'utf8'))).toBe(3 * n);
  });
});
