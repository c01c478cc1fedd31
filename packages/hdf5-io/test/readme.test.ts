/** The README's example runs as written. */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { withHdf5 } from '@astro/hdf5-io';
import { runReadmeExample } from '@astro/test-support/readme';

const written = join(tmpdir(), `hdf5-io-readme-${process.pid}.h5`);
afterAll(() => rmSync(written, { force: true }));

it('README example runs and writes what it says', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls).toHaveLength(1);
  const [ids, mags, attrs] = calls[0] as [BigInt64Array, number[][], Record<string, unknown>];
  expect(ids).toEqual(BigInt64Array.of(1n, 2n, 3n));
  expect(mags).toEqual([[14.25, 14.5], [], [15.5]]);
  expect(attrs).toEqual({ nside: 1024, layout: 'VIRAC2 ts_tables' });
  await withHdf5(written, undefined, (f) => expect(f.read('/catIndex/filter')).toEqual(['Ks', 'J']));
});
