/** The README's example runs as written. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';
import { withHdf5 } from '@astro/hdf5-io';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const script = fileURLToPath(new URL(`./readme-example-${process.pid}.tmp.ts`, import.meta.url));
const written = join(tmpdir(), `hdf5-io-readme-${process.pid}.h5`);
afterAll(() => {
  rmSync(script, { force: true });
  rmSync(written, { force: true });
});

it('README example runs and writes what it says', async () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  writeFileSync(script, blocks[0]);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(script);
    expect(log).toHaveBeenCalledTimes(1);
    const [ids, mags, attrs] = log.mock.calls[0] as [BigInt64Array, number[][], Record<string, unknown>];
    expect(ids).toEqual(BigInt64Array.of(1n, 2n, 3n));
    expect(mags).toEqual([[14.25, 14.5], [], [15.5]]);
    expect(attrs).toEqual({ nside: 1024, layout: 'VIRAC2 ts_tables' });
  } finally {
    log.mockRestore();
  }
  await withHdf5(written, undefined, (f) => expect(f.read('/catIndex/filter')).toEqual(['Ks', 'J']));
});
