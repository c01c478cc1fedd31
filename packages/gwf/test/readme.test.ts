/** The README's example runs as written (its import line is bound to the package). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import * as gwf from '@astro/gwf';
import * as os from 'node:os';
import * as nodePath from 'node:path';

it('README example runs and prints what it says', async () => {
  const readme = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const body = code
    .replace(/import \{([^}]*)\} from 'node:os';/, 'const {$1} = os;')
    .replace(/import \{([^}]*)\} from 'node:path';/, 'const {$1} = nodePath;')
    .replace(/import \{([^}]*)\} from '@astro\/gwf';/, 'const {$1} = __gwf;');
  expect(body).not.toMatch(/^import /m);
  const logs: unknown[][] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a));
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
    await new AsyncFunction('__gwf', 'os', 'nodePath', body)(gwf, os, nodePath);
  } finally {
    spy.mockRestore();
  }
  expect(logs[0][0]).toEqual([
    expect.objectContaining({ name: 'X1:TEST', kind: 'proc', sampleRate: 16, dtype: 'float32', unit: 'm' }),
  ]);
  expect(logs[1]).toEqual([1000000000500000000n, 24, []]);
});
