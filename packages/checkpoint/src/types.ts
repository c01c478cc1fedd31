import type { Logger } from '@astro/core';

/**
 * Outcome of {@link CheckpointStore.claim}:
 * - `claimed`: the caller now owns the item and must `complete`, `fail` or `release` it;
 * - `completed`: already done (by anyone) — skip it;
 * - `failed`: failed before and `retryFailed` was not set — skip it;
 * - `busy`: claimed by a live owner (another process, or this store already).
 */
export type ClaimResult = 'claimed' | 'completed' | 'failed' | 'busy';

/** Options of {@link CheckpointStore.claim} and {@link CheckpointStore.claimNext}. */
export interface ClaimOptions {
  /** Claim items recorded as failed too (default false). Their failure record stays until they complete. */
  retryFailed?: boolean;
}

/** A completed item as recorded in `completed_<noun>.json`. */
export interface CompletedRecord {
  /** The numeric stats given to `complete` (e.g. `n_sources`, `n_valid`). */
  stats: Readonly<Record<string, number>>;
  /** When it completed, ISO 8601 UTC (`''` when an older file has none). */
  timestamp: string;
}

/** A failed item as recorded in `failed_<noun>.json`. */
export interface FailureRecord {
  /** The error message given to `fail`. */
  error: string;
  /** When it failed, ISO 8601 UTC (`''` when an older file has none). */
  timestamp: string;
}

/** A claim as recorded in `claims.json`. */
export interface ClaimRecord {
  /** The holder's `owner` string (default `${hostname}:${pid}`). */
  owner: string;
  /** Host name of the holder process. */
  host: string;
  /** Process id of the holder on `host`. */
  pid: number;
  /** When the item was claimed, ISO 8601 UTC. */
  since: string;
  /** Last refresh by the holder, ISO 8601 UTC; older than `staleMs` means dead. */
  heartbeat: string;
  /**
   * Whether the holder was alive when the snapshot was taken (same rules as
   * the store: pid check on this host, heartbeat age against `staleMs`). A dead
   * holder's claim is taken over by the next `claim`/`claimNext` on its item.
   */
  alive: boolean;
}

/**
 * Progress, as in `progress.json` but independent of the noun:
 * `total` is `total_<noun>`, `processed` is `processed_<noun>`.
 */
export interface CheckpointProgress {
  /** Number of items the job has in all (set by `setTotal`; 0 when unknown). */
  total: number;
  /** completed + failed. */
  processed: number;
  /** Number of completed items. */
  completed: number;
  /** Number of failed items (not completed since). */
  failed: number;
  /** Sums of stats over completed items, by progress.json key (default `total_sources`, `valid_sources`). */
  sums: Readonly<Record<string, number>>;
  /** `last_update` of progress.json, ISO 8601 UTC (undefined before the first write). */
  lastUpdate: string | undefined;
  /** 100 * processed / total rounded to 2 decimals (0 when total is 0). */
  percentComplete: number;
}

/** The whole state of a store at one moment. Maps keep file order (completion order for `completed`). */
export interface CheckpointSnapshot {
  /** Completed items: id -> stats and timestamp. */
  completed: ReadonlyMap<string, CompletedRecord>;
  /** Failed items: id -> error and timestamp. */
  failed: ReadonlyMap<string, FailureRecord>;
  /** Items being worked on: id -> holder (may include claims of dead holders not yet reclaimed). */
  claims: ReadonlyMap<string, ClaimRecord>;
  /** Counters and sums. */
  progress: CheckpointProgress;
}

/** Options of {@link readCheckpoint}; shared by {@link openCheckpointStore}. */
export interface ReadCheckpointOptions {
  /**
   * What an item is called in file and field names (default `'tiles'`:
   * `completed_tiles.json`, `failed_tiles.json`, `total_tiles`, `processed_tiles`).
   * Letters, digits, `_` and `-` only. One noun per directory.
   */
  noun?: string;
  /**
   * progress.json keys summed over the stats of completed items: progress key ->
   * stat key. Default `{ total_sources: 'n_sources', valid_sources: 'n_valid' }`
   * (the VIRAC layout); e.g. `{ total_samples: 'n_samples' }` for frames.
   */
  progressSums?: Readonly<Record<string, string>>;
  /** Receives warnings (damaged progress.json, broken dead locks, lost claims). Default: silent. */
  logger?: Logger;
  /**
   * A lock or claim not refreshed for this long (ms) is dead and is taken over
   * (default 60 000). Holders on this host whose pid is gone are dead at once.
   * Must exceed the longest pause of the holder's event loop.
   */
  staleMs?: number;
  /** Host name for pid-liveness checks (default `os.hostname()`); override only where host names are not unique. */
  hostname?: string;
}

/** Options of {@link openCheckpointStore}. */
export interface CheckpointStoreOptions extends ReadCheckpointOptions {
  /** Identity of this process in locks and claims (default `${hostname}:${pid}`). */
  owner?: string;
  /** How often own claims are refreshed, ms (default staleMs / 4). */
  heartbeatMs?: number;
  /** Give up with `CHECKPOINT_LOCK_TIMEOUT` after waiting this long (ms) for a live lock holder (default 600 000). */
  lockTimeoutMs?: number;
}

/**
 * A checkpoint store shared by every process of a batch job; see
 * {@link openCheckpointStore}. All methods are safe to call concurrently, from
 * one process or many.
 */
export interface CheckpointStore {
  /** The store directory. */
  readonly dir: string;
  /** The item noun (`'tiles'` by default). */
  readonly noun: string;
  /** This store's owner string, as written into locks and claims. */
  readonly owner: string;
  /**
   * Claim `id` before working on it. Only `'claimed'` lets the caller work on it;
   * a claim whose holder died is taken over.
   */
  claim(id: string, options?: ClaimOptions): Promise<ClaimResult>;
  /**
   * Claim the first item of `ids` (in order) that is not completed, failed
   * (unless `retryFailed`) or claimed by a live owner, in one locked step.
   * Returns its id, or undefined when there is none.
   */
  claimNext(ids: readonly string[], options?: ClaimOptions): Promise<string | undefined>;
  /**
   * Record `id` as completed with its numeric `stats` (e.g. `{ n_sources, n_valid }`)
   * and the current time, drop its failure record if any, drop the claim and
   * update progress.json. Call it only once the item's outputs are durable.
   */
  complete(id: string, stats: Readonly<Record<string, number>>): Promise<void>;
  /**
   * Record `id` as failed with `error` and the current time, drop the claim and
   * update progress.json. A completed item stays completed (the call only logs a warning).
   */
  fail(id: string, error: string): Promise<void>;
  /** Give a claim back without recording anything (e.g. on SIGINT). No-op when not held by this store. */
  release(id: string): Promise<void>;
  /** Set `total_<noun>` in progress.json. */
  setTotal(total: number): Promise<void>;
  /** Read the whole store under the lock. */
  snapshot(): Promise<CheckpointSnapshot>;
  /** Stop heartbeats and release this store's claims. Idempotent; the store is unusable afterwards. */
  close(): Promise<void>;
}
