/**
 * Files written by astropy (cfitsio inside) with every codec and parameter we
 * read: RICE_1 with square tiles, HCOMPRESS_1 lossless and lossy (SCALE, with
 * and without SMOOTH) on int16 / int32 / quantized float, PLIO_1, GZIP_1 /
 * GZIP_2, every dither method, unsigned and scaled integers, odd sizes and a
 * cube. Each must give astropy's pixels bit for bit. Runs when
 * /usr/bin/python3 has astropy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFits } from '@astro/fits-io';
import { ASTROPY_MISSING, HAS_ASTROPY, runPython } from './support/compression-python.js';

const MAKE_AND_DUMP = String.raw`
import sys, json, os, numpy as np
from astropy.io import fits
out_dir = sys.argv[1]
rng = np.random.default_rng(12345)
def sky(shape, dtype, mean=1000.0, sigma=30.0):
    a = rng.normal(mean, sigma, shape)
    return a.astype(dtype)
cases = []
def add(name, data, **kw):
    hdr = kw.pop('header', None)
    h = fits.CompImageHDU(data, header=hdr, **kw)
    p = os.path.join(out_dir, name + '.fits')
    fits.HDUList([fits.PrimaryHDU(), h]).writeto(p, overwrite=True)
    cases.append(p)
i16 = sky((37, 53), 'i2')
i32 = (rng.normal(0, 2e5, (29, 41))).astype('i4')
f32 = sky((37, 53), 'f4', 100.0, 5.0)
f64 = sky((24, 31), 'f8', 1.0e-3, 2.0e-4)
add('rice_i16_tiles', i16, compression_type='RICE_1', tile_size=(16, 16))
add('rice_u8', (rng.integers(0, 256, (37, 53))).astype('u1'), compression_type='RICE_1')
add('gzip1_u8', (rng.integers(0, 256, (37, 53))).astype('u1'), compression_type='GZIP_1')
add('rice_u16', (rng.integers(0, 65536, (37, 53))).astype('u2'), compression_type='RICE_1')
add('gzip2_u32', (rng.integers(0, 2**32, (20, 30), dtype='u8')).astype('u4'), compression_type='GZIP_2')
add('hcomp_i16_lossless', i16, compression_type='HCOMPRESS_1', tile_size=(53, 37))
add('hcomp_i16_scale', i16, compression_type='HCOMPRESS_1', hcomp_scale=2.5, tile_size=(32, 16))
add('hcomp_i16_smooth', i16, compression_type='HCOMPRESS_1', hcomp_scale=4.0, hcomp_smooth=1, tile_size=(53, 37))
add('hcomp_i32', i32, compression_type='HCOMPRESS_1', tile_size=(41, 29))
add('hcomp_f32', f32, compression_type='HCOMPRESS_1', tile_size=(53, 37), quantize_method=1)
add('plio_i32', (rng.integers(0, 3, (37, 53)) * rng.integers(0, 1000, (37, 53))).astype('i4'), compression_type='PLIO_1', tile_size=(53, 4))
add('rice_f32_nodither', f32, compression_type='RICE_1', quantize_method=-1)
add('rice_f32_dither2', np.where(rng.random((37, 53)) < 0.1, 0.0, f32).astype('f4'), compression_type='RICE_1', quantize_method=2)
add('gzip2_f32_dither1', f32, compression_type='GZIP_2', quantize_method=1, quantize_level=4.0)
add('rice_f64_dither1', f64, compression_type='RICE_1', quantize_method=1, tile_size=(31, 8))
add('gzip1_f64_lossless', f64, compression_type='GZIP_1', quantize_level=0.0)
add('rice_cube_i16', sky((3, 17, 19), 'i2'), compression_type='RICE_1', tile_size=(19, 17, 1))
h = fits.Header(); h['BSCALE'] = 0.5; h['BZERO'] = 100.0
add('rice_i32_scaled', (rng.integers(-1000, 1000, (20, 30))).astype('i4'), compression_type='RICE_1', header=h, do_not_scale_image_data=True)
res = []
for p in cases:
    with fits.open(p) as hdul:
        d = np.ascontiguousarray(hdul[1].data)
        res.append({'file': p, 'dtype': str(d.dtype), 'shape': list(d.shape), 'hex': d.astype(d.dtype.newbyteorder('<')).tobytes().hex(),
                    'zcmptype': hdul[1]._header.get('ZCMPTYPE')})
print(json.dumps(res))
`;

describe.skipIf(!HAS_ASTROPY)(`files compressed by astropy read bit-for-bit (${HAS_ASTROPY ? 'astropy found' : ASTROPY_MISSING})`, () => {
  const dir = HAS_ASTROPY ? mkdtempSync(path.join(tmpdir(), 'fits-astropy-matrix-')) : '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('18 astropy-written files: every codec, dither method, tiling and scaling gives astropy pixels exactly', async () => {
    const dumps = JSON.parse(runPython(MAKE_AND_DUMP, [dir])) as Array<{ file: string; dtype: string; shape: number[]; hex: string; zcmptype: string }>;
    expect(dumps).toHaveLength(18);
    expect(new Set(dumps.map((d) => d.zcmptype))).toEqual(new Set(['RICE_1', 'GZIP_1', 'GZIP_2', 'HCOMPRESS_1', 'PLIO_1']));
    const mismatches: string[] = [];
    for (const d of dumps) {
      const img = await (await readFits(d.file)).hdus[1].readImage();
      const name = path.basename(d.file);
      expect(img.dtype, name).toBe(d.dtype);
      expect(img.shape, name).toEqual([...d.shape].reverse());
      const hex = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength).toString('hex');
      if (hex !== d.hex) mismatches.push(name);
    }
    expect(mismatches, 'files whose pixels differ from astropy').toEqual([]);
  });

  it('image header rebuilt as astropy shows it (order, values, comments, ZHECKSUM/ZDATASUM, EXTNAME, commentary)', async () => {
    const HEADERS = String.raw`
import sys, json, os, numpy as np
from astropy.io import fits
out_dir = sys.argv[1]
h = fits.Header()
h['OBJECT'] = ('M 31', 'target')
h['EXPTIME'] = (30.0, 'seconds')
h['HISTORY'] = 'reduced'
h['COMMENT'] = 'a comment'
h['CTYPE1'] = 'RA---TAN'
data = (np.arange(12 * 9) % 37).astype('i2').reshape(9, 12)
res = []
for name, extname, checksum in [('hdr_named', 'SCI', True), ('hdr_default', None, False)]:
    hdu = fits.CompImageHDU(data, header=h, name=extname, compression_type='RICE_1')
    p = os.path.join(out_dir, name + '.fits')
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(p, overwrite=True, checksum=checksum)
    with fits.open(p) as hdul:
        hd = hdul[1].header
        res.append({'file': p, 'cards': [[c.keyword, c.value if not isinstance(c.value, bool) else ('T' if c.value else 'F'), c.comment] for c in hd.cards]})
print(json.dumps(res))
`;
    const { compressedImageHeader } = await import('@astro/fits-io');
    const dumps = JSON.parse(runPython(HEADERS, [dir])) as Array<{ file: string; cards: Array<[string, unknown, string]> }>;
    expect(dumps).toHaveLength(2);
    for (const d of dumps) {
      const header = compressedImageHeader((await readFits(d.file)).hdus[1].header);
      const ours = header.cards
        .filter((c) => c.key !== '' || c.value !== '')
        .map((c) => [c.key, typeof c.value === 'boolean' ? (c.value ? 'T' : 'F') : c.value, c.comment]);
      const theirs = d.cards.filter((c) => c[0] !== '' || c[1] !== '');
      expect(ours, path.basename(d.file)).toEqual(theirs);
    }
    expect(dumps[0].cards.map((c) => c[0])).toContain('CHECKSUM');
  });
});
