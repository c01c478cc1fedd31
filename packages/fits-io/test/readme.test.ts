/** The README's one example: the README shows exactly test/fixtures/readme-example.ts, and it runs. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('README example', () => {
  it('is the fixture, verbatim', () => {
    const readme = readFileSync(path.join(here, '..', 'README.md'), 'utf8');
    const example = readFileSync(path.join(here, 'fixtures', 'readme-example.ts'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(example);
  });

  it('runs and prints what its comments say', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import('./fixtures/readme-example.js');
      expect(log.mock.calls[0]).toEqual(['M31', 'uint16', [3, 2], 65535]);
      expect(log.mock.calls[1][0]).toBe(2);
      expect(Array.from(log.mock.calls[1][1] as Float64Array)).toEqual([17.2, 18.9]);
    } finally {
      log.mockRestore();
    }
  });
});
