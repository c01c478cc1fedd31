/**
 * Locate the reference data in `../shared/data` (beside the repository).
 * Tests that need it call `sharedData('virac')` and skip with a clear message
 * when it is absent (a user's clone); CI always has it.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of `../shared/data/<sub>` or undefined when it is absent. */
export function sharedData(sub = ''): string | undefined {
  const candidates = [
    process.env.ASTRO_SHARED_DATA,
    path.resolve(repoRoot, '..', 'shared', 'data'),
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  for (const base of candidates) {
    const dir = path.join(base, sub);
    if (existsSync(dir)) return dir;
  }
  if (process.env.CI) {
    throw new Error(
      `reference data ../shared/data/${sub} is missing: CI must run with ../shared beside the repository`,
    );
  }
  return undefined;
}

/** Message used by tests that skip because the reference data is absent. */
export function missingDataMessage(sub: string): string {
  return `skipped: ../shared/data/${sub} not found beside the repository (set ASTRO_SHARED_DATA to run)`;
}

/** Absolute path of the repository root. */
export const REPO_ROOT = repoRoot;
