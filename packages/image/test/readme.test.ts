/** The README's example runs as written. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs: median 100, the hot pixel clipped, a view of the smoothed image', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls).toEqual([
    [100, 100, 64 * 48 - 1],
    [100 + (5000 - 100) * (4 / 16), true],
  ]);
});
