/** The README's example runs as written. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what it says', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls).toEqual([
    [true, true],
    [true, 'PNG'],
  ]);
});
