/** The README's example runs as written. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const script = fileURLToPath(new URL(`./readme-example-${process.pid}.tmp.ts`, import.meta.url));
afterAll(() => rmSync(script, { force: true }));

it('README example runs and prints what it says', async () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  writeFileSync(script, blocks[0]);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(script);
    expect(log.mock.calls[0]).toEqual(['{"ok":true}', 2.5, 'FITS_TRUNCATED', { file: 'image.fits', hdu: 1, card: 'NAXIS2' }]);
  } finally {
    log.mockRestore();
  }
});
