/** The README's example runs as written. */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { CSV_HEADER } from '@astro/virac';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what it says', async () => {
  const before = new Set(readdirSync(tmpdir()));
  const calls = await runReadmeExample(import.meta.url).finally(() => {
    // The example works in a fresh temporary directory; remove it.
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith('virac-readme-') && !before.has(name)) rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
    }
  });
  expect(calls).toHaveLength(2);
  const [completed, valid] = calls[0] as [number, number];
  expect(completed).toBe(1);
  expect(valid).toBeGreaterThan(20);
  expect(calls[1][0]).toBe(CSV_HEADER);
});
