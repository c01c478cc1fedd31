/**
 * Side-by-side with astropy (runs /usr/bin/python3 when astropy is installed):
 * every pixel of every compressed reference file equals astropy's to the bit.
 */
import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFits } from '@astro/fits-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { ASTROPY_MISSING, HAS_ASTROPY, runPython } from './support/compression-python.js';

const dir = sharedData('fits');

const DUMP = `
import sys, json, numpy as np
from astropy.io import fits
out = []
for f in sys.argv[1:]:
    with fits.open(f) as hdul:
        for i, h in enumerate(hdul):
            if isinstance(h, fits.CompImageHDU):
                d = np.ascontiguousarray(h.data)
                out.append({'file': f, 'hdu': i, 'dtype': str(d.dtype), 'shape': list(d.shape), 'hex': d.astype(d.dtype.newbyteorder('<')).tobytes().hex()})
print(json.dumps(out))
`;

function littleEndianHex(data: ArrayBufferView): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

describe.skipIf(!dir || !HAS_ASTROPY)(
  `compressed reference files bit-for-bit vs astropy (${!dir ? missingDataMessage('fits') : !HAS_ASTROPY ? ASTROPY_MISSING : 'astropy found'})`,
  () => {
    it('every pixel of every compressed HDU equals astropy', async () => {
      const files = readdirSync(dir!).filter((f) => f.startsWith('comp_') && f.endsWith('.fits')).map((f) => path.join(dir!, f));
      const dumps = JSON.parse(runPython(DUMP, files)) as Array<{ file: string; hdu: number; dtype: string; shape: number[]; hex: string }>;
      expect(dumps.length).toBe(files.length);
      for (const d of dumps) {
        const img = await (await readFits(d.file)).hdus[d.hdu].readImage();
        expect(img.dtype, d.file).toBe(d.dtype);
        expect(img.shape, d.file).toEqual([...d.shape].reverse());
        expect(littleEndianHex(img.data) === d.hex, `${path.basename(d.file)}: pixels differ from astropy`).toBe(true);
      }
    });
  },
);
