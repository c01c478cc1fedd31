import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/**
 * Machine-readable codes of {@link CheckpointError}:
 *
 * - `CHECKPOINT_CORRUPT`: a store file is not valid JSON (truncated, empty, garbage).
 * - `CHECKPOINT_INVALID`: a store file is JSON but not in the expected layout.
 * - `CHECKPOINT_LOCK_TIMEOUT`: the store lock stayed held by a live owner longer than `lockTimeoutMs`.
 * - `CHECKPOINT_IO`: a file-system call failed (the `cause` holds the fs error).
 * - `CHECKPOINT_ARGUMENT`: an option or argument is out of range (empty id, NaN stat, bad noun ...).
 * - `CHECKPOINT_CLOSED`: the store was used after `close()`.
 * - `CHECKPOINT_NOT_FOUND`: `readCheckpoint` was pointed at a directory that does not exist.
 */
export type CheckpointErrorCode =
  | 'CHECKPOINT_CORRUPT'
  | 'CHECKPOINT_INVALID'
  | 'CHECKPOINT_LOCK_TIMEOUT'
  | 'CHECKPOINT_IO'
  | 'CHECKPOINT_ARGUMENT'
  | 'CHECKPOINT_CLOSED'
  | 'CHECKPOINT_NOT_FOUND';

/** Options of {@link CheckpointError}: a code from {@link CheckpointErrorCode} plus the location fields of `AstroError`. */
export interface CheckpointErrorOptions extends AstroErrorOptions {
  /** What went wrong. */
  code: CheckpointErrorCode;
}

/**
 * Error thrown by `@astro/checkpoint`. `file` names the store file concerned,
 * `tile` the item id (whatever the noun), `offset` the byte offset of a JSON
 * syntax error. Messages read
 * `checkpoint: <file>: <where>: <what was found> (<what to do>)`.
 */
export class CheckpointError extends AstroError {
  override name = 'CheckpointError';
  declare readonly code: CheckpointErrorCode;

  constructor(message: string, options: CheckpointErrorOptions) {
    super(message, options);
  }
}
