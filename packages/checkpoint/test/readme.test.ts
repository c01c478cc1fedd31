import { readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('README example', () => {
  it('is test/readme-example.ts verbatim', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(path.join(root, 'test', 'readme-example.ts'), 'utf8'));
  });

  it('runs and prints what its last comment says', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const before = new Set(readdirSync(os.tmpdir()));
    try {
      await import('./readme-example.js');
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]).toEqual([3, 3, { total_sources: 514, valid_sources: 24 }, ['n1024_10095042']]);
    } finally {
      log.mockRestore();
      for (const name of readdirSync(os.tmpdir())) {
        if (name.startsWith('checkpoints-') && !before.has(name)) rmSync(path.join(os.tmpdir(), name), { recursive: true });
      }
    }
  });
});
