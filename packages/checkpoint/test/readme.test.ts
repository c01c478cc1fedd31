/** The README's example runs as written and prints what its last comment says. */
import { readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what its last comment says', async () => {
  const before = new Set(readdirSync(os.tmpdir()));
  try {
    const calls = await runReadmeExample(import.meta.url);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual([3, 3, { total_sources: 514, valid_sources: 24 }, ['n1024_10095042']]);
  } finally {
    for (const name of readdirSync(os.tmpdir())) {
      if (name.startsWith('checkpoints-') && !before.has(name)) rmSync(path.join(os.tmpdir(), name), { recursive: true });
    }
  }
});
