import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link CheckpointError}. */
export const CheckpointErrorCode = {
  /** A store file is not valid JSON (truncated, empty, garbage). */
  CORRUPT: 'CHECKPOINT_CORRUPT',
  /** A store file is JSON but not in the expected layout. */
  INVALID: 'CHECKPOINT_INVALID',
  /** The store lock stayed held by a live owner longer than `lockTimeoutMs`. */
  LOCK_TIMEOUT: 'CHECKPOINT_LOCK_TIMEOUT',
  /** A file-system call failed (the `cause` holds the fs error). */
  IO: 'CHECKPOINT_IO',
  /** An option or argument is out of range (empty id, NaN stat, bad noun ...). */
  ARGUMENT: 'CHECKPOINT_ARGUMENT',
  /** The store was used after `close()`. */
  CLOSED: 'CHECKPOINT_CLOSED',
  /** `readCheckpoint` was pointed at a directory that does not exist. */
  NOT_FOUND: 'CHECKPOINT_NOT_FOUND',
} as const;
/** A {@link CheckpointErrorCode} value. */
export type CheckpointErrorCode = (typeof CheckpointErrorCode)[keyof typeof CheckpointErrorCode];

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
