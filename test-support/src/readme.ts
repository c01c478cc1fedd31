/**
 * Run a package README's example as a test: the README holds exactly one
 * ```ts block; it is written next to the calling test (so `@astro/*` imports
 * resolve as they do for a user, including a package importing itself) and
 * imported with console.log captured. Returns the captured calls.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

/** The single ```ts block of the README beside `testUrl`'s package. */
export function readmeExample(testUrl: string): string {
  const readme = readFileSync(path.join(path.dirname(fileURLToPath(testUrl)), '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length !== 1) throw new Error(`README must hold exactly one \`\`\`ts example, found ${blocks.length}`);
  return blocks[0];
}

/** Run the README example of the package of `testUrl`; resolves to the console.log calls it made. */
export async function runReadmeExample(testUrl: string): Promise<unknown[][]> {
  const script = path.join(path.dirname(fileURLToPath(testUrl)), `readme-example-${process.pid}.tmp.ts`);
  writeFileSync(script, readmeExample(testUrl));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(script);
    return log.mock.calls.map((c) => [...c]);
  } finally {
    log.mockRestore();
    rmSync(script, { force: true });
  }
}
