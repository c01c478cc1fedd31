/**
 * Golden comparison with astropy 5.2.1: every file of ../shared/data/fits must
 * reproduce its .expected.json (header cards, structure, dtypes, NaN counts,
 * sums, sampled values, table columns). Pixels of tile-compressed HDUs and the
 * WCS block are compared by compression*.test.ts and wcs*.test.ts.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compressedImageHeader, readFits } from '@astro/fits-io';
import type { BinaryTable, FitsHdu, FitsHeader, FitsTypedArray } from '@astro/fits-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { expectedNumber, loadExpected, sameValue } from './support/expected.js';
import type { ExpectedColumn, ExpectedHdu, ExpectedImage } from './support/expected.js';

const dir = sharedData('fits');
const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.fits')).sort() : [];

const KIND_OF_CLASS: Record<string, string[]> = {
  PrimaryHDU: ['image', 'empty'],
  ImageHDU: ['image', 'empty'],
  BinTableHDU: ['binary-table'],
  TableHDU: ['ascii-table'],
  CompImageHDU: ['compressed-image'],
};

function compareHeaderValue(actual: unknown, expected: unknown, key: string): void {
  if (expected !== null && typeof expected === 'object' && 're' in (expected as object)) {
    expect(actual, key).toEqual(expected);
  } else if (typeof expected === 'number' || typeof expected === 'bigint') {
    expect(sameValue(actual, expected), `${key}: ${String(actual)} vs ${String(expected)}`).toBe(true);
    if (typeof expected === 'bigint') expect(typeof actual, `${key} must be exact (bigint)`).toBe('bigint');
  } else {
    expect(actual, key).toEqual(expected);
  }
}

function compareHeader(header: FitsHeader, exp: ExpectedHdu): void {
  const cards = exp.header.cards;
  for (const [key, value] of Object.entries(cards)) {
    expect(header.has(key), `missing card ${key}`).toBe(true);
    compareHeaderValue(header.get(key), value, key);
  }
  const ours = header.cards.filter((c) => c.key !== 'COMMENT' && c.key !== 'HISTORY' && c.key !== '').map((c) => c.key);
  expect(new Set(ours)).toEqual(new Set(Object.keys(cards)));
  expect(header.getAll('COMMENT')).toEqual(exp.header.COMMENT);
  expect(header.getAll('HISTORY')).toEqual(exp.header.HISTORY);
}

/** Compressed HDU: astropy shows the image header; check the Z keywords that make it. */
function compareCompressedHeader(header: FitsHeader, exp: ExpectedHdu): void {
  const cards = exp.header.cards;
  expect(header.get('ZIMAGE')).toBe(true);
  expect(header.get('ZBITPIX')).toBe(cards.BITPIX);
  expect(header.get('ZNAXIS')).toBe(cards.NAXIS);
  for (let i = 1; i <= (cards.NAXIS as number); i++) expect(header.get(`ZNAXIS${i}`)).toBe(cards[`NAXIS${i}`]);
  for (const [key, value] of Object.entries(cards)) {
    if (/^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT)$/.test(key)) continue;
    compareHeaderValue(header.get(key), value, key);
  }
}

function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

async function compareImage(hdu: FitsHdu, exp: ExpectedImage): Promise<void> {
  const img = await hdu.readImage();
  expect(img.shape).toEqual([...exp.shape].reverse());
  if (exp.dtype === null) {
    expect(img.data.length).toBe(0);
    return;
  }
  expect(img.dtype).toBe(exp.dtype);
  const data = img.data as FitsTypedArray;
  const n = data.length;
  expect(n).toBe(exp.shape.reduce((a, b) => a * b, 1));
  let nan = 0;
  let sum = 0;
  let sumSq = 0;
  let min: number | bigint | undefined;
  let max: number | bigint | undefined;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v === 'number' && !Number.isFinite(v)) {
      // the expected statistics cover finite values; NaN are counted
      if (Number.isNaN(v)) nan++;
      continue;
    }
    const x = num(v);
    sum += x;
    sumSq += x * x;
    if (min === undefined || v < min) min = v;
    if (max === undefined || v > max) max = v;
  }
  expect(nan).toBe(exp.nan_count);
  const tol = (e: number, scale: number) => 1e-10 * (Math.abs(e) + scale);
  const spread = Math.sqrt(n * expectedNumber(exp.sum_sq));
  expect(Math.abs(sum - expectedNumber(exp.sum))).toBeLessThanOrEqual(tol(expectedNumber(exp.sum), spread));
  expect(Math.abs(sumSq - expectedNumber(exp.sum_sq))).toBeLessThanOrEqual(1e-9 * expectedNumber(exp.sum_sq));
  expect(sameValue(min, exp.min), `min ${String(min)} vs ${String(exp.min)}`).toBe(true);
  expect(sameValue(max, exp.max), `max ${String(max)} vs ${String(exp.max)}`).toBe(true);
  for (const [index, value] of Object.entries(exp.samples ?? {})) {
    const actual = data[Number(index)];
    expect(sameValue(actual, value), `sample ${index}: ${String(actual)} vs ${String(value)}`).toBe(true);
  }
}

function rowValue(values: unknown, info: { dtype: string; repeat?: number; vla?: unknown }, row: number): unknown {
  if (Array.isArray(values)) {
    const v = values[row];
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  }
  const arr = values as FitsTypedArray;
  const per = info.repeat ?? 1;
  if (info.dtype === 'complex64' || info.dtype === 'complex128') {
    const at = row * per * 2;
    return per === 1 ? { re: arr[at], im: arr[at + 1] } : Array.from({ length: per }, (_, k) => ({ re: arr[at + 2 * k], im: arr[at + 2 * k + 1] }));
  }
  const slice = Array.from(arr.subarray(row * per, (row + 1) * per) as ArrayLike<number | bigint>);
  const mapped = info.dtype === 'bool' ? slice.map((x) => x === 1) : slice;
  return per === 1 ? mapped[0] : mapped;
}

function sameRow(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameRow(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object' && 're' in (expected as object)) {
    const a = actual as { re: number; im: number };
    const e = expected as { re: number; im: number };
    return a.re === e.re && a.im === e.im;
  }
  if (typeof expected === 'boolean' || typeof expected === 'string') return actual === expected;
  return sameValue(actual, expected);
}

function compareColumn(table: { nrows: number; column(n: string): unknown }, info: { dtype: string; repeat?: number; vla?: unknown; tform: string }, name: string, exp: ExpectedColumn): void {
  const values = table.column(name);
  expect(info.tform.replace(/^1(?=[A-Z])/, '')).toBe(exp.format.replace(/^1(?=[A-Z])/, ''));
  expect(table.nrows).toBe(exp.n);
  const rows = table.nrows;
  exp.first.forEach((e, i) => {
    const a = rowValue(values, info, i);
    expect(sameRow(a, e), `${name} row ${i}: ${JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))} vs ${JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`).toBe(true);
  });
  exp.last.forEach((e, i) => {
    const r = rows - exp.last.length + i;
    const a = rowValue(values, info, r);
    expect(sameRow(a, e), `${name} row ${r}`).toBe(true);
  });
  if (exp.dtype !== undefined) expect(info.dtype, `${name} dtype`).toBe(exp.dtype);
  if (exp.sum !== undefined) {
    let sum = 0;
    for (const v of Array.from(values as ArrayLike<number | bigint>)) sum += num(v);
    expect(Math.abs(sum - exp.sum), `${name} sum`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(exp.sum)));
  }
  if (exp.true_count !== undefined) {
    let count = 0;
    for (const v of values as Uint8Array) count += v;
    expect(count).toBe(exp.true_count);
  }
}

describe.skipIf(!dir)(`conformance with astropy (${dir ? 'shared/data/fits' : missingDataMessage('fits')})`, () => {
  it('finds the reference files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(file, async () => {
      const expected = loadExpected(path.join(dir!, `${file}.expected.json`));
      const fits = await readFits(path.join(dir!, file));
      expect(fits.warnings).toEqual([]);
      expect(fits.hdus.length).toBe(expected.hdus.length);
      for (const exp of expected.hdus) {
        const hdu = fits.hdus[exp.index];
        expect(hdu.name).toBe(exp.name);
        expect(KIND_OF_CLASS[exp.class]).toContain(hdu.kind);
        if (hdu.kind === 'compressed-image') {
          compareCompressedHeader(hdu.header, exp);
          // the image header astropy shows, rebuilt from the table header
          compareHeader(compressedImageHeader(hdu.header), exp);
          continue;
        }
        compareHeader(hdu.header, exp);
        if (exp.image) await compareImage(hdu, exp.image);
        if (exp.table) {
          const table = await hdu.readTable();
          expect(table.nrows).toBe(exp.table.nrows);
          expect(table.names).toEqual(Object.keys(exp.table.columns));
          for (const [name, col] of Object.entries(exp.table.columns)) {
            const info = table.kind === 'binary' ? (table as BinaryTable).info(name) : (table as unknown as { info(n: string): { dtype: string; tform: string } }).info(name);
            compareColumn(table, info, name, col);
          }
          // a row range reads the same rows
          const part = await hdu.readTable({ rows: { start: 1, count: 2 } });
          expect(part.nrows).toBe(2);
          for (const name of table.names) {
            const info = (table as unknown as { info(n: string): { dtype: string; repeat?: number; vla?: unknown } }).info(name);
            for (let r = 0; r < 2; r++) {
              expect(JSON.stringify(rowValue(part.column(name), info, r), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(
                JSON.stringify(rowValue(table.column(name), info, r + 1), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
              );
            }
          }
        }
      }
    });
  }
});
