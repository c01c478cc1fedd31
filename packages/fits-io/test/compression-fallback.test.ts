/**
 * Hand-built compressed tables for the parts of the convention writers rarely
 * use: tiles stored in UNCOMPRESSED_DATA or GZIP_COMPRESSED_DATA next to
 * compressed ones, ZSCALE / ZZERO / ZBLANK as keywords instead of columns, and
 * a per-tile ZBLANK column on a scaled integer image.
 */
import { describe, expect, it } from 'vitest';
import * as zlib from 'node:zlib';
import { readFits, toFitsBytes } from '@astro/fits-io';
import type { FitsCardInput } from '@astro/fits-io';
import { riceEncode } from '../src/compressed/codecs/rice.js';

const NX = 10;

function zCards(bitpix: number, nx: number, ny: number, extra: FitsCardInput[]): FitsCardInput[] {
  return [
    { key: 'ZIMAGE', value: true },
    { key: 'ZBITPIX', value: bitpix },
    { key: 'ZNAXIS', value: 2 },
    { key: 'ZNAXIS1', value: nx },
    { key: 'ZNAXIS2', value: ny },
    { key: 'ZTILE1', value: nx },
    { key: 'ZTILE2', value: 1 },
    ...extra,
  ];
}

function bigEndianFloats(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, false));
  return out;
}

describe('fallback tile columns and keyword parameters', () => {
  it('quantized RICE tiles with ZSCALE/ZZERO/ZBLANK keywords, an UNCOMPRESSED_DATA tile and a GZIP_COMPRESSED_DATA tile', async () => {
    const src = Float32Array.from({ length: NX * 4 }, (_, i) => 20 + Math.cos(i) * 3);
    const scale = 0.01;
    const zero = 15;
    const row = (y: number) => src.subarray(y * NX, (y + 1) * NX);
    const quantize = (y: number) => Int32Array.from(row(y), (v) => Math.round((v - zero) / scale));
    const q0 = quantize(0);
    q0[3] = -2147483647; // ZBLANK -> NaN
    const q2 = quantize(2);
    const empty = new Uint8Array(0);
    const hdu = {
      kind: 'binary-table' as const,
      columns: [
        { name: 'COMPRESSED_DATA', data: [riceEncode(q0, NX, 32, 4), empty, riceEncode(q2, NX, 32, 4), empty] },
        { name: 'UNCOMPRESSED_DATA', data: [new Float32Array(0), Float32Array.from(row(1)), new Float32Array(0), new Float32Array(0)] },
        { name: 'GZIP_COMPRESSED_DATA', data: [empty, empty, empty, Uint8Array.from(zlib.gzipSync(bigEndianFloats(Float32Array.from(row(3)))))] },
      ],
      header: zCards(-32, NX, 4, [
        { key: 'ZCMPTYPE', value: 'RICE_1' },
        { key: 'ZNAME1', value: 'BLOCKSIZE' },
        { key: 'ZVAL1', value: 32 },
        { key: 'ZNAME2', value: 'BYTEPIX' },
        { key: 'ZVAL2', value: 4 },
        { key: 'ZQUANTIZ', value: 'NO_DITHER' },
        { key: 'ZSCALE', value: scale },
        { key: 'ZZERO', value: zero },
        { key: 'ZBLANK', value: -2147483647 },
      ]),
    };
    const img = await (await readFits(toFitsBytes([{ kind: 'empty' }, hdu]))).hdus[1].readImage();
    expect(img.dtype).toBe('float32');
    const got = img.data as Float32Array;
    for (let x = 0; x < NX; x++) {
      if (x === 3) expect(Number.isNaN(got[x])).toBe(true);
      else expect(got[x]).toBe(Math.fround(q0[x] * scale + zero));
      expect(got[NX + x]).toBe(src[NX + x]);
      expect(got[2 * NX + x]).toBe(Math.fround(q2[x] * scale + zero));
      expect(got[3 * NX + x]).toBe(src[3 * NX + x]);
    }
  });

  it('int16 image with BSCALE/BZERO and a per-tile ZBLANK column: NaN only where a pixel equals its own tile blank', async () => {
    const rows = [
      Int32Array.from([5, 7, 1, 2, 3, 4, 5, 6, 7, 8]),
      Int32Array.from([5, 7, 9, 9, 9, 9, 9, 9, 9, 7]),
    ];
    const hdu = {
      kind: 'binary-table' as const,
      columns: [
        { name: 'COMPRESSED_DATA', data: rows.map((r) => riceEncode(r, NX, 32, 2)) },
        { name: 'ZBLANK', data: Int32Array.from([5, 7]) },
      ],
      header: [
        ...zCards(16, NX, 2, [
          { key: 'ZCMPTYPE', value: 'RICE_1' },
          { key: 'ZNAME1', value: 'BLOCKSIZE' },
          { key: 'ZVAL1', value: 32 },
          { key: 'ZNAME2', value: 'BYTEPIX' },
          { key: 'ZVAL2', value: 2 },
        ]),
        { key: 'BSCALE', value: 2.0 },
        { key: 'BZERO', value: 1.0 },
      ],
    };
    const fits = await readFits(toFitsBytes([{ kind: 'empty' }, hdu]));
    const img = await fits.hdus[1].readImage();
    expect(img.dtype).toBe('float64');
    const got = Array.from(img.data as Float64Array);
    const expected = rows.flatMap((r, y) => Array.from(r, (v) => (v === [5, 7][y] ? NaN : v * 2 + 1)));
    expect(got).toEqual(expected);
    const raw = await fits.hdus[1].readImage({ scale: false });
    expect(Array.from(raw.data as Int16Array)).toEqual(rows.flatMap((r) => Array.from(r)));
  });
});
