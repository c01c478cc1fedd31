/** Job-array shards: which tiles one task of N takes. */
import { AstroError } from '@astro/core';
import { ViracErrorCode } from './errors.js';

/** One shard of a job array: this process takes tiles `index, index + count, ...`. */
export interface Shard {
  /** Zero-based shard index. */
  index: number;
  /** Number of shards. */
  count: number;
}

/** Parse `I/N` (zero-based shard I of N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new AstroError(`--shard must be I/N (e.g. 0/16), got "${text}"`, { code: ViracErrorCode.usage });
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) {
    throw new AstroError(`--shard ${text}: the index must be in 0..${count - 1}`, { code: ViracErrorCode.usage });
  }
  return { index, count };
}

/**
 * The shard of a SLURM job-array task: SLURM_ARRAY_TASK_ID relative to
 * SLURM_ARRAY_TASK_MIN (default 0) of SLURM_ARRAY_TASK_COUNT; undefined
 * outside a job array.
 */
export function shardFromEnvironment(env: Record<string, string | undefined>): Shard | undefined {
  const id = env.SLURM_ARRAY_TASK_ID;
  const count = env.SLURM_ARRAY_TASK_COUNT;
  if (id === undefined || count === undefined) return undefined;
  const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
  return parseShard(`${Number(id) - min}/${Number(count)}`);
}

/** Select the tiles of one shard (round robin over the sorted list). */
export function selectShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count <= 1) return [...items];
  return items.filter((_, i) => i % shard.count === shard.index);
}
