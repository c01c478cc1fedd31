/**
 * Structure snapshot of the FITS reference corpus (../shared/data/fits): per
 * file, every HDU's index, name, version, kind, data size, and the shape and
 * dtype `readImage()` gives or the columns `readTable()` gives (h5web's
 * h5wasm-api snapshot test is the model). A change in what the reader sees
 * shows up as a snapshot diff.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { readFits } from '@astro/fits-io';
import type { FitsHdu } from '@astro/fits-io';

const dir = sharedData('fits');
const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.fits')).sort() : [];

async function structureOf(hdu: FitsHdu): Promise<Record<string, unknown>> {
  const base = { index: hdu.index, name: hdu.name, version: hdu.version, kind: hdu.kind, xtension: hdu.xtension, cards: hdu.header.cards.length, dataSize: hdu.dataSize };
  if (hdu.kind === 'image' || hdu.kind === 'empty' || hdu.kind === 'compressed-image') {
    const image = await hdu.readImage();
    return { ...base, shape: image.shape, dtype: image.dtype, bitpix: image.bitpix };
  }
  if (hdu.kind === 'binary-table' || hdu.kind === 'ascii-table') {
    const table = await hdu.readTable();
    return { ...base, nrows: table.nrows, columns: table.names };
  }
  return base;
}

describe.skipIf(!dir)(`FITS corpus structure (${dir ? 'shared/data/fits' : missingDataMessage('fits')})`, () => {
  it.each(files)('%s', async (file) => {
    const fits = await readFits(path.join(dir!, file));
    const hdus = await Promise.all(fits.hdus.map((hdu) => structureOf(hdu)));
    expect({ hdus, warnings: fits.warnings }).toMatchSnapshot();
  });
});
