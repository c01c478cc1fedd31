/**
 * Lazy I/O: a 5 GB image (a sparse file, so it costs no disk) opens by
 * reading headers only, and a cutout reads only its rows. Whole reads keep
 * several chunks in flight and convert them in order.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync, ftruncateSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFormatError, readFits, writeFits } from '@astro/fits-io';
import { formatCard } from '../src/internal/cards.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fits-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('lazy reading of a multi-GB file', () => {
  it('opens and cuts out of a 50000x50000 int16 image without reading it', async () => {
    const nx = 50_000;
    const ny = 50_000;
    const cards = [
      ...formatCard('SIMPLE', true),
      ...formatCard('BITPIX', 16),
      ...formatCard('NAXIS', 2),
      ...formatCard('NAXIS1', nx),
      ...formatCard('NAXIS2', ny),
      ...formatCard('BZERO', 32768),
      'END'.padEnd(80),
    ].join('');
    const header = Buffer.from(cards.padEnd(2880), 'latin1');
    const file = path.join(tmp, 'big.fits');
    const fd = openSync(file, 'w');
    writeSync(fd, header, 0, header.length, 0);
    // mark pixel (x=31234, y=40001) = 0x1234 stored (physical 0x1234 ^ 0x8000)
    const at = 2880 + (40001 * nx + 31234) * 2;
    writeSync(fd, Buffer.from([0x12, 0x34]), 0, 2, at);
    const dataBytes = nx * ny * 2;
    ftruncateSync(fd, 2880 + Math.ceil(dataBytes / 2880) * 2880);
    closeSync(fd);

    const t0 = performance.now();
    const fits = await readFits(file);
    expect(fits.size).toBeGreaterThan(5e9);
    const hdu = fits.hdus[0];
    expect(hdu.dataSize).toBe(dataBytes);
    const cut = await hdu.readImage({ section: { x0: 31230, y0: 40000, width: 10, height: 3 } });
    const ms = performance.now() - t0;
    expect(cut.dtype).toBe('uint16');
    expect(cut.shape).toEqual([10, 3]);
    expect(cut.data[1 * 10 + 4]).toBe(0x1234 ^ 0x8000);
    expect(cut.data[0]).toBe(32768);
    // reading 5 GB would take many seconds; headers + 3 rows take milliseconds
    expect(ms).toBeLessThan(2000);
  });
});

describe('whole-image reads kept in flight several chunks at a time', () => {
  // 2100 x 2100 float32 = 17.6 MB: five 4 MiB chunks, converted in order
  const n = 2100;
  const data = Float32Array.from({ length: n * n }, (_, i) => (i % 9973) * 0.25 - 1000);

  it('reads every chunk into its place (values across chunk boundaries)', async () => {
    const file = path.join(tmp, 'chunks.fits');
    await writeFits(file, [{ kind: 'image', data, shape: [n, n] }]);
    const image = await (await readFits(file)).hdus[0].readImage();
    const into = new Float32Array(n * n);
    await (await readFits(file)).hdus[0].readImage({ into });
    for (const got of [image.data as Float32Array, into]) {
      expect(got.length).toBe(data.length);
      let mismatches = 0;
      for (let i = 0; i < data.length; i++) if (got[i] !== data[i]) mismatches++;
      expect(mismatches).toBe(0);
    }
  });

  it('a file cut inside the third chunk after it was opened is FITS_TRUNCATED where it ends', async () => {
    const file = path.join(tmp, 'cut.fits');
    await writeFits(file, [{ kind: 'image', data, shape: [n, n] }]);
    const fits = await readFits(file); // checks the size; the file shrinks afterwards
    const cutAt = 2880 + 2 * (4 << 20) + 12345;
    truncateSync(file, cutAt);
    const error = await fits.hdus[0].readImage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FitsFormatError);
    expect((error as FitsFormatError).code).toBe('FITS_TRUNCATED');
    expect((error as FitsFormatError).message).toContain(String(cutAt));
  });
});
