/**
 * Checkpoint stores for batch jobs that run for days on many processes and
 * hosts: which items are completed (with stats), failed (with the error) or
 * being worked on, kept in JSON files written atomically under a
 * cross-process lock that is recovered automatically when its holder dies.
 *
 * @packageDocumentation
 */
export { openCheckpointStore } from './store.js';
export { readCheckpoint } from './read-checkpoint.js';
export { acquireLock } from './lock.js';
export type { FileLock, LockOptions } from './lock.js';
export { CheckpointError, CheckpointErrorCode } from './errors.js';
export type { CheckpointErrorOptions } from './errors.js';
export type {
  CheckpointProgress,
  CheckpointSnapshot,
  CheckpointStore,
  CheckpointStoreOptions,
  ClaimOptions,
  ClaimRecord,
  ClaimResult,
  CompletedRecord,
  FailureRecord,
  ReadCheckpointOptions,
} from './types.js';
