/** The README's example runs as written. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs and prints what it says', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls[0]).toEqual(['{"ok":true}', 2.5, 'FITS_TRUNCATED', { file: 'image.fits', hdu: 1, card: 'NAXIS2' }]);
});
