/** The README's example runs as written and prints what its last comment says. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what its last comment says', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toEqual([['150.000000', '2.000000'], ['150.074758', '1.925283'], true, '0.2628']);
});
