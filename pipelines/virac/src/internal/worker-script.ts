/**
 * Where the compiled tile worker is, found from the running module itself:
 * compiled (`dist/internal/worker-script.js`) the worker is its sibling
 * `tile-worker.js`; run from the TypeScript source (a test runner resolving
 * the "source" condition, `src/internal/worker-script.ts`) it is the same
 * path in the build output, `src/` → `dist/` as tsconfig.build.json maps
 * it. Worker threads always run compiled JavaScript.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstroError } from '@astro/core';
import { ViracErrorCode } from '../errors.js';

/** The path of the compiled tile worker for the module at `moduleUrl` (default: this module). */
export function tileWorkerPath(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  const dir = path.dirname(here);
  if (!/\.[cm]?ts$/.test(here)) return path.join(dir, 'tile-worker.js');
  const srcRoot = path.dirname(dir); // <package>/src
  return path.join(path.dirname(srcRoot), 'dist', path.relative(srcRoot, dir), 'tile-worker.js');
}

/**
 * {@link tileWorkerPath}, checked to exist.
 *
 * @throws AstroError `VIRAC_WORKER` when it does not (the package is not built).
 */
export function requireTileWorker(moduleUrl: string = import.meta.url): string {
  const script = tileWorkerPath(moduleUrl);
  if (!existsSync(script)) {
    throw new AstroError(`VIRAC: worker script ${script} not found; run \`pnpm build\``, { code: ViracErrorCode.worker, file: script });
  }
  return script;
}
