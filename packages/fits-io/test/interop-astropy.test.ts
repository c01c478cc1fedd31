/**
 * What we write, astropy reads back identically and without warnings
 * (checksums verified, `verify('exception')`). Runs when /usr/bin/python3 has
 * astropy; CI installs python3-astropy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFits, writeFits } from '@astro/fits-io';
import type { FitsHduInput, FitsTypedArray } from '@astro/fits-io';
import { NO_ASTROPY, hasAstropy, runPython } from './support/python.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fits-interop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DUMP = String.raw`
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('error')
def val(v):
    if isinstance(v, (bool, np.bool_)): return bool(v)
    if isinstance(v, (int, np.integer)): return str(int(v))
    if isinstance(v, (float, np.floating)): return repr(float(v))
    if isinstance(v, (complex, np.complexfloating)): return [repr(float(v.real)), repr(float(v.imag))]
    if isinstance(v, bytes): return v.decode('latin1')
    if isinstance(v, str): return v
    if isinstance(v, np.ndarray): return [val(x) for x in v.ravel()]
    if v is None: return None
    if type(v).__name__ == 'Undefined': return None
    return repr(v)
out = []
with fits.open(sys.argv[1], checksum=True) as hdul:
    hdul.verify('exception')
    for hdu in hdul:
        h = {'name': hdu.name, 'class': type(hdu).__name__,
             'cards': [[c.keyword, val(c.value), c.comment] for c in hdu.header.cards]}
        if isinstance(hdu, fits.BinTableHDU):
            cols = {}
            for c in hdu.columns:
                d = hdu.data[c.name]
                if c.format.startswith(('P', 'Q')) or 'P' in c.format or 'Q' in c.format:
                    cols[c.name] = {'dtype': 'object', 'values': [val(np.asarray(x)) if not isinstance(x, str) else x for x in d]}
                elif d.dtype.kind in 'SU':
                    cols[c.name] = {'dtype': 'str', 'values': [val(x) for x in d]}
                else:
                    cols[c.name] = {'dtype': str(d.dtype.newbyteorder('=')), 'values': val(np.asarray(d))}
            h['columns'] = cols
        elif hdu.data is not None:
            h['dtype'] = str(hdu.data.dtype.newbyteorder('='))
            h['shape'] = list(hdu.data.shape)
            h['values'] = val(hdu.data)
        out.append(h)
print(json.dumps(out))
`;

const NUMPY_DTYPE: Record<string, string> = {
  Uint8Array: 'uint8',
  Int8Array: 'int8',
  Int16Array: 'int16',
  Uint16Array: 'uint16',
  Int32Array: 'int32',
  Uint32Array: 'uint32',
  BigInt64Array: 'int64',
  BigUint64Array: 'uint64',
  Float32Array: 'float32',
  Float64Array: 'float64',
};

function same(ours: number | bigint, theirs: string): boolean {
  if (typeof ours === 'bigint') return ours === BigInt(theirs);
  if (Number.isInteger(ours) && /^-?\d+$/.test(theirs)) return ours === Number(theirs);
  const t = theirs === 'nan' ? NaN : theirs === 'inf' ? Infinity : theirs === '-inf' ? -Infinity : Number(theirs);
  return Object.is(ours, t) || (ours === 0 && t === 0) || (Number.isNaN(ours) && Number.isNaN(t));
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe.skipIf(!hasAstropy())(`astropy reads what we write (${hasAstropy() ? 'python3-astropy' : NO_ASTROPY})`, () => {
  it('images of every BITPIX, unsigned and scaled, headers and tables, with checksums', async () => {
    const rnd = seeded(7);
    const n = 6 * 4;
    const images: Array<[string, FitsTypedArray]> = [
      ['U8', Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256))],
      ['I8', Int8Array.from({ length: n }, () => Math.floor(rnd() * 256) - 128)],
      ['I16', Int16Array.from({ length: n }, () => Math.floor(rnd() * 65536) - 32768)],
      ['U16', Uint16Array.from({ length: n }, () => Math.floor(rnd() * 65536))],
      ['I32', Int32Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32) - 2 ** 31)],
      ['U32', Uint32Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32))],
      ['I64', BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 2 ** 53)) * 977n - 2n ** 62n)],
      ['U64', BigUint64Array.from({ length: n }, () => BigInt(Math.floor(rnd() * 2 ** 53)) * 2047n)],
      ['F32', Float32Array.from({ length: n }, (_, i) => (i === 1 ? NaN : i === 2 ? Infinity : (rnd() - 0.5) * 1e5))],
      ['F64', Float64Array.from({ length: n }, (_, i) => (i === 1 ? NaN : (rnd() - 0.5) * 1e-200))],
    ];
    const hdus: FitsHduInput[] = [
      {
        kind: 'empty',
        header: [
          { key: 'OBJECT', value: "NGC 1234 'core'", comment: 'target name' },
          { key: 'LONGSTR', value: 'word '.repeat(40).trim() },
          { key: 'BIGINT', value: 2n ** 62n + 1n },
          { key: 'EXPTIME', value: 30.5, comment: '[s]' },
          { key: 'TINY', value: 1.5e-300 },
          { key: 'CPLX', value: { re: 1.5, im: -2.25 } },
          { key: 'UNDEF', value: null },
          { key: 'ESO DET CHIP NAME', value: 'CCD-1' },
          { key: 'FLAG', value: false },
          { key: 'COMMENT', value: 'written by @astro/fits-io' },
          { key: 'HISTORY', value: 'h'.repeat(90) },
        ],
      },
      ...images.map(([name, data]) => ({ kind: 'image' as const, name, data, shape: [6, 4] })),
      { kind: 'image', name: 'SCALED16', data: Float64Array.from({ length: n }, (_, i) => (i === 3 ? NaN : 1000 + i * 0.25)), shape: [6, 4], bitpix: 16, bscale: 0.25, bzero: 1000 },
      { kind: 'image', name: 'CUBE', data: Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 1.5), shape: [2, 3, 4] },
      {
        kind: 'binary-table',
        name: 'CAT',
        columns: [
          { name: 'k', data: BigInt64Array.from([1n, -(2n ** 63n), 2n ** 63n - 1n]) },
          { name: 'uk', data: BigUint64Array.from([0n, 2n ** 64n - 1n, 2n ** 63n]) },
          { name: 'b', data: Uint8Array.from([0, 128, 255]) },
          { name: 'sb', data: Int8Array.from([-128, 0, 127]) },
          { name: 'i', data: Int16Array.from([-32768, 1, 32767]) },
          { name: 'ui', data: Uint16Array.from([0, 32768, 65535]) },
          { name: 'j', data: Int32Array.from([-(2 ** 31), 0, 2 ** 31 - 1]) },
          { name: 'uj', data: Uint32Array.from([0, 2 ** 31, 2 ** 32 - 1]) },
          { name: 'e2', data: Float32Array.from([0.1, NaN, 3, -Infinity, 5.5, 6]), unit: 'mag' },
          { name: 'd', data: Float64Array.from([Math.PI, -0, 1e300]) },
          { name: 'l', data: [true, false, true] },
          { name: 'a', data: ['', 'abc', 'with space'] },
          { name: 'x', data: Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0]), format: '10X' },
          { name: 'c', data: Float32Array.from([1, 2, 3, 4, 5, 6]), format: 'C' },
          { name: 'm', data: Float64Array.from([1, -2, 3, -4, 5, -6]), format: 'M' },
          { name: 'pd', data: [Float64Array.from([1, 2]), new Float64Array(0), Float64Array.from([3])] },
          { name: 'pj', data: [Int32Array.from([7]), Int32Array.from([-1, 2, 3]), Int32Array.from([0])] },
          { name: 'scaled', data: Float64Array.from([10, 10.5, -395]), format: 'I', tscal: 0.5, tzero: 10 },
        ],
      },
    ];
    const file = path.join(tmp, 'ours.fits');
    await writeFits(file, hdus, { checksum: true });
    const dump = JSON.parse(runPython(DUMP, [file])) as Array<{
      name: string;
      class: string;
      cards: Array<[string, unknown, string]>;
      dtype?: string;
      shape?: number[];
      values?: string[];
      columns?: Record<string, { dtype: string; values: unknown[] }>;
    }>;
    expect(dump.length).toBe(hdus.length);
    // header values
    const primary = new Map(dump[0].cards.map(([k, v]) => [k, v]));
    expect(primary.get('OBJECT')).toBe("NGC 1234 'core'");
    expect(primary.get('LONGSTR')).toBe('word '.repeat(40).trim());
    expect(primary.get('BIGINT')).toBe((2n ** 62n + 1n).toString());
    expect(primary.get('EXPTIME')).toBe('30.5');
    expect(primary.get('TINY')).toBe('1.5e-300');
    expect(primary.get('CPLX')).toEqual(['1.5', '-2.25']);
    expect(primary.get('UNDEF')).toBeNull();
    expect(primary.get('ESO DET CHIP NAME')).toBe('CCD-1');
    expect(primary.get('FLAG')).toBe(false);
    expect(dump[0].cards.filter((c) => c[0] === 'HISTORY').map((c) => c[1]).join('')).toBe('h'.repeat(90));
    // images
    images.forEach(([name, data], k) => {
      const h = dump[k + 1];
      expect(h.name).toBe(name);
      expect(h.dtype, name).toBe(NUMPY_DTYPE[data.constructor.name]);
      expect(h.shape).toEqual([4, 6]);
      data.forEach((v: number | bigint, i: number) => expect(same(v, h.values![i]), `${name}[${i}] ${v} vs ${h.values![i]}`).toBe(true));
    });
    const scaled = dump[images.length + 1];
    expect(scaled.dtype).toBe('float32');
    scaled.values!.forEach((v, i) => (i === 3 ? expect(v).toBe('nan') : expect(Number(v)).toBe(1000 + i * 0.25)));
    const cube = dump[images.length + 2];
    expect(cube.shape).toEqual([4, 3, 2]);
    expect(cube.values!.map(Number)).toEqual(Array.from({ length: 24 }, (_, i) => i * 1.5));
    // table
    const table = hdus[hdus.length - 1] as Extract<FitsHduInput, { kind: 'binary-table' }>;
    const cols = dump[dump.length - 1].columns!;
    for (const c of table.columns) {
      const theirs = cols[c.name];
      expect(theirs, c.name).toBeDefined();
      if (c.name === 'l') expect(theirs.values).toEqual([true, false, true]);
      else if (c.name === 'a') expect(theirs.values).toEqual(c.data);
      else if (c.name === 'x') expect(theirs.values).toEqual(Array.from(c.data as Uint8Array, (b) => b === 1));
      else if (c.name === 'c' || c.name === 'm') {
        expect(theirs.values.flat().map(Number)).toEqual(Array.from(c.data as Float64Array));
      } else if (c.name === 'pd' || c.name === 'pj') {
        expect(theirs.values.map((r) => (r as string[]).map(Number))).toEqual((c.data as FitsTypedArray[]).map((r) => Array.from(r as Float64Array)));
      } else {
        const data = c.data as FitsTypedArray;
        if (c.name !== 'scaled' && c.name !== 'sb') expect(theirs.dtype, c.name).toBe(NUMPY_DTYPE[data.constructor.name]);
        else expect(theirs.dtype).toBe('float64'); // astropy: scaled and signed-byte columns are float64
        Array.from(data as ArrayLike<number | bigint>).forEach((v, i) => expect(same(v, theirs.values[i] as string), `${c.name}[${i}]`).toBe(true));
      }
    }
  });
});

describe.skipIf(!hasAstropy())(`astropy reads the ASCII tables we write (${hasAstropy() ? 'python3-astropy' : NO_ASTROPY})`, () => {
  it('I, F, E, D and A columns, TNULL for NaN', async () => {
    const file = path.join(tmp, 'ascii.fits');
    const ids = Int32Array.from([1, -20, 300000, 0]);
    const flux = Float64Array.from([103.25743, -9.7225282e-5, NaN, 1e30]);
    const small = Float32Array.from([1.5, -2.25, 0, 3.75]);
    const labels = ['L0', 'a b', '', 'long label'];
    await writeFits(file, [
      {
        kind: 'ascii-table',
        name: 'ASC',
        columns: [
          { name: 'ID', data: ids },
          { name: 'FLUX', data: flux, tnull: 'NULL', unit: 'Jy' },
          { name: 'SMALL', data: small, format: 'F8.3' },
          { name: 'LABEL', data: labels },
        ],
      },
    ], { checksum: true });
    const out = JSON.parse(
      runPython(
        String.raw`
import sys, json, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('error')
with fits.open(sys.argv[1], checksum=True) as h:
    h.verify('exception')
    t = h['ASC']
    d = t.data
    print(json.dumps({'formats': [c.format for c in t.columns], 'ID': [int(x) for x in d['ID']],
      'FLUX': [repr(float(x)) for x in d['FLUX']], 'SMALL': [repr(float(x)) for x in d['SMALL']], 'LABEL': [str(x) for x in d['LABEL']]}))
`,
        [file],
      ),
    ) as { formats: string[]; ID: number[]; FLUX: string[]; SMALL: string[]; LABEL: string[] };
    expect(out.formats).toEqual(['I11', 'D25.17', 'F8.3', 'A10']);
    expect(out.ID).toEqual(Array.from(ids));
    // D25.17 keeps every bit of a double; TNULL reads back as astropy's null (0)
    expect(out.FLUX.map(Number)).toEqual([103.25743, -9.7225282e-5, 0, 1e30]);
    expect(out.SMALL.map(Number)).toEqual([1.5, -2.25, 0, 3.75]);
    expect(out.LABEL).toEqual(labels);
    // and we read it back, NaN for the null float
    const table = await (await readFits(file)).hdu('ASC').readTable();
    expect(Array.from(table.column('FLUX') as Float64Array)).toEqual([103.25743, -9.7225282e-5, NaN, 1e30]);
    expect(Array.from(table.nullMask('FLUX'))).toEqual([0, 0, 1, 0]);
  });
});
