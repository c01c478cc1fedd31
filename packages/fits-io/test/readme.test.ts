/** The README's one example runs as written and prints what its comments say. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what its comments say', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls[0]).toEqual(['M31', 'uint16', [3, 2], 65535]);
  expect(calls[1][0]).toBe(2);
  expect(Array.from(calls[1][1] as Float64Array)).toEqual([17.2, 18.9]);
});
