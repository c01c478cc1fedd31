import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The worker and launcher run as child processes with plain node, which
 * resolves @astro/* to dist/: build those packages first (incremental, nearly
 * free when dist/ is current).
 */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  try {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/core', 'packages/gwf', 'packages/hdf5-io', 'packages/checkpoint'],
      { cwd: root, stdio: 'inherit' },
    );
  } catch {
    console.warn('global-setup: tsc -b reported errors (see above); child-process tests use whatever dist/ holds');
  }
}
