/**
 * We read what astropy writes, value for value: astropy (seeded numpy) writes
 * images and tables that the reference corpus does not cover (int8 and
 * uint64 images, BLANK with 32-bit scaling, X/Q/TDIM/TNULL columns, ASCII
 * I4/I12/F/E formats), dumps what it reads back, and we compare every value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFits } from '@astro/fits-io';
import type { BinaryTable, FitsTypedArray } from '@astro/fits-io';
import { NO_ASTROPY, hasAstropy, runPython } from './support/python.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fits-astropy-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const WRITE_AND_DUMP = String.raw`
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
rng = np.random.default_rng(5)
out = sys.argv[1]
hdus = [fits.PrimaryHDU()]
def img(name, data, **hdr):
    h = fits.ImageHDU(data=data, name=name)
    for k, v in hdr.items(): h.header[k] = v
    hdus.append(h)
img('I8', rng.integers(-128, 128, (5, 7)).astype(np.int8))
img('U64', rng.integers(0, 2**63, (5, 7), dtype=np.uint64) * np.uint64(2) + np.uint64(1))
img('U32', rng.integers(0, 2**32, (5, 7), dtype=np.uint64).astype(np.uint32))
i32 = rng.integers(-1000, 1000, (5, 7)).astype(np.int32); i32[1, 2] = -999999
h = fits.ImageHDU(data=i32, name='I32SCALED', do_not_scale_image_data=True)
h.header['BSCALE'] = 0.5; h.header['BZERO'] = 100.0; h.header['BLANK'] = -999999
hdus.append(h)
u8 = rng.integers(0, 256, (4, 3, 2)).astype(np.uint8)
h = fits.ImageHDU(data=u8, name='U8SCALED', do_not_scale_image_data=True)
h.header['BSCALE'] = 2.5; h.header['BZERO'] = -3.0
hdus.append(h)
n = 6
cols = [
    fits.Column(name='bits', format='13X', array=rng.integers(0, 2, (n, 13)).astype(bool)),
    fits.Column(name='qd', format='QD', array=np.array([rng.normal(size=k) for k in [0, 1, 3, 2, 5, 1]], dtype=object)),
    fits.Column(name='pi', format='PI()', array=np.array([rng.integers(-5, 5, k).astype(np.int16) for k in [2, 0, 1, 4, 3, 1]], dtype=object)),
    fits.Column(name='cube', format='12E', dim='(3,2,2)', array=rng.normal(size=(n, 2, 2, 3)).astype(np.float32)),
    fits.Column(name='nul', format='J', null=-1, array=np.array([1, -1, 3, -1, 5, 6], dtype=np.int32)),
    fits.Column(name='u64', format='K', bzero=9223372036854775808, array=np.array([0, 1, 2**63, 2**64 - 1, 5, 6], dtype=np.uint64)),
    fits.Column(name='sc', format='E', bscale=2.0, bzero=1.0, array=np.array([1, 3, 5, 7.5, 9, -1], dtype=np.float64)),
]
hdus.append(fits.BinTableHDU.from_columns(cols, name='BIN'))
acols = [
    fits.Column(name='i4', format='I4', array=np.array([1, -22, 333, 0, 7, 9])),
    fits.Column(name='i12', format='I12', array=np.array([2**35, -5, 0, 1, 2, 3])),
    fits.Column(name='f', format='F10.3', array=np.array([1.5, -2.25, 0, 1e3, 3.125, 7])),
    fits.Column(name='e', format='E14.6', array=np.array([1e-5, -2e10, 3.5, 0, 1, 2])),
    fits.Column(name='s', format='A6', array=np.array(['a', 'bb', 'ccc', '', 'xyz', 'q'])),
]
hdus.append(fits.TableHDU.from_columns(acols, name='ASC'))
fits.HDUList(hdus).writeto(out, overwrite=True)

def val(v):
    if isinstance(v, (bool, np.bool_)): return 1 if v else 0
    if isinstance(v, (int, np.integer)): return str(int(v))
    if isinstance(v, (float, np.floating)): return repr(float(v))
    if isinstance(v, bytes): return v.decode('latin1')
    if isinstance(v, str): return v
    return repr(v)
dump = []
with fits.open(out) as hl:
    for h in hl[1:]:
        e = {'name': h.name}
        if isinstance(h, (fits.BinTableHDU, fits.TableHDU)):
            e['columns'] = {}
            for c in h.columns:
                d = h.data[c.name]
                if 'P' in c.format or 'Q' in c.format:
                    e['columns'][c.name] = {'vla': [[val(x) for x in np.asarray(r).ravel()] for r in d]}
                else:
                    a = np.asarray(d)
                    e['columns'][c.name] = {'dtype': str(a.dtype.newbyteorder('=')) if a.dtype.kind not in 'SU' else 'str', 'values': [val(x) for x in (list(d) if a.dtype.kind in 'SU' else a.ravel())]}
        else:
            e['dtype'] = str(h.data.dtype.newbyteorder('='))
            e['shape'] = list(h.data.shape)
            e['values'] = [val(x) for x in h.data.ravel()]
        dump.append(e)
print(json.dumps(dump))
`;

function same(ours: unknown, theirs: string | number): boolean {
  if (typeof theirs === 'number') return ours === theirs;
  if (typeof ours === 'bigint') return ours === BigInt(theirs);
  if (typeof ours === 'string') return ours === theirs;
  const t = theirs === 'nan' ? NaN : Number(theirs);
  return Object.is(ours, t) || (ours === 0 && t === 0);
}

describe.skipIf(!hasAstropy())(`we read what astropy writes (${hasAstropy() ? 'python3-astropy' : NO_ASTROPY})`, () => {
  it('images, binary and ASCII tables, value for value', async () => {
    const file = path.join(tmp, 'astropy.fits');
    const dump = JSON.parse(runPython(WRITE_AND_DUMP, [file])) as Array<{
      name: string;
      dtype?: string;
      shape?: number[];
      values?: string[];
      columns?: Record<string, { dtype?: string; values?: Array<string | number>; vla?: string[][] }>;
    }>;
    const fits = await readFits(file);
    expect(fits.warnings).toEqual([]);
    for (const e of dump) {
      const hdu = fits.hdu(e.name);
      if (e.values) {
        const img = await hdu.readImage();
        expect(img.dtype, e.name).toBe(e.dtype);
        expect(img.shape, e.name).toEqual([...e.shape!].reverse());
        e.values.forEach((v, i) => expect(same((img.data as FitsTypedArray)[i], v), `${e.name}[${i}]: ${String(img.data[i])} vs ${v}`).toBe(true));
        continue;
      }
      const table = await hdu.readTable();
      for (const [name, col] of Object.entries(e.columns!)) {
        const ours = table.column(name);
        if (col.vla) {
          const rows = ours as FitsTypedArray[];
          expect(rows.map((r) => Array.from(r as ArrayLike<number>).map(String))).toEqual(col.vla.map((r) => r.map((x) => String(Number(x)))));
          continue;
        }
        const info = (table as BinaryTable).info(name);
        // numpy bool is our 'bool' (L) or 'bit' (X, unpacked)
        const expectedDtype = col.dtype === 'bool' ? (info.code === 'X' ? 'bit' : 'bool') : col.dtype;
        if (col.dtype !== 'str') expect(info.dtype, `${e.name}.${name} dtype`).toBe(expectedDtype);
        const values = ours as ArrayLike<unknown>;
        expect(values.length, `${e.name}.${name} length`).toBe(col.values!.length);
        col.values!.forEach((v, i) => expect(same(values[i], v), `${e.name}.${name}[${i}]: ${String(values[i])} vs ${v}`).toBe(true));
      }
    }
    const bin = (await fits.hdu('BIN').readTable()) as BinaryTable;
    expect(Array.from(bin.nullMask('nul'))).toEqual([0, 1, 0, 1, 0, 0]);
    expect(bin.info('cube').dim).toEqual([3, 2, 2]);
  });
});
