/** The README's example runs as written and prints what it says. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what it says', async () => {
  const logs = await runReadmeExample(import.meta.url);
  expect(logs[0][0]).toEqual([
    expect.objectContaining({ name: 'X1:TEST', kind: 'proc', sampleRate: 16, dtype: 'float32', unit: 'm' }),
  ]);
  expect(logs[1]).toEqual([1000000000500000000n, 24, []]);
});
