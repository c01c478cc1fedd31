import { CheckpointError } from '../errors.js';

/** Default `staleMs`: a lock or claim not refreshed for a minute is dead. */
export const DEFAULT_STALE_MS = 60_000;

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Wrap an fs error: `checkpoint: <file>: <what> (<fs message>)`. */
export function ioError(file: string, what: string, cause: unknown): CheckpointError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new CheckpointError(`checkpoint: ${file}: ${what} (${detail})`, { code: 'CHECKPOINT_IO', file, cause });
}

export function argumentError(message: string, tile?: string): CheckpointError {
  return new CheckpointError(`checkpoint: ${message}`, {
    code: 'CHECKPOINT_ARGUMENT',
    ...(tile === undefined ? {} : { tile }),
  });
}

export function checkStaleMs(staleMs: number): number {
  if (!Number.isFinite(staleMs) || staleMs < 50) {
    throw argumentError(`staleMs must be a finite number of milliseconds >= 50, got ${staleMs}`);
  }
  return staleMs;
}
