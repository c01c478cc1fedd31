import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@astro/core';
import { isTempFileName, silentLogger, writeFileAtomic } from '@astro/core';
import { CheckpointError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, lockAs, removeDeadCandidates } from './lock.js';
import {
  ParseCache,
  readState,
  serializeClaims,
  serializeCompleted,
  serializeFailed,
  storeFiles,
} from './internal/files.js';
import type { State, StoreFiles, StoredClaim } from './internal/files.js';
import { deathReason, makeIdentity } from './internal/owner.js';
import type { Identity } from './internal/owner.js';
import { DEFAULT_PROGRESS_SUMS, serializeProgress, toSnapshot } from './internal/snapshot.js';
import { DEFAULT_STALE_MS, argumentError, checkStaleMs, ioError } from './internal/util.js';
import type {
  CheckpointSnapshot,
  CheckpointStore,
  CheckpointStoreOptions,
  ClaimOptions,
  ClaimResult,
  ReadCheckpointOptions,
} from './types.js';

/** Which files an operation changed. */
interface Dirty {
  completed?: boolean;
  failed?: boolean;
  claims?: boolean;
  progress?: boolean;
}

/** Resolved read options shared with readCheckpoint. */
export interface ReadConfig {
  noun: string;
  sums: Readonly<Record<string, string>>;
  logger: Logger;
}

export function resolveReadOptions(options: ReadCheckpointOptions): ReadConfig {
  const noun = options.noun ?? 'tiles';
  if (!/^[A-Za-z0-9_-]+$/.test(noun)) {
    throw argumentError(`noun must be letters, digits, '_' or '-' (it names files), got ${JSON.stringify(noun)}`);
  }
  const sums = options.progressSums ?? DEFAULT_PROGRESS_SUMS;
  for (const key of Object.keys(sums)) {
    if (key === `total_${noun}` || key === `processed_${noun}` || key === 'last_update' || key === 'percent_complete') {
      throw argumentError(`progressSums key ${JSON.stringify(key)} collides with a progress.json field`);
    }
  }
  return { noun, sums, logger: options.logger ?? silentLogger };
}

/**
 * Open (creating it if needed) the checkpoint store in `dir`: the seed's
 * `completed_<noun>.json`, `failed_<noun>.json` and `progress.json`, plus
 * `claims.json` and the lock `.checkpoint.lock`. Every change is made under
 * the cross-process lock and written atomically (temp file + fsync + rename),
 * so any number of processes, on any number of hosts sharing the directory,
 * can use one store at once.
 *
 * Opening validates every file, removes temp files left by a crash and
 * rewrites progress.json from the other files.
 *
 * @throws {@link CheckpointError} `CHECKPOINT_CORRUPT` / `CHECKPOINT_INVALID`
 * naming the damaged file and where (completed and failed records are never
 * overwritten while unreadable), `CHECKPOINT_IO` when the directory cannot be
 * created or written, `CHECKPOINT_ARGUMENT` for bad options.
 */
export async function openCheckpointStore(dir: string, options: CheckpointStoreOptions = {}): Promise<CheckpointStore> {
  const read = resolveReadOptions(options);
  const staleMs = checkStaleMs(options.staleMs ?? DEFAULT_STALE_MS);
  const heartbeatMs = options.heartbeatMs ?? Math.floor(staleMs / 4);
  if (!(heartbeatMs > 0 && heartbeatMs < staleMs)) {
    throw argumentError(`heartbeatMs must be > 0 and < staleMs (${staleMs}), got ${heartbeatMs}`);
  }
  const absolute = path.resolve(dir);
  try {
    await fsp.mkdir(absolute, { recursive: true });
  } catch (error) {
    throw ioError(absolute, 'cannot create the checkpoint directory', error);
  }
  const store = new Store(absolute, {
    ...read,
    staleMs,
    heartbeatMs,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    identity: makeIdentity(options),
  });
  await store.init();
  return store;
}

interface StoreConfig extends ReadConfig {
  staleMs: number;
  heartbeatMs: number;
  lockTimeoutMs: number;
  identity: Identity;
}

class Store implements CheckpointStore {
  readonly noun: string;
  readonly owner: string;
  readonly #files: StoreFiles;
  readonly #config: StoreConfig;
  readonly #me: Identity;
  /** Ids this store holds claims on. */
  readonly #held = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #lastClaimsWrite = 0;
  #heartbeatRunning = false;
  readonly #cache = new ParseCache();

  constructor(
    readonly dir: string,
    config: StoreConfig,
  ) {
    this.#config = config;
    this.#me = config.identity;
    this.noun = config.noun;
    this.owner = config.identity.owner;
    this.#files = storeFiles(dir, config.noun);
  }

  async init(): Promise<void> {
    await this.#op('open', async (state, dirty) => {
      await this.#checkDirectory();
      // Claims of dead holders (a crash) are dropped so monitors see the truth.
      const alive = this.#liveness();
      for (const [id, claim] of state.claims) {
        if (!alive(claim)) {
          state.claims.delete(id);
          dirty.claims = true;
        }
      }
      dirty.progress = true;
    });
    this.#timer = setInterval(() => void this.#heartbeat(), this.#config.heartbeatMs);
    this.#timer.unref();
  }

  async claim(id: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    checkId(id, 'claim');
    return this.#op('claim', (state, dirty) => this.#tryClaim(state, dirty, id, options, this.#liveness()));
  }

  async claimNext(ids: readonly string[], options: ClaimOptions = {}): Promise<string | undefined> {
    if (!Array.isArray(ids)) throw argumentError('claimNext: ids must be an array of item ids');
    for (const id of ids) checkId(id, 'claimNext');
    return this.#op('claimNext', (state, dirty) => {
      const alive = this.#liveness();
      for (const id of ids) {
        if (this.#tryClaim(state, dirty, id, options, alive) === 'claimed') return id;
      }
      return undefined;
    });
  }

  async complete(id: string, stats: Readonly<Record<string, number>>): Promise<void> {
    checkId(id, 'complete');
    const record = checkStats(id, stats);
    return this.#op('complete', (state, dirty) => {
      this.#dropClaim(state, dirty, id, 'completed');
      state.completed.set(id, { ...record, timestamp: new Date().toISOString() });
      dirty.completed = true;
      if (state.failed.delete(id)) dirty.failed = true;
      dirty.progress = true;
    });
  }

  async fail(id: string, error: string): Promise<void> {
    checkId(id, 'fail');
    const message = typeof error === 'string' ? error : String(error);
    return this.#op('fail', (state, dirty) => {
      this.#dropClaim(state, dirty, id, 'failed');
      if (state.completed.has(id)) {
        this.#config.logger.warn(
          { dir: this.dir, id, error: message },
          `checkpoint: ${this.noun} ${id} is already completed; the failure is not recorded`,
        );
        return;
      }
      state.failed.set(id, { error: message, timestamp: new Date().toISOString() });
      dirty.failed = true;
      dirty.progress = true;
    });
  }

  async release(id: string): Promise<void> {
    checkId(id, 'release');
    return this.#op('release', (state, dirty) => {
      this.#held.delete(id);
      if (state.claims.get(id)?.token === this.#me.token) {
        state.claims.delete(id);
        dirty.claims = true;
      }
    });
  }

  async setTotal(total: number): Promise<void> {
    if (!Number.isSafeInteger(total) || total < 0) {
      throw argumentError(`setTotal: total must be a non-negative integer, got ${total}`);
    }
    return this.#op('setTotal', (state, dirty) => {
      state.total = total;
      dirty.progress = true;
    });
  }

  async snapshot(): Promise<CheckpointSnapshot> {
    return this.#op('snapshot', (state) => toSnapshot(state, this.#config.sums, this.#liveness()));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#timer);
    try {
      await this.#op('close', (state, dirty) => {
        for (const [id, claim] of state.claims) {
          if (claim.token === this.#me.token) {
            state.claims.delete(id);
            dirty.claims = true;
          }
        }
        this.#held.clear();
      });
    } finally {
      this.#closed = true;
    }
  }

  /** Run `fn` on the current state under the lock (one at a time per store) and write what it changed. */
  #op<T>(name: string, fn: (state: State, dirty: Dirty) => T | Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new CheckpointError(`checkpoint: ${this.dir}: ${name}() after close()`, { code: 'CHECKPOINT_CLOSED', file: this.dir }),
      );
    }
    const run = async (): Promise<T> => {
      const { staleMs, lockTimeoutMs, logger } = this.#config;
      const lock = await lockAs(this.#files.lock, this.#me, staleMs, lockTimeoutMs, logger);
      const heldBefore = [...this.#held];
      try {
        const { state } = await readState(this.#files, this.noun, logger, this.#cache);
        const dirty: Dirty = {};
        this.#checkHeld(state, dirty);
        const result = await fn(state, dirty);
        await this.#write(state, dirty);
        return result;
      } catch (error) {
        // Nothing was recorded: neither were the claims this operation took or dropped.
        this.#held.clear();
        for (const id of heldBefore) this.#held.add(id);
        throw error;
      } finally {
        await lock.release();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Write the changed files: completed before failed (a retried item is never
   * in neither), progress last. The records of finished items are fsynced
   * (file, then directory); claims.json and progress.json are not: both are
   * rebuilt if a power cut damages them (live holders re-assert their claims
   * on their next operation or heartbeat, progress is recomputed).
   */
  async #write(state: State, dirty: Dirty): Promise<void> {
    const writes: [string, () => string, boolean][] = [];
    if (dirty.completed) {
      writes.push([this.#files.completed, () => remember(serializeCompleted(state), (t) => this.#cache.wroteCompleted(t, state)), true]);
    }
    if (dirty.failed) {
      writes.push([this.#files.failed, () => remember(serializeFailed(state), (t) => this.#cache.wroteFailed(t, state)), true]);
    }
    if (dirty.claims) {
      const now = new Date().toISOString();
      for (const [id, claim] of state.claims) {
        if (claim.token === this.#me.token) state.claims.set(id, { ...claim, heartbeat: now });
      }
      writes.push([this.#files.claims, () => serializeClaims(state), false]);
      this.#lastClaimsWrite = Date.now();
    }
    if (dirty.progress) {
      state.lastUpdate = new Date().toISOString();
      writes.push([this.#files.progress, () => serializeProgress(state, this.noun, this.#config.sums), false]);
    }
    for (const [file, text, fsync] of writes) {
      try {
        // Completions and failures are durable (file and directory fsynced on
        // commit); claims and progress are rewritten often and need not be.
        await writeFileAtomic(file, text(), { durability: fsync ? 'fsync' : 'none' });
      } catch (error) {
        throw ioError(file, 'cannot write', error);
      }
    }
  }

  /**
   * Reconcile the claims this store believes it holds with claims.json: a
   * claim taken over by another process (this one was judged dead) is lost; a
   * claim that vanished (claims.json deleted by hand) is written again.
   */
  #checkHeld(state: State, dirty: Dirty): void {
    for (const id of this.#held) {
      const claim = state.claims.get(id);
      if (claim === undefined) {
        if (state.completed.has(id) || state.failed.has(id)) {
          this.#held.delete(id);
        } else {
          state.claims.set(id, this.#newClaim());
          dirty.claims = true;
        }
      } else if (claim.token !== this.#me.token) {
        this.#held.delete(id);
        this.#config.logger.warn(
          { dir: this.dir, id, holder: claim },
          `checkpoint: the claim on ${this.noun} ${id} was taken over by ${claim.owner} (this process did not refresh it within staleMs)`,
        );
      }
    }
  }

  #tryClaim(state: State, dirty: Dirty, id: string, options: ClaimOptions, alive: (c: StoredClaim) => boolean): ClaimResult {
    const claim = state.claims.get(id);
    if (state.completed.has(id)) {
      if (claim !== undefined && !alive(claim)) {
        state.claims.delete(id);
        dirty.claims = true;
      }
      return 'completed';
    }
    if (state.failed.has(id) && options.retryFailed !== true) return 'failed';
    if (claim !== undefined) {
      if (claim.token === this.#me.token || alive(claim)) return 'busy';
      this.#config.logger.warn(
        { dir: this.dir, id, holder: claim },
        `checkpoint: reclaiming ${this.noun} ${id} from dead holder ${claim.owner}`,
      );
    }
    state.claims.set(id, this.#newClaim());
    this.#held.add(id);
    dirty.claims = true;
    return 'claimed';
  }

  /** Remove the claim on `id` when it is this store's or its holder is dead. */
  #dropClaim(state: State, dirty: Dirty, id: string, what: string): void {
    this.#held.delete(id);
    const claim = state.claims.get(id);
    if (claim === undefined) return;
    if (claim.token === this.#me.token || !this.#liveness()(claim)) {
      state.claims.delete(id);
      dirty.claims = true;
    } else {
      this.#config.logger.warn(
        { dir: this.dir, id, holder: claim },
        `checkpoint: ${this.noun} ${id} ${what} while claimed by live ${claim.owner}`,
      );
    }
  }

  #newClaim(): StoredClaim {
    const now = new Date().toISOString();
    const { owner, host, pid, pid_start, token } = this.#me;
    return { owner, host, pid, ...(pid_start === undefined ? {} : { pid_start }), token, since: now, heartbeat: now };
  }

  /** A liveness test memoised per holder token for the duration of one operation. */
  #liveness(): (claim: StoredClaim) => boolean {
    const known = new Map<string, boolean>();
    const now = Date.now();
    return (claim) => {
      if (claim.token === this.#me.token) return true;
      const key = `${claim.token}\u0000${claim.heartbeat}`;
      let alive = known.get(key);
      if (alive === undefined) {
        alive = deathReason(claim, Date.parse(claim.heartbeat), now, this.#config.staleMs, this.#me.host) === undefined;
        known.set(key, alive);
      }
      return alive;
    };
  }

  async #heartbeat(): Promise<void> {
    if (this.#closed || this.#heartbeatRunning || this.#held.size === 0) return;
    if (Date.now() - this.#lastClaimsWrite < this.#config.heartbeatMs * 0.75) return;
    this.#heartbeatRunning = true;
    try {
      await this.#op('heartbeat', (state, dirty) => {
        if ([...state.claims.values()].some((c) => c.token === this.#me.token)) dirty.claims = true;
      });
    } catch (error) {
      this.#config.logger.error({ dir: this.dir, error }, `checkpoint: cannot refresh claims: ${(error as Error).message}`);
    } finally {
      this.#heartbeatRunning = false;
    }
  }

  /**
   * Refuse a directory holding another noun's store; remove temp files of the
   * store files (a crash mid-write) and dead lock candidates. Runs under the lock.
   */
  async #checkDirectory(): Promise<void> {
    const targets = [this.#files.completed, this.#files.failed, this.#files.claims, this.#files.progress].map((f) =>
      path.basename(f),
    );
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (error) {
      throw ioError(this.dir, 'cannot list the checkpoint directory', error);
    }
    // One noun per directory: claims.json and progress.json would be shared.
    const other = names
      .map((name) => /^(?:completed|failed)_([A-Za-z0-9_-]+)\.json$/.exec(name)?.[1])
      .find((noun) => noun !== undefined && noun !== this.noun);
    if (other !== undefined) {
      throw argumentError(
        `${this.dir}: holds the store of another noun ("${other}": completed_${other}.json / failed_${other}.json), ` +
          `opened with noun "${this.noun}"; use one directory per pipeline (claims.json and progress.json would be shared)`,
      );
    }
    for (const name of names) {
      // Store files are only written under the lock, which we hold: any temp file of theirs is a crash leftover.
      if (isTempFileName(name) && targets.some((t) => name.startsWith(t))) await fsp.rm(path.join(this.dir, name), { force: true });
    }
    await removeDeadCandidates(this.#files.lock, this.#me, this.#config.staleMs);
  }
}

function remember(text: string, keep: (text: string) => void): string {
  keep(text);
  return text;
}

function checkId(id: unknown, method: string): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw argumentError(`${method}: an item id must be a non-empty string, got ${JSON.stringify(id) ?? String(id)}`);
  }
}

function checkStats(id: string, stats: Readonly<Record<string, number>>): Record<string, number> {
  if (typeof stats !== 'object' || stats === null || Array.isArray(stats)) {
    throw argumentError(`complete(${JSON.stringify(id)}): stats must be an object of numbers`, id);
  }
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(stats)) {
    if (key === 'timestamp') throw argumentError(`complete(${JSON.stringify(id)}): stat "timestamp" is reserved (the store records it)`, id);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw argumentError(
        `complete(${JSON.stringify(id)}): stat ${JSON.stringify(key)} is ${String(value)} (stats must be finite numbers; JSON cannot hold NaN or Infinity)`,
        id,
      );
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
