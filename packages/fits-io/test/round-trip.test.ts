/** write -> read round trips with our own reader: every BITPIX, scaling, tables, headers, checksums. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsHeader, readFits, readFitsHeader, readFitsImage, readFitsTable, toFitsBytes, toImage, writeFits } from '@astro/fits-io';
import { parseCards } from '../src/internal/cards.js';
import type { BinaryTable, FitsTypedArray } from '@astro/fits-io';

const tmp = mkdtempSync(path.join(tmpdir(), 'fits-rt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const rnd = seeded(42);
const n = 7 * 5;
const cases: Array<[string, FitsTypedArray]> = [
  ['uint8', Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256))],
  ['int8', Int8Array.from({ length: n }, () => Math.floor(rnd() * 256) - 128)],
  ['int16', Int16Array.from({ length: n }, () => Math.floor(rnd() * 65536) - 32768)],
  ['uint16', Uint16Array.from({ length: n }, () => Math.floor(rnd() * 65536))],
  ['int32', Int32Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32) - 2 ** 31)],
  ['uint32', Uint32Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32))],
  ['int64', BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 2 ** 53)) * 1024n - 2n ** 62n)],
  ['uint64', BigUint64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 2 ** 53)) * 2048n)],
  ['float32', Float32Array.from({ length: n }, (_, i) => (i === 3 ? NaN : i === 4 ? -Infinity : (rnd() - 0.5) * 1e6))],
  ['float64', Float64Array.from({ length: n }, (_, i) => (i === 3 ? NaN : i === 4 ? Infinity : (rnd() - 0.5) * 1e300))],
];

describe('image round trips', () => {
  for (const [dtype, data] of cases) {
    it(`${dtype} keeps type, shape and every value`, async () => {
      const bytes = toFitsBytes([{ kind: 'image', data, shape: [7, 5] }]);
      expect(bytes.length % 2880).toBe(0);
      const fits = await readFits(bytes);
      const img = await fits.hdus[0].readImage();
      expect(img.dtype).toBe(dtype);
      expect(img.shape).toEqual([7, 5]);
      expect(img.data.constructor).toBe(data.constructor);
      expect(Array.from(img.data as ArrayLike<number>)).toEqual(Array.from(data as ArrayLike<number>));
    });
  }

  it('cubes keep FITS axis order and x-fastest layout', async () => {
    const data = Float32Array.from({ length: 4 * 3 * 2 }, (_, i) => i);
    const fits = await readFits(toFitsBytes([{ kind: 'empty' }, { kind: 'image', name: 'CUBE', data, shape: [4, 3, 2] }]));
    const img = await fits.hdu('cube').readImage();
    expect(img.shape).toEqual([4, 3, 2]);
    expect(img.data[1 * 12 + 2 * 4 + 3]).toBe(1 * 12 + 2 * 4 + 3);
    const plane = await fits.hdu('CUBE').readImage({ plane: 1 });
    expect(plane.shape).toEqual([4, 3]);
    expect(Array.from(plane.data as Float32Array)).toEqual(Array.from(data.subarray(12)));
  });

  it('toImage gives the core Image (width = NAXIS1), converting integers once', async () => {
    const fits = await readFits(toFitsBytes([{ kind: 'image', data: Int32Array.from({ length: 6 }, (_, i) => i - 3), shape: [3, 2] }]));
    const hdu = fits.hdus[0];
    const image = toImage(await hdu.readImage(), { header: hdu.header });
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(image.data).toBeInstanceOf(Float64Array);
    expect(Array.from(image.data)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(image.header).toBe(hdu.header);
    const f = await (await readFits(toFitsBytes([{ kind: 'image', data: new Float32Array(4), shape: [4] }]))).hdus[0].readImage();
    expect(() => toImage(f, { location: { file: 'x.fits', hdu: 0 } })).toThrow(/FITS x\.fits: HDU 0: image has shape \[4\]/);
  });

  it('quantises floats with BSCALE/BZERO to 16 and 32 bits, NaN through BLANK', async () => {
    const values = Float64Array.from({ length: 50 }, (_, i) => (i === 7 ? NaN : 1000 + (i - 25) * 0.37));
    for (const bitpix of [16, 32] as const) {
      const fits = await readFits(toFitsBytes([{ kind: 'image', data: values, shape: [10, 5], bitpix, bscale: 0.01, bzero: 1000 }]));
      const hdu = fits.hdus[0];
      expect(hdu.header.get('BITPIX')).toBe(bitpix);
      expect(hdu.header.get('BSCALE')).toBe(0.01);
      const img = await hdu.readImage();
      expect(img.dtype).toBe(bitpix === 16 ? 'float32' : 'float64');
      for (let i = 0; i < values.length; i++) {
        if (i === 7) expect(Number.isNaN(img.data[i])).toBe(true);
        else expect(Math.abs((img.data[i] as number) - values[i])).toBeLessThanOrEqual(0.005 + 1e-4);
      }
      const raw = await hdu.readImage({ scale: false });
      expect(raw.dtype).toBe(bitpix === 16 ? 'int16' : 'int32');
      expect(raw.data[0]).toBe(Math.round((values[0] - 1000) / 0.01));
    }
  });

  it('refuses values that do not fit the scaled type instead of wrapping', () => {
    expect(() => toFitsBytes([{ kind: 'image', data: new Float32Array([1e9]), shape: [1], bitpix: 16 }])).toThrow(/outside the range of BITPIX 16/);
  });

  it('reads into a caller-owned buffer (view, no new allocation) and checks its size', async () => {
    const data = Uint16Array.from({ length: 40 }, (_, i) => i * 1500);
    const fits = await readFits(toFitsBytes([{ kind: 'image', data, shape: [8, 5] }]));
    const into = new ArrayBuffer(96);
    const img = await fits.hdus[0].readImage({ into: new Uint8Array(into, 8, 88) });
    expect(img.data.buffer).toBe(into);
    expect(img.data.byteOffset).toBe(8);
    expect(Array.from(img.data as Uint16Array)).toEqual(Array.from(data));
    await expect(fits.hdus[0].readImage({ into: new Uint8Array(70) })).rejects.toThrow(/'into' has 70 bytes/);
  });

  it('sections equal the same cutout of the full image', async () => {
    const data = Int32Array.from({ length: 300 * 200 }, (_, i) => i * 7 - 1000);
    const file = path.join(tmp, 'section.fits');
    await writeFits(file, [{ kind: 'image', data, shape: [300, 200] }]);
    const fits = await readFits(file);
    const full = (await fits.hdus[0].readImage()).data as Int32Array;
    for (const s of [
      { x0: 0, y0: 0, width: 300, height: 200 },
      { x0: 10, y0: 20, width: 30, height: 40 },
      { x0: 299, y0: 199, width: 1, height: 1 },
      { x0: 0, y0: 50, width: 300, height: 3 },
    ]) {
      const cut = await fits.hdus[0].readImage({ section: s });
      expect(cut.shape).toEqual([s.width, s.height]);
      for (let y = 0; y < s.height; y++) {
        for (let x = 0; x < s.width; x++) expect(cut.data[y * s.width + x]).toBe(full[(s.y0 + y) * 300 + s.x0 + x]);
      }
    }
    await expect(fits.hdus[0].readImage({ section: { x0: 290, y0: 0, width: 20, height: 1 } })).rejects.toThrow(/outside the 300x200 image/);
  });
});

describe('header round trips', () => {
  it('keeps every value type, CONTINUE strings, HIERARCH, comments and commentary cards', async () => {
    const long = "A long value with 'quotes' ".repeat(8).trim();
    const header = [
      { key: 'OBJECT', value: "O'HARA", comment: 'target' },
      { key: 'LONGSTR', value: long, comment: 'continued' },
      { key: 'EMPTY', value: '' },
      { key: 'TRUTH', value: true },
      { key: 'FALSITY', value: false },
      { key: 'BIGINT', value: 9007199254740993n },
      { key: 'NEGINT', value: -42 },
      { key: 'FLT', value: 1.5e-300 },
      { key: 'EXPD', value: 6.02214076e23 },
      { key: 'PI', value: Math.PI },
      { key: 'CPLX', value: { re: 1.5, im: -2.25 } },
      { key: 'UNDEF', value: null, comment: 'no value' },
      { key: 'ESO DET CHIP NAME', value: 'CCD-1' },
      { key: 'ESO TEL AIRM START', value: 1.234 },
      { key: 'COMMENT', value: 'first comment' },
      { key: 'HISTORY', value: 'x'.repeat(100) },
    ];
    const fits = await readFits(toFitsBytes([{ kind: 'empty', header }]));
    const h = fits.hdus[0].header;
    for (const c of header.filter((c) => c.key !== 'HISTORY')) {
      expect(h.get(c.key), c.key).toEqual(c.value);
      if (c.comment) expect(h.comment(c.key)).toBe(c.comment);
    }
    expect(typeof h.get('BIGINT')).toBe('bigint');
    expect(h.getAll('HISTORY').join('')).toBe('x'.repeat(100));
    expect(h.get('HIERARCH ESO DET CHIP NAME')).toBe('CCD-1');
    expect(h.get('simple')).toBe(true);
  });

  it('writes mandatory keywords first, in fixed format', () => {
    const bytes = toFitsBytes([{ kind: 'image', data: new Int16Array(6), shape: [3, 2], header: { BITPIX: 99, NAXIS: 7, OBJECT: 'x' } }]);
    const text = Buffer.from(bytes.subarray(0, 2880)).toString('latin1');
    const cards = Array.from({ length: 6 }, (_, i) => text.slice(i * 80, i * 80 + 80));
    expect(cards.map((c) => c.slice(0, 8).trim())).toEqual(['SIMPLE', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'EXTEND']);
    expect(cards[0].slice(0, 30)).toBe(`SIMPLE  = ${'T'.padStart(20)}`);
    expect(cards[1].slice(0, 30)).toBe(`BITPIX  = ${'16'.padStart(20)}`);
    const h = parseCards(text);
    expect(h.get('BITPIX')).toBe(16);
    expect(h.getAll('NAXIS')).toEqual([2]);
  });

  it('parses non-standard cards leniently and reports them as warnings', () => {
    const cards = ['NOSPACE =5', "BADSTR  = 'unterminated", 'JUNK    = 12abc / c', 'lower   = 1.5D-03', 'DEXP    = -2.5d+2', 'BIG     = 1e300', 'NOVALUE just text', 'END'];
    const h = parseCards(cards.map((c) => c.padEnd(80)).join(''), { file: 'edge.fits', hdu: 0 });
    expect(h.get('NOSPACE')).toBe(5);
    expect(h.get('LOWER')).toBe(1.5e-3);
    expect(h.get('DEXP')).toBe(-250);
    expect(h.get('BIG')).toBe(1e300);
    expect(h.get('JUNK')).toBe('12abc');
    expect(h.get('NOVALUE')).toBe('just text');
    expect(h.warnings.map((w) => w.message).join('\n')).toMatch(/NOSPACE.*no blank after '='/);
    expect(h.warnings.map((w) => w.message).join('\n')).toMatch(/BADSTR.*cannot be parsed/);
    expect(h.warnings.map((w) => w.message).join('\n')).toMatch(/JUNK.*cannot be parsed/);
  });

  it('writes integers beyond 2^53 given as numbers as floats (bigint for exact integers)', async () => {
    const fits = await readFits(toFitsBytes([{ kind: 'empty', header: { BIGNUM: 1e18, EXACT: 10n ** 18n } }]));
    expect(fits.hdus[0].header.get('BIGNUM')).toBe(1e18);
    expect(fits.hdus[0].header.get('EXACT')).toBe(10n ** 18n);
  });

  it('FitsHeader typed getters name the card on a type error', () => {
    const h = new FitsHeader([{ key: 'NAXIS', value: 'two', comment: '' }], { file: 'x.fits', hdu: 3 });
    expect(() => h.getInt('NAXIS')).toThrow(/FITS x\.fits: HDU 3: card NAXIS: value 'two' is not an integer/);
    expect(h.getInt('NAXIS1')).toBeUndefined();
    expect(() => h.requireInt('NAXIS1')).toThrow(/card NAXIS1: mandatory keyword is missing/);
  });
});

describe('binary table round trips', () => {
  it('keeps every column kind', async () => {
    const nrows = 4;
    const columns = [
      { name: 'k', data: BigInt64Array.from([1n, -2n, 2n ** 62n, 0n]) },
      { name: 'uk', data: BigUint64Array.from([0n, 1n, 2n ** 64n - 1n, 2n ** 63n]) },
      { name: 'b', data: Uint8Array.from([0, 1, 254, 255]) },
      { name: 'sb', data: Int8Array.from([-128, -1, 0, 127]) },
      { name: 'i', data: Int16Array.from([-32768, 0, 1, 32767]) },
      { name: 'ui', data: Uint16Array.from([0, 1, 32768, 65535]) },
      { name: 'j', data: Int32Array.from([-(2 ** 31), 0, 5, 2 ** 31 - 1]) },
      { name: 'uj', data: Uint32Array.from([0, 1, 2 ** 31, 2 ** 32 - 1]) },
      { name: 'e3', data: Float32Array.from({ length: 12 }, (_, i) => i / 3), unit: 'mag', dim: [3, 1] },
      { name: 'd', data: Float64Array.from([NaN, -0, 1e-300, 1e300]) },
      { name: 'l', data: [true, false, true, true] },
      { name: 'a', data: ['', 'a', 'abc def', 'x'.repeat(20)] },
      { name: 'x', data: Uint8Array.from({ length: 40 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), format: '10X' },
      { name: 'c', data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), format: 'C' },
      { name: 'm', data: Float64Array.from([1, -2, 3, -4, 5, -6, 7, -8]), format: 'M' },
      { name: 'pd', data: [Float64Array.from([1, 2]), new Float64Array(0), Float64Array.from([3]), Float64Array.from([4, 5, 6])] },
      { name: 'pj', data: [Int32Array.from([1]), Int32Array.from([-1, 2]), new Int32Array(0), Int32Array.from([7])] },
      { name: 'pa', data: ['abc', '', 'hello world', 'z'], format: 'PA' },
      { name: 'qb', data: [Uint8Array.from([1, 2, 3]), new Uint8Array(0), Uint8Array.from([4]), Uint8Array.from([5, 6])], format: 'QB' },
      { name: 'scaled', data: Float64Array.from([10, 10.5, -395, 16393.5]), format: 'I', tscal: 0.5, tzero: 10 },
    ];
    const file = path.join(tmp, 'table.fits');
    await writeFits(file, [{ kind: 'binary-table', name: 'T', columns }], { checksum: true });
    const fits = await readFits(file, { verifyChecksums: true });
    expect(fits.hdus.map((h) => h.kind)).toEqual(['empty', 'binary-table']);
    const table = (await fits.hdus[1].readTable()) as BinaryTable;
    expect(table.nrows).toBe(nrows);
    expect(table.names).toEqual(columns.map((c) => c.name));
    for (const c of columns) {
      const got = table.column(c.name);
      const want = c.name === 'l' ? Uint8Array.from([1, 0, 1, 1]) : c.data;
      const norm = (v: unknown): unknown => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : Array.isArray(v) ? v.map(norm) : v);
      expect(norm(got), c.name).toEqual(norm(want));
    }
    expect(table.info('e3').dim).toEqual([3, 1]);
    expect(table.info('e3').unit).toBe('mag');
    expect(table.info('uk').dtype).toBe('uint64');
    expect(table.info('sb').dtype).toBe('float64'); // as astropy: no signed-byte convention in tables
    expect(table.info('scaled').dtype).toBe('float64');
    expect(table.info('qb').code).toBe('Q');
    expect(Array.from(table.nullMask('d'))).toEqual([1, 0, 0, 0]);
  });

  it('reads a row range only (fixed and variable-length columns)', async () => {
    const n = 1000;
    const fits = await readFits(
      toFitsBytes([
        {
          kind: 'binary-table',
          columns: [
            { name: 'i', data: Int32Array.from({ length: n }, (_, k) => k * 3) },
            { name: 's', data: Array.from({ length: n }, (_, k) => `row${k}`) },
            { name: 'v', data: Array.from({ length: n }, (_, k) => Float64Array.from({ length: k % 4 }, (_, j) => k + j / 10)) },
          ],
        },
      ]),
    );
    const part = (await fits.hdus[1].readTable({ rows: { start: 500, count: 7 } })) as BinaryTable;
    expect(part.nrows).toBe(7);
    expect(part.firstRow).toBe(500);
    expect(Array.from(part.column('i') as Int32Array)).toEqual([1500, 1503, 1506, 1509, 1512, 1515, 1518]);
    expect((part.column('s') as string[])[6]).toBe('row506');
    expect(Array.from((part.column('v') as Float64Array[])[3])).toEqual([503, 503.1, 503.2]);
    await expect(fits.hdus[1].readTable({ rows: { start: 999, count: 2 } })).rejects.toThrow(/outside the 1000 rows/);
  });

  it('iterates over a table in row chunks', async () => {
    const n = 1003;
    const fits = await readFits(toFitsBytes([{ kind: 'binary-table', columns: [{ name: 'i', data: Int32Array.from({ length: n }, (_, k) => k) }] }]));
    const seen: number[] = [];
    const starts: number[] = [];
    for await (const chunk of fits.hdus[1].readTableChunks({ rowsPerChunk: 250 })) {
      starts.push(chunk.firstRow);
      seen.push(...(chunk.column('i') as Int32Array));
    }
    expect(starts).toEqual([0, 250, 500, 750, 1000]);
    expect(seen).toEqual(Array.from({ length: n }, (_, k) => k));
  });

  it('one-call helpers find the first image / table HDU', async () => {
    const bytes = toFitsBytes([
      { kind: 'empty', header: { OBJECT: 'x' } },
      { kind: 'binary-table', name: 'CAT', columns: [{ name: 'a', data: Int16Array.from([4, 5]) }] },
      { kind: 'image', name: 'SCI', data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] },
    ]);
    expect((await readFitsHeader(bytes)).get('OBJECT')).toBe('x');
    expect((await readFitsHeader(bytes, { hdu: 'sci' })).get('EXTNAME')).toBe('SCI');
    const img = await readFitsImage(bytes, { section: { x0: 1, y0: 0, width: 1, height: 2 } });
    expect(Array.from(img.data as Float32Array)).toEqual([2, 4]);
    expect(img.header.get('EXTNAME')).toBe('SCI');
    expect(Array.from((await readFitsTable(bytes)).column('a') as Int16Array)).toEqual([4, 5]);
    await expect(readFitsHeader(bytes, { hdu: 'NOPE' })).rejects.toThrow(/no HDU "NOPE" \(HDUs: 0:PRIMARY, 1:CAT, 2:SCI\)/);
  });

  it('TNULL marks null integer cells', async () => {
    const fits = await readFits(toFitsBytes([{ kind: 'binary-table', columns: [{ name: 'v', data: Int32Array.from([1, -99, 3]), tnull: -99 }] }]));
    const table = await fits.hdus[1].readTable();
    expect(Array.from(table.nullMask('v'))).toEqual([0, 1, 0]);
    expect(Array.from(table.column('V') as Int32Array)).toEqual([1, -99, 3]);
  });

  it('reads gzip-compressed files (.fits.gz) whole, with a warning', async () => {
    const bytes = toFitsBytes([{ kind: 'image', data: Int16Array.from([1, -2, 3]), shape: [3] }], { checksum: true });
    const file = path.join(tmp, 'small.fits.gz');
    writeFileSync(file, gzipSync(bytes));
    const fits = await readFits(file, { verifyChecksums: true });
    expect(Array.from((await fits.hdus[0].readImage()).data as Int16Array)).toEqual([1, -2, 3]);
    expect(fits.warnings.map((w) => w.message).join()).toMatch(/gzip-compressed file: decompressed whole into memory/);
    const broken = gzipSync(bytes).subarray(0, 40);
    writeFileSync(file, broken);
    await expect(readFits(file)).rejects.toThrow(/small\.fits\.gz: gzip-compressed file cannot be decompressed/);
  });

  it('verifies checksums of a data unit larger than one 4 MB read chunk', async () => {
    const data = Float32Array.from({ length: 1_300_001 }, (_, i) => Math.sin(i));
    const file = path.join(tmp, 'big-checksum.fits');
    await writeFits(file, [{ kind: 'image', data, shape: [1_300_001] }], { checksum: true });
    const status = await (await readFits(file)).hdus[0].verifyChecksum();
    expect(status).toMatchObject({ datasum: 'ok', checksum: 'ok' });
  });

  it('checksums detect a flipped data byte', async () => {
    const bytes = toFitsBytes([{ kind: 'image', data: Float32Array.from([1, 2, 3]), shape: [3] }], { checksum: true });
    expect((await (await readFits(bytes)).hdus[0].verifyChecksum()).checksum).toBe('ok');
    const bad = bytes.slice();
    bad[2880 + 5] ^= 0x10;
    const status = await (await readFits(bad)).hdus[0].verifyChecksum();
    expect(status).toMatchObject({ datasum: 'bad', checksum: 'bad' });
    await expect(readFits(bad, { verifyChecksums: true })).rejects.toMatchObject({ code: 'FITS_CHECKSUM' });
  });
});
