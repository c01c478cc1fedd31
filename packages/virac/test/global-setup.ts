import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * CLI, worker-thread and kill tests run the compiled JavaScript (as users
 * do), so build this package and what it depends on first (incremental:
 * nearly free when dist/ is current).
 */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/virac'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    // Type errors are reported by `pnpm build` / `pnpm lint`; tests of the
    // compiled CLI fail on their own if dist/ could not be emitted.
    console.warn('global-setup: tsc -b packages/virac reported errors (see above)');
  }
}
