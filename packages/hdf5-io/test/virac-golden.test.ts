/**
 * Golden comparison with h5py: every dataset of every shared VIRAC tile is
 * read through @astro/hdf5-io and compared with test/fixtures/virac-golden.json
 * (made by make_virac_golden.py with h5py): exact sha256 of the values,
 * offsets and strings, plus sums (tolerance 1e-9 relative) and first values.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesOf } from '@astro/core';
import type { NumericArray } from '@astro/core';
import { openHdf5, withHdf5 } from '@astro/hdf5-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

interface Golden {
  tiles: Record<string, { attrs: Record<string, unknown>; datasets: Record<string, Record<string, unknown>> }>;
}
const golden = JSON.parse(
  readFileSync(new URL('./fixtures/virac-golden.json', import.meta.url), 'utf8'),
) as Golden;
const dir = sharedData('virac');
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const finiteSum = (a: NumericArray): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Number(a[i]);
    if (Number.isFinite(v)) s += v;
  }
  return s;
};
const DTYPE: Record<string, string> = {
  int64: 'int64', int32: 'int32', float32: 'float32', float64: 'float64', '<i8': 'int64', '<i4': 'int32', '<f4': 'float32', '<f8': 'float64',
};

describe.skipIf(!dir)(`VIRAC tiles vs h5py ${dir ? '' : missingDataMessage('virac')}`, () => {
  const tiles = Object.keys(golden.tiles);
  it('golden covers all three shared tiles', () => {
    expect(tiles).toHaveLength(3);
  });

  for (const tile of tiles) {
    const g = golden.tiles[tile];
    const file = path.join(dir ?? '', 'tiles', tile);

    it(`${tile}: structure and root attributes`, async () => {
      await withHdf5(file, undefined, (f) => {
        expect(f.list().map((e) => e.name)).toEqual(['catIndex', 'sourceList', 'timeSeries']);
        expect(f.list('/').every((e) => e.kind === 'group')).toBe(true);
        const all = f.list('catIndex').concat(f.list('sourceList'), f.list('timeSeries')).map((e) => e.path);
        expect(all.sort()).toEqual(Object.keys(g.datasets).sort());
        expect(f.attrs()).toEqual(g.attrs);
      });
    });

    it(`${tile}: every dataset matches h5py exactly`, async () => {
      const f = await openHdf5(file);
      try {
        for (const [p, exp] of Object.entries(g.datasets)) {
          const info = f.info(p);
          expect(info.shape, p).toEqual(exp.shape);
          expect(info.compression, p).toBe('gzip');
          expect(info.shuffle, p).toBe(true);
          if (exp.kind === 'numeric') {
            expect(info.dtype, p).toBe(DTYPE[exp.dtype as string]);
            const data = f.read(p) as NumericArray;
            expect(sha(bytesOf(data)), p).toBe(exp.sha);
            expect(finiteSum(data), p).toBeCloseTo(exp.sum as number, 6);
            expect(Array.from(data.subarray(0, 3), Number), p).toEqual(exp.first);
            const f64 = f.readFloat64(p);
            expect(f64.length, p).toBe(data.length);
            expect(f64[f64.length - 1], p).toBe((exp.last as number[])[2]);
          } else if (exp.kind === 'string') {
            expect(info.dtype, p).toBe('string');
            expect(info.stringLength, p).toBe(exp.length);
            const data = f.read(p) as string[];
            expect(sha(data.join('\n')), p).toBe(exp.sha);
            expect(data.slice(0, 5), p).toEqual(exp.first);
            if (exp.distinct !== null) expect([...new Set(data)].sort(), p).toEqual(exp.distinct);
          } else {
            expect(info.dtype, p).toBe(`vlen<${DTYPE[exp.base as string]}>`);
            const col = f.readVlen(p);
            expect(col.nrows, p).toBe((exp.shape as number[])[0]);
            expect(col.values.length, p).toBe(exp.count);
            expect(sha(bytesOf(col.values)), p).toBe(exp.sha_values);
            expect(sha(bytesOf(col.offsets)), p).toBe(exp.sha_offsets);
            expect(Array.from(col.values.subarray(0, col.offsets[1]).subarray(0, 5), Number), p).toEqual(exp.first_row);
            const nan = Array.from(col.values as Float32Array).filter((v) => Number.isNaN(v)).length;
            expect(nan, p).toBe(exp.nan);
            const r = exp.range as { start: number; end: number; count: number; sha_values: string };
            const sub = f.readVlen(p, { start: r.start, end: r.end });
            expect(sub.start).toBe(r.start);
            expect(sub.nrows).toBe(r.end - r.start);
            expect(sub.values.length, p).toBe(r.count);
            expect(sha(bytesOf(sub.values)), p).toBe(r.sha_values);
          }
        }
      } finally {
        f.close();
      }
    });
  }

  it('row ranges of plain columns equal the slice of the whole column', async () => {
    await withHdf5(path.join(dir ?? '', 'tiles', tiles[0]), {}, (f) => {
      const all = f.read('/sourceList/sourceid') as BigInt64Array;
      expect(all).toBeInstanceOf(BigInt64Array);
      expect(f.read('/sourceList/sourceid', { start: 10, end: 20 })).toEqual(all.slice(10, 20));
      expect(f.read('/sourceList/sourceid', { start: 5, end: 5 })).toEqual(new BigInt64Array(0));
      // end is clamped to the number of rows, as Python slicing does
      expect(f.read('/sourceList/sourceid', { start: all.length - 2, end: all.length + 100 })).toEqual(all.slice(-2));
      const filt = f.read('/catIndex/filter') as string[];
      expect(f.read('/catIndex/filter', { start: 3, end: 9 })).toEqual(filt.slice(3, 9));
    });
  });
});
