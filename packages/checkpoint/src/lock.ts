import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@astro/core';
import { silentLogger, sleep } from '@astro/core';
import { CheckpointError } from './errors.js';
import { asOwnerRecord, deathReason, describeOwner, isPidAlive, makeIdentity } from './internal/owner.js';
import type { OwnerRecord } from './internal/owner.js';
import { DEFAULT_STALE_MS, checkStaleMs, errnoOf, ioError } from './internal/util.js';

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /**
   * A lock whose holder has not refreshed it for this long (ms) is dead and is
   * broken (default 60 000). A holder on this host whose pid is gone is dead at
   * once, whatever its age.
   */
  staleMs?: number;
  /** Give up with `CHECKPOINT_LOCK_TIMEOUT` after waiting this long (ms) for a live holder (default 600 000). */
  timeoutMs?: number;
  /** Identity written into the lock (default `${hostname}:${pid}`). */
  owner?: string;
  /** Host name used for the pid-liveness check (default `os.hostname()`); override only where host names are not unique. */
  hostname?: string;
  /** Receives a warning when a dead holder's lock is broken (default: silent). */
  logger?: Logger;
}

/** A held cross-process lock; see {@link acquireLock}. */
export interface FileLock {
  /** Path of the lock file. */
  readonly path: string;
  /** Identity written into it. */
  readonly owner: string;
  /** Release the lock (idempotent). Stops the heartbeat; removes the file only while it is still this holder's. */
  release(): Promise<void>;
}

/** What is found at a lock path. */
interface LockInfo {
  ino: number;
  mtimeMs: number;
  size: number;
  record: OwnerRecord | undefined;
}

/** Default time to wait for a live lock holder (10 min). */
export const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * Take the cross-process lock `lockPath` (a file created atomically with
 * `link()`, safe over NFS), waiting while a live process holds it.
 *
 * The holder refreshes the file's mtime every `staleMs / 4` while it holds the
 * lock. A waiter breaks the lock when its holder is dead: at once when the
 * holder ran on this host and its pid is gone (SIGKILL, OOM kill), otherwise
 * when the mtime is older than `staleMs` (a holder on another node; a file
 * left by another tool). Breaking is serialised through `<lockPath>.break` and
 * re-checks the holder under it, so two waiters never both break a live lock.
 *
 * @throws {@link CheckpointError} `CHECKPOINT_LOCK_TIMEOUT` after `timeoutMs`
 * of a live holder, `CHECKPOINT_IO` when the directory cannot be written.
 */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<FileLock> {
  return lockAs(
    lockPath,
    makeIdentity(options),
    checkStaleMs(options.staleMs ?? DEFAULT_STALE_MS),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    options.logger ?? silentLogger,
  );
}

/** {@link acquireLock} for a known identity (a store reuses its own). */
export async function lockAs(
  lockPath: string,
  me: OwnerRecord,
  staleMs: number,
  timeoutMs: number,
  logger: Logger,
): Promise<FileLock> {
  const started = Date.now();
  let delay = 1;
  for (;;) {
    const record = JSON.stringify({ ...me, acquired: new Date().toISOString() });
    if (await createExclusive(lockPath, record, me)) return new HeldLock(lockPath, me, staleMs, logger);
    // Held: poll read-only (open + fstat, which also revalidates NFS caches)
    // until it is released or its holder is found dead, then try again.
    for (let info = await inspectLock(lockPath); info !== undefined; info = await inspectLock(lockPath)) {
      const reason = deathReason(info.record, info.mtimeMs, Date.now(), staleMs, me.host);
      if (reason !== undefined && (await breakLock(lockPath, info, staleMs, me))) {
        logger.warn({ lock: lockPath, holder: info.record, reason }, `broke the lock of a dead holder: ${reason}`);
        break;
      }
      if (Date.now() - started > timeoutMs) {
        const state =
          reason === undefined
            ? 'the holder is alive and refreshing it (stop it, or raise lockTimeoutMs)'
            : `the holder is dead (${reason}) but ${lockPath}.break stayed held (remove both files by hand if no job runs)`;
        throw new CheckpointError(
          `checkpoint: ${lockPath}: still held by ${describeOwner(info.record)} after waiting ${(timeoutMs / 1000).toFixed(0)} s; ${state}`,
          { code: 'CHECKPOINT_LOCK_TIMEOUT', file: lockPath },
        );
      }
      await sleep(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 20);
    }
  }
}

class HeldLock implements FileLock {
  readonly owner: string;
  #timer: NodeJS.Timeout | undefined;
  #released = false;

  constructor(
    readonly path: string,
    private readonly me: OwnerRecord,
    staleMs: number,
    private readonly logger: Logger,
  ) {
    this.owner = me.owner;
    this.#timer = setInterval(() => {
      const now = new Date();
      fsp.utimes(path, now, now).catch(() => undefined);
    }, Math.max(10, Math.floor(staleMs / 4)));
    this.#timer.unref();
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    const info = await inspectLock(this.path);
    if (info?.record?.token === this.me.token) {
      await fsp.unlink(this.path).catch((error: unknown) => {
        if (errnoOf(error) !== 'ENOENT') throw ioError(this.path, 'cannot remove the lock file', error);
      });
    } else {
      this.logger.warn(
        { lock: this.path, holder: info?.record },
        'the lock was broken by another process while held (this process was stalled longer than staleMs)',
      );
    }
  }
}

/**
 * Create `target` with `content` only if it does not exist, atomically and
 * with its whole content visible at once: write a unique temp file, `link()`
 * it to the target, and trust the link count (NFS may report EEXIST for a
 * retried link that did succeed). Falls back to O_EXCL create where hard links
 * are unsupported. The temp name carries host and pid so that one left by
 * a killed process can be recognised ({@link removeDeadCandidates}).
 */
async function createExclusive(target: string, content: string, me: OwnerRecord): Promise<boolean> {
  const temp = candidateName(target, me);
  try {
    await fsp.writeFile(temp, content, { flag: 'wx' });
  } catch (error) {
    throw ioError(temp, 'cannot create a lock candidate file (is the directory writable?)', error);
  }
  try {
    try {
      await fsp.link(temp, target);
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'EEXIST') return (await fsp.stat(temp)).nlink === 2;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        return await createExclusiveNoLink(target, content);
      }
      throw ioError(target, 'cannot create the lock file', error);
    }
    return true;
  } finally {
    await fsp.unlink(temp).catch(() => undefined);
  }
}

async function createExclusiveNoLink(target: string, content: string): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(target, 'wx');
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw ioError(target, 'cannot create the lock file', error);
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

/** Read the lock file: inode, mtime and the holder record (undefined record: not ours / unreadable). */
async function inspectLock(lockPath: string): Promise<LockInfo | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(lockPath, 'r');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw ioError(lockPath, 'cannot read the lock file', error);
  }
  try {
    const st = await handle.stat();
    let record: OwnerRecord | undefined;
    if (st.isFile()) {
      try {
        record = asOwnerRecord(JSON.parse(await handle.readFile('utf8')));
      } catch {
        record = undefined;
      }
    }
    return { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, record };
  } finally {
    await handle.close();
  }
}

function sameLock(a: LockInfo, b: LockInfo): boolean {
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size && a.record?.token === b.record?.token;
}

/**
 * Remove the dead lock described by `seen`, unless it changed meanwhile.
 * Serialised through `<lockPath>.break` so that of two waiters that both saw
 * the dead lock, the second cannot remove the fresh lock the first created.
 */
async function breakLock(lockPath: string, seen: LockInfo, staleMs: number, me: OwnerRecord): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  if (!(await createExclusive(breaker, JSON.stringify(me), me))) {
    // Someone else is breaking it; if that one died mid-way, clear its breaker.
    const other = await inspectLock(breaker);
    if (other !== undefined && deathReason(other.record, other.mtimeMs, Date.now(), staleMs, me.host) !== undefined) {
      await fsp.unlink(breaker).catch(() => undefined);
    }
    return false;
  }
  try {
    const now = await inspectLock(lockPath);
    if (now === undefined) return true;
    if (!sameLock(now, seen)) return false;
    if (deathReason(now.record, now.mtimeMs, Date.now(), staleMs, me.host) === undefined) return false;
    await removeLockPath(lockPath);
    return true;
  } finally {
    await fsp.unlink(breaker).catch(() => undefined);
  }
}

/** Remove a dead lock: our file, or an (empty) directory some mkdir-based lock left. */
async function removeLockPath(lockPath: string): Promise<void> {
  try {
    await fsp.unlink(lockPath);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT') return;
    if (code === 'EISDIR' || code === 'EPERM') {
      try {
        await fsp.rmdir(lockPath);
        return;
      } catch (inner) {
        if (errnoOf(inner) === 'ENOENT') return;
        throw ioError(lockPath, 'cannot remove the dead lock (a directory left by another tool?); remove it by hand', inner);
      }
    }
    throw ioError(lockPath, 'cannot remove the dead lock file', error);
  }
}

/** Host names as they appear in candidate file names. */
function safeHost(host: string): string {
  return host.replace(/[^A-Za-z0-9.-]/g, '_');
}

function candidateName(target: string, me: OwnerRecord): string {
  return `${target}.${safeHost(me.host)}.${me.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

const CANDIDATE = /^(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Remove the lock candidate files (`<lock>.<host>.<pid>.<hex>.tmp`, also those
 * of `<lock>.break`) that a killed process left behind: at once when their
 * process ran on this host and is gone, otherwise once older than `staleMs`.
 */
export async function removeDeadCandidates(lockPath: string, me: OwnerRecord, staleMs: number): Promise<void> {
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (error) {
    throw ioError(dir, 'cannot list the lock directory', error);
  }
  for (const name of names) {
    const prefix = [`${base}.break.`, `${base}.`].find((p) => name.startsWith(p));
    const match = prefix === undefined ? null : CANDIDATE.exec(name.slice(prefix.length));
    if (match === null) continue;
    const full = path.join(dir, name);
    let dead = match[1] === safeHost(me.host) && !isPidAlive(Number(match[2]));
    if (!dead) {
      try {
        dead = Date.now() - (await fsp.stat(full)).mtimeMs > staleMs;
      } catch (error) {
        if (errnoOf(error) === 'ENOENT') continue;
        throw ioError(full, 'cannot inspect a lock candidate file', error);
      }
    }
    if (dead) await fsp.rm(full, { force: true });
  }
}
