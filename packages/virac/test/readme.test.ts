/** The README's example runs as written. */
import { expect, it } from 'vitest';
import { CSV_HEADER } from '@astro/virac';
import { runReadmeExample } from '../../../test-support/readme.js';

it('README example runs and prints what it says', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls).toHaveLength(2);
  const [completed, valid] = calls[0] as [number, number];
  expect(completed).toBe(1);
  expect(valid).toBeGreaterThan(20);
  expect(calls[1][0]).toBe(CSV_HEADER);
});
