import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointError } from './errors.js';
import { readState, sameVersion, statVersion, storeFiles } from './internal/files.js';
import type { ReadResult } from './internal/files.js';
import { deathReason } from './internal/owner.js';
import { toSnapshot } from './internal/snapshot.js';
import { DEFAULT_STALE_MS, checkStaleMs, errnoOf, ioError } from './internal/util.js';
import { resolveReadOptions } from './store.js';
import type { CheckpointSnapshot, ReadCheckpointOptions } from './types.js';

const ATTEMPTS = 5;

/**
 * Read a store without taking its lock (for monitors and progress bars; never
 * delays the workers). Files are replaced by atomic renames, so each one is
 * read whole; when one is replaced while the set is being read, the read is
 * repeated (up to 5 times) to return a consistent set. Missing files read as
 * empty. Each claim's `alive` is judged with `staleMs` and `hostname` as a
 * store would.
 *
 * @throws {@link CheckpointError} `CHECKPOINT_NOT_FOUND` when `dir` does not
 * exist, `CHECKPOINT_CORRUPT` / `CHECKPOINT_INVALID` naming a damaged file.
 */
export async function readCheckpoint(dir: string, options: ReadCheckpointOptions = {}): Promise<CheckpointSnapshot> {
  const config = resolveReadOptions(options);
  const staleMs = checkStaleMs(options.staleMs ?? DEFAULT_STALE_MS);
  const host = options.hostname ?? os.hostname();
  const absolute = path.resolve(dir);
  try {
    const st = await fsp.stat(absolute);
    if (!st.isDirectory()) throw new Error('not a directory');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      throw new CheckpointError(`checkpoint: ${absolute}: no such checkpoint directory`, {
        code: 'CHECKPOINT_NOT_FOUND',
        file: absolute,
        cause: error,
      });
    }
    throw ioError(absolute, 'cannot open the checkpoint directory', error);
  }
  const files = storeFiles(absolute, config.noun);
  let result: ReadResult | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    result = await readState(files, config.noun, config.logger);
    let stable = true;
    for (const [file, version] of result.versions) {
      if (!sameVersion(version, await statVersion(file))) {
        stable = false;
        break;
      }
    }
    if (stable) break;
  }
  const now = Date.now();
  return toSnapshot((result as ReadResult).state, config.sums, (claim) => {
    return deathReason(claim, Date.parse(claim.heartbeat), now, staleMs, host) === undefined;
  });
}
