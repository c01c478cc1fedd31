/**
 * Hostile compressed images: truncated, zeroed or corrupt tiles, descriptors
 * outside the heap, bad Z keywords. Every case must throw FitsFormatError
 * naming the file, the HDU and (for tile data) the tile, quickly, never hang
 * and never return pixels.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FitsFormatError, compressImage, readFits, toFitsBytes } from '@astro/fits-io';
import type { CompressImageOptions } from '@astro/fits-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { plioEncode } from '../src/compressed/codecs/plio.js';

const W = 40;
const H = 12;

function sampleImage(): Int16Array {
  const a = new Int16Array(W * H);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7919) % 2001) - 1000;
  return a;
}

function sampleFloats(): Float32Array {
  const a = new Float32Array(W * H);
  for (let i = 0; i < a.length; i++) a[i] = 50 + Math.sin(i) * 3;
  return a;
}

interface TileSpot {
  /** Absolute byte offset of the P descriptor (count, offset) of COMPRESSED_DATA in row `tile`. */
  descriptorAt: number;
  /** Absolute byte offset of the tile's bytes in the heap. */
  dataAt: number;
  /** Length of the tile's bytes. */
  length: number;
}

async function locateTile(bytes: Uint8Array, tile: number, column = 'COMPRESSED_DATA'): Promise<TileSpot> {
  const hdu = (await readFits(bytes)).hdus[1];
  const table = await hdu.readBinaryTable();
  const info = table.info(column);
  const d = table.descriptors(column);
  const elem = info.vla?.element === 'I' ? 2 : 1;
  return {
    descriptorAt: hdu.dataOffset + tile * table.rowLength + info.offset,
    dataAt: hdu.dataOffset + table.heapOffset + d.offset[tile],
    length: d.length[tile] * elem,
  };
}

function build(data: Int16Array | Float32Array, options: CompressImageOptions): Uint8Array {
  return toFitsBytes([{ kind: 'empty' }, compressImage(data, [W, H], options)]);
}

async function expectTileError(bytes: Uint8Array, tile: number | undefined, pattern: RegExp, code = 'FITS_BAD_TILE'): Promise<FitsFormatError> {
  const fits = await readFits(bytes, { name: 'hostile.fits' });
  const started = Date.now();
  let err: unknown;
  try {
    await fits.hdus[1].readImage();
  } catch (e) {
    err = e;
  }
  expect(Date.now() - started).toBeLessThan(5000);
  expect(err, 'reading must throw').toBeInstanceOf(FitsFormatError);
  const e = err as FitsFormatError;
  expect(e.code).toBe(code);
  expect(e.location.file).toBe('hostile.fits');
  expect(e.location.hdu).toBe(1);
  expect(e.message).toMatch(/^FITS hostile\.fits: HDU 1: /);
  if (tile !== undefined) {
    expect(e.location.tile).toBe(tile);
    expect(e.message).toContain(`tile ${tile}`);
  }
  expect(e.message).toMatch(pattern);
  return e;
}

function setDescriptor(bytes: Uint8Array, at: number, count: number, offset: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  dv.setInt32(at, count, false);
  dv.setInt32(at + 4, offset, false);
}

describe('corrupt tiles give FitsFormatError naming file, HDU and tile', () => {
  it('RICE_1 tile cut short (descriptor length reduced): stream ends early', async () => {
    const bytes = build(sampleImage(), { compression: 'RICE_1' });
    const spot = await locateTile(bytes, 5);
    const heapOffset = new DataView(bytes.buffer).getInt32(spot.descriptorAt + 4, false);
    setDescriptor(bytes, spot.descriptorAt, Math.floor(spot.length / 3), heapOffset);
    await expectTileError(bytes, 5, /RICE_1 stream ended/);
  });

  it('RICE_1 tile of zero bytes after the first pixel cannot hang', async () => {
    const bytes = build(sampleImage(), { compression: 'RICE_1' });
    const spot = await locateTile(bytes, 3);
    bytes.fill(0, spot.dataAt + 2, spot.dataAt + spot.length);
    await expectTileError(bytes, 3, /RICE_1 stream (ended|has \d+ unused bytes)/);
  });

  it('RICE_1 float tile with an invalid block code (> fsmax + 1)', async () => {
    const bytes = build(sampleFloats(), { compression: 'RICE_1', quantizeMethod: 'NO_DITHER' });
    const spot = await locateTile(bytes, 2);
    bytes[spot.dataAt + 4] = 0xff; // first 5-bit code 31 -> fs 30 > 25
    await expectTileError(bytes, 2, /block code 31/);
  });

  it('GZIP_1 tile with corrupt deflate data', async () => {
    const bytes = build(sampleImage(), { compression: 'GZIP_1' });
    const spot = await locateTile(bytes, 7);
    for (let i = 10; i < spot.length - 8; i++) bytes[spot.dataAt + i] ^= 0x5a;
    await expectTileError(bytes, 7, /gzip stream/);
  });

  it('GZIP_2 tile that inflates to the wrong size', async () => {
    const bytes = build(sampleImage(), { compression: 'GZIP_2' });
    const spot = await locateTile(bytes, 0);
    const small = zlib.gzipSync(Buffer.alloc(10));
    expect(small.length).toBeLessThanOrEqual(spot.length);
    bytes.set(small, spot.dataAt);
    const heapOffset = new DataView(bytes.buffer).getInt32(spot.descriptorAt + 4, false);
    setDescriptor(bytes, spot.descriptorAt, small.length, heapOffset);
    await expectTileError(bytes, 0, /inflates to 10 bytes; 80 expected/);
  });

  it('GZIP_1 tile that would inflate beyond the tile size (zip bomb) is stopped', async () => {
    const bytes = build(sampleImage(), { compression: 'GZIP_1', gzipLevel: 9 });
    const spot = await locateTile(bytes, 1);
    // 64 KiB of zeros deflate to fewer bytes than the tile holds: put them in its place
    const bomb = zlib.gzipSync(Buffer.alloc(1 << 16), { level: 9 });
    expect(bomb.length).toBeLessThanOrEqual(spot.length);
    bytes.set(bomb, spot.dataAt);
    const heapOffset = new DataView(bytes.buffer).getInt32(spot.descriptorAt + 4, false);
    setDescriptor(bytes, spot.descriptorAt, bomb.length, heapOffset);
    await expectTileError(bytes, 1, /more than the 80 bytes/);
  });

  it('descriptor pointing outside the heap', async () => {
    const bytes = build(sampleImage(), { compression: 'RICE_1' });
    const spot = await locateTile(bytes, 4);
    setDescriptor(bytes, spot.descriptorAt, 100, 1_000_000);
    await expectTileError(bytes, 4, /outside the heap/);
  });

  it('a section read touches only its tiles: a corrupt tile elsewhere does not matter, reading it does', async () => {
    const bytes = build(sampleImage(), { compression: 'RICE_1' });
    const spot = await locateTile(bytes, 0);
    bytes.fill(0, spot.dataAt + 2, spot.dataAt + spot.length);
    const fits = await readFits(bytes, { name: 'hostile.fits' });
    const sec = await fits.hdus[1].readImage({ section: { x0: 5, y0: 2, width: 10, height: 3 } });
    const expected = sampleImage();
    for (let y = 0; y < 3; y++) for (let x = 0; x < 10; x++) expect((sec.data as Int16Array)[y * 10 + x]).toBe(expected[(y + 2) * W + x + 5]);
    await expectTileError(bytes, 0, /RICE_1 stream/);
    await expect(fits.hdus[1].readImage({ section: { x0: 0, y0: 0, width: 3, height: 1 } })).rejects.toThrow(/tile 0/);
  });

  it('a row with no data in any tile column', async () => {
    const bytes = build(sampleImage(), { compression: 'RICE_1' });
    const spot = await locateTile(bytes, 9);
    setDescriptor(bytes, spot.descriptorAt, 0, 0);
    await expectTileError(bytes, 9, /no data in COMPRESSED_DATA/);
  });
});

describe('decoded values outside the pixel type', () => {
  it('PLIO_1 value 1000 in a BITPIX 8 image is an error, not a wrapped byte', async () => {
    const rows = [Int32Array.from([0, 0, 3, 3, 0]), Int32Array.from([1, 1000, 1000, 0, 0])];
    const hdu = {
      kind: 'binary-table' as const,
      columns: [{ name: 'COMPRESSED_DATA', data: rows.map((r) => plioEncode(r, r.length)) }],
      header: [
        { key: 'ZIMAGE', value: true },
        { key: 'ZBITPIX', value: 8 },
        { key: 'ZNAXIS', value: 2 },
        { key: 'ZNAXIS1', value: 5 },
        { key: 'ZNAXIS2', value: 2 },
        { key: 'ZTILE1', value: 5 },
        { key: 'ZTILE2', value: 1 },
        { key: 'ZCMPTYPE', value: 'PLIO_1' },
      ],
    };
    const bytes = toFitsBytes([{ kind: 'empty' }, hdu]);
    await expectTileError(bytes, 1, /decoded value 1000 at pixel 1 of the tile is outside the range of BITPIX 8 \(0\.\.255\)/);
    // the valid row alone decodes
    const ok = toFitsBytes([{ kind: 'empty' }, { ...hdu, columns: [{ name: 'COMPRESSED_DATA', data: [rows[0], rows[0]].map((r) => plioEncode(r, r.length)) }] }]);
    const img = await (await readFits(ok)).hdus[1].readImage();
    expect(Array.from(img.data as Uint8Array)).toEqual([0, 0, 3, 3, 0, 0, 0, 3, 3, 0]);
  });
});

function patchCard(bytes: Uint8Array, key: string, card: string): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.indexOf(key.padEnd(8) + '=');
  expect(at).toBeGreaterThan(0);
  const out = Uint8Array.from(bytes);
  out.set(Buffer.from(card.padEnd(80), 'latin1'), at);
  return out;
}

describe('bad Z keywords name the card', () => {
  it('unknown ZCMPTYPE', async () => {
    const bytes = patchCard(build(sampleImage(), { compression: 'RICE_1' }), 'ZCMPTYPE', "ZCMPTYPE= 'LZMA_9  '");
    const e = await expectTileError(bytes, undefined, /compression 'LZMA_9' is not supported/, 'FITS_UNSUPPORTED');
    expect(e.location.card).toBe('ZCMPTYPE');
  });

  it('ZNAXIS2 that does not match the number of rows', async () => {
    const bytes = patchCard(build(sampleImage(), { compression: 'RICE_1' }), 'ZNAXIS2', 'ZNAXIS2 =                   50');
    const e = await expectTileError(bytes, undefined, /12 rows but ZNAXISn \/ ZTILEn give 50 tiles/, 'FITS_BAD_TABLE');
    expect(e.location.card).toBe('NAXIS2');
  });

  it('illegal ZBITPIX', async () => {
    const bytes = patchCard(build(sampleImage(), { compression: 'RICE_1' }), 'ZBITPIX', 'ZBITPIX =                   12');
    const e = await expectTileError(bytes, undefined, /ZBITPIX = 12 is not a legal BITPIX/, 'FITS_BAD_KEYWORD');
    expect(e.location.card).toBe('ZBITPIX');
  });

  it('RICE_1 BYTEPIX 3', async () => {
    const bytes = patchCard(build(sampleImage(), { compression: 'RICE_1' }), 'ZVAL2', 'ZVAL2   =                    3');
    const e = await expectTileError(bytes, undefined, /BYTEPIX = 3 is not supported/, 'FITS_UNSUPPORTED');
    expect(e.location.card).toBe('ZVAL2');
  });

  it('dithered floats without a valid ZDITHER0', async () => {
    const bytes = patchCard(build(sampleFloats(), { compression: 'RICE_1', ditherSeed: 77 }), 'ZDITHER0', 'ZDITHER0=                    0');
    const e = await expectTileError(bytes, undefined, /dither seed 0 is outside 1\.\.10000/, 'FITS_BAD_KEYWORD');
    expect(e.location.card).toBe('ZDITHER0');
  });
});

const dir = sharedData('fits');

describe.skipIf(!dir)(`corrupt HCOMPRESS_1 / PLIO_1 tiles of the reference files (${dir ? 'shared/data/fits' : missingDataMessage('fits')})`, () => {
  it('HCOMPRESS_1: wrong magic', async () => {
    const bytes = Uint8Array.from(readFileSync(path.join(dir!, 'comp_hcompress_i16.fits')));
    const spot = await locateTile(bytes, 0);
    bytes[spot.dataAt] = 0x12;
    await expectTileError(bytes, 0, /magic 0xdd 0x99 expected/);
  });

  it('HCOMPRESS_1: stream cut short', async () => {
    const bytes = Uint8Array.from(readFileSync(path.join(dir!, 'comp_hcompress_i16.fits')));
    const spot = await locateTile(bytes, 0);
    const heapOffset = new DataView(bytes.buffer).getInt32(spot.descriptorAt + 4, false);
    setDescriptor(bytes, spot.descriptorAt, 40, heapOffset);
    await expectTileError(bytes, 0, /HCOMPRESS_1 stream ends after 40 bytes/);
  });

  it('HCOMPRESS_1: declared size does not match the tile', async () => {
    const bytes = Uint8Array.from(readFileSync(path.join(dir!, 'comp_hcompress_i16.fits')));
    const spot = await locateTile(bytes, 0);
    new DataView(bytes.buffer).setInt32(spot.dataAt + 2, 99, false);
    await expectTileError(bytes, 0, /declares 99 x \d+ pixels; the tile holds \d+/);
  });

  it('PLIO_1: line list longer than the tile', async () => {
    const bytes = Uint8Array.from(readFileSync(path.join(dir!, 'comp_plio_i32.fits')));
    const spot = await locateTile(bytes, 2);
    // header word 3 holds the list length (new-style header)
    new DataView(bytes.buffer).setInt16(spot.dataAt + 6, 30000, false);
    await expectTileError(bytes, 2, /PLIO_1 line list declares 30000 words but the tile holds \d+/);
  });

  it('file truncated inside the heap: clear truncation error', async () => {
    const full = readFileSync(path.join(dir!, 'comp_rice_f32_dither.fits'));
    const cut = Uint8Array.from(full.subarray(0, full.length - 2880 - 1000));
    let err: unknown;
    try {
      const fits = await readFits(cut, { name: 'cut.fits' });
      await fits.hdus[1].readImage();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FitsFormatError);
    expect((err as Error).message).toMatch(/cut\.fits/);
  });
});
