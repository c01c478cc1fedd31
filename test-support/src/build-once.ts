/**
 * Build workspace packages once before tests that run compiled JavaScript
 * (CLIs, worker threads, child processes run `dist/` as users do). Used as a
 * vitest global setup:
 *
 * ```ts
 * // test/global-setup.ts
 * import { buildOnce } from '@astro/test-support/build-once';
 * export default () => buildOnce(['pipelines/virac']);
 * ```
 *
 * `tsc -b` is incremental (nearly free when `dist/` is current). A type error
 * fails the setup: tests of stale `dist/` would test code that is not there.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './shared-data.js';

const built = new Set<string>();

/** Run `tsc -b` over the given folders (relative to the repository root), once per process. */
export function buildOnce(folders: readonly string[]): void {
  const todo = folders.filter((f) => !built.has(f));
  if (todo.length === 0) return;
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const configs = todo.map((f) => path.join(f, 'tsconfig.build.json'));
  try {
    execFileSync(process.execPath, [tsc, '-b', ...configs], { cwd: REPO_ROOT, stdio: 'inherit' });
  } catch (error) {
    throw new Error(`build-once: tsc -b ${configs.join(' ')} failed (type errors above); fix them before testing`, {
      cause: error,
    });
  }
  for (const f of todo) built.add(f);
}
