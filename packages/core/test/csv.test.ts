import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, readCsv } from '@astro/core';
import { tempDir } from '@astro/test-support/temp-dir';

describe('parseCsv', () => {
  it('keeps 19-digit identifiers exact and reads numbers, quotes, BOM, CRLF and comments', () => {
    const text = '\uFEFF# Gaia DR3 extract\r\nsource_id,ra,dec,name\r\n4295806720038355200,10.5,-3.25,"a, b"\r\n4295806720038355201,,1e-3,"say ""hi"""\r\n';
    const t = parseCsv(text);
    expect(t.fields).toEqual(['source_id', 'ra', 'dec', 'name']);
    expect(t.column('source_id')).toEqual(['4295806720038355200', '4295806720038355201']);
    expect(Array.from(t.bigintColumn('source_id'))).toEqual([4295806720038355200n, 4295806720038355201n]);
    expect(Array.from(t.numberColumn('ra'))).toEqual([10.5, NaN]);
    expect(Array.from(t.numberColumn('dec'))).toEqual([-3.25, 0.001]);
    expect(t.column('name')).toEqual(['a, b', 'say "hi"']);
    expect(t.findField('RA_ICRS', 'ra')).toBe('ra');
    expect(t.findField('RA_ICRS')).toBeUndefined();
  });

  it('detects tab and semicolon delimiters', () => {
    expect(parseCsv('a\tb\n1\t2\n').numberColumn('b')[0]).toBe(2);
    expect(parseCsv('a;b\n1;2\n').numberColumn('b')[0]).toBe(2);
  });

  it('names the file, row and column of bad cells, ragged rows and missing columns', () => {
    const bad = () => parseCsv('a,b\n1,2\n3,x\n', { file: 'cat.csv' }).numberColumn('b');
    expect(bad).toThrow(CsvError);
    expect(bad).toThrow('CSV cat.csv: row 3, column b: "x" is not a number');
    expect(() => parseCsv('a,b\n1,2\n3\n', { file: 'cat.csv' })).toThrow('CSV cat.csv: row 3: has 1 fields, the header has 2');
    expect(() => parseCsv('a,b\n1,2\n', { file: 'cat.csv' }).column('c')).toThrow(/column c: no such column \(fields: a, b\)/);
    expect(() => parseCsv('id\n1.5\n').bigintColumn('id')).toThrow(/"1.5" is not an integer/);
  });
});

describe('readCsv', () => {
  it('reads a file and names it when it is missing', async () => {
    const dir = tempDir('csv-');
    const file = path.join(dir, 'stars.csv');
    writeFileSync(file, 'x,y\n1,2\n');
    expect(Array.from((await readCsv(file)).numberColumn('y'))).toEqual([2]);
    await expect(readCsv(path.join(dir, 'none.csv'))).rejects.toThrow(/CSV .*none\.csv: cannot read the file/);
  });
});
