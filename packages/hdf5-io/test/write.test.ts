/**
 * Write -> read round trips. Files written by this package's writer (mode
 * 'w') are read back through h5wasm, i.e. by the HDF5 C library itself, then
 * modified in place (mode 'a': append, attributes, new datasets) and read again.
 */
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NumericArray } from '@astro/core';
import { Hdf5Error, openHdf5, withHdf5 } from '@astro/hdf5-io';
import { lzfCompress, lzfDecompress } from '../src/internal/writer/lzf.js';
import { seededRandom } from '@astro/core';

const tmp = mkdtempSync(path.join(tmpdir(), 'hdf5-io-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ALL: [string, NumericArray][] = [
  ['int8', Int8Array.of(-128, 0, 127)],
  ['uint8', Uint8Array.of(0, 255, 7)],
  ['int16', Int16Array.of(-32768, 1, 32767)],
  ['uint16', Uint16Array.of(0, 65535, 9)],
  ['int32', Int32Array.of(-(2 ** 31), 0, 2 ** 31 - 1)],
  ['uint32', Uint32Array.of(0, 2 ** 32 - 1, 5)],
  ['int64', BigInt64Array.of(-(2n ** 63n), 0n, 2n ** 63n - 1n)],
  ['uint64', BigUint64Array.of(0n, 2n ** 64n - 1n, 3n)],
  ['float32', Float32Array.of(-1.5, Number.NaN, Infinity)],
  ['float64', Float64Array.of(Math.PI, -0, Number.NaN)],
];

describe('round trips through the HDF5 library', () => {
  const file = path.join(tmp, 'roundtrip.h5');
  const r = seededRandom(42);
  const rows = Array.from({ length: 3000 }, (_, i) => Float32Array.from({ length: i % 11 === 0 ? 0 : Math.floor(r() * 40) }, () => r() * 20));
  const ids = Array.from({ length: 3000 }, (_, i) => BigInt64Array.from({ length: i % 5 }, (_, j) => BigInt(i * 1_000_000 + j) * 1_000_000_007n));
  const big = Float64Array.from({ length: 100_000 }, () => r());
  const grid = Int32Array.from({ length: 37 * 23 }, (_, i) => i * 3 - 1000);

  it('writes every dtype, chunking, filters, strings, vlen, attributes', async () => {
    const f = await openHdf5(file, { mode: 'w' });
    for (const [name, data] of ALL) {
      f.createDataset(`/plain/${name}`, { data });
      f.createDataset(`/packed/${name}`, { data, chunks: [2], compression: 'gzip', shuffle: true, level: 9 });
    }
    f.createDataset('/big/gzip', { data: big, chunks: [1000], compression: 'gzip', shuffle: true });
    f.createDataset('/big/lzf', { data: big, chunks: [1000], compression: 'lzf' });
    f.createDataset('/big/many-chunks', { data: big.subarray(0, 50_000), chunks: [10], compression: 'gzip' }); // 5000 chunks: 3-level B-tree
    f.createDataset('/grid', { data: grid, shape: [37, 23], chunks: [8, 5], compression: 'gzip', shuffle: true });
    f.createDataset('/filter', { data: ['Ks', 'Z', 'Y ', 'J', 'H', ''], stringLength: 2 });
    f.createDataset('/names', { data: ['v20100000_00000_st.f', 'é', 'x'], compression: 'gzip' });
    f.createDataset('/scalar', { data: Float64Array.of(2.5), shape: [] });
    f.createDataset('/empty', { dtype: 'int32', shape: [0], maxshape: [null], chunks: [16], compression: 'gzip' });
    f.createVlenDataset('/ts/mag', rows, { chunks: [256], compression: 'gzip', shuffle: true });
    f.createVlenDataset('/ts/id', ids);
    f.createVlenDataset('/ts/flat', { values: Int32Array.of(9, 1, 2, 3, 4, 5), offsets: Float64Array.of(1, 3, 3, 6), nrows: 3, start: 0 });
    f.setAttrs('/', { nside: 1024, hpx: 8535204, layout: 'VIRAC2 ts_tables', ratio: 0.25, huge: 2n ** 60n, names: ['a', 'bé'], w: Float32Array.of(1, 2) });
    f.setAttrs('/ts/mag', { unit: 'mag' });
    expect(f.info('/ts/mag').dtype).toBe('vlen<float32>'); // in-memory view before close
    expect(f.readVlen('/ts/flat').values).toEqual(Int32Array.of(1, 2, 3, 4, 5));
    f.close();
    expect(readdirSync(tmp).filter((n) => n.includes('.astro-tmp-'))).toEqual([]);
  });

  it('reads back exactly (h5wasm / HDF5 2.0)', async () => {
    await withHdf5(file, undefined, (f) => {
      for (const [name, data] of ALL) {
        for (const g of ['plain', 'packed']) {
          const info = f.info(`/${g}/${name}`);
          expect(info.dtype).toBe(name);
          expect(f.read(`/${g}/${name}`)).toEqual(data);
        }
        expect(f.info(`/packed/${name}`)).toMatchObject({ chunks: [2], compression: 'gzip', shuffle: true, filters: ['shuffle', 'gzip'] });
      }
      expect(f.read('/big/gzip')).toEqual(big);
      expect(f.read('/big/lzf')).toEqual(big);
      expect(f.info('/big/lzf').compression).toBe('lzf');
      expect(f.read('/big/many-chunks', { start: 12_345, end: 40_001 })).toEqual(big.slice(12_345, 40_001));
      expect(f.read('/grid')).toEqual(grid);
      expect(f.read('/grid', { start: 10, end: 12 })).toEqual(grid.slice(230, 276));
      expect(f.info('/grid')).toMatchObject({ shape: [37, 23], chunks: [8, 5] });
      expect(f.read('/filter')).toEqual(['Ks', 'Z', 'Y ', 'J', 'H', '']);
      expect(f.info('/filter')).toMatchObject({ dtype: 'string', stringLength: 2, stringPadding: 'nullpad' });
      expect(f.info('/names')).toMatchObject({ stringLength: 20, charset: 'utf-8' });
      expect(f.read('/names')).toEqual(['v20100000_00000_st.f', 'é', 'x']);
      expect(f.info('/filter').charset).toBe('ascii');
      expect(f.read('/scalar')).toEqual(Float64Array.of(2.5));
      expect(f.info('/empty')).toMatchObject({ shape: [0], maxshape: [null] });
      expect(f.read('/empty')).toEqual(new Int32Array(0));
      const mag = f.readVlen('/ts/mag');
      expect(mag.nrows).toBe(rows.length);
      rows.forEach((row, i) => expect(mag.values.subarray(mag.offsets[i], mag.offsets[i + 1])).toEqual(row));
      const part = f.readVlen('/ts/mag', { start: 1000, end: 1100 });
      expect(part.start).toBe(1000);
      rows.slice(1000, 1100).forEach((row, i) => expect(part.values.subarray(part.offsets[i], part.offsets[i + 1])).toEqual(row));
      const id = f.readVlen('/ts/id');
      expect(id.values).toBeInstanceOf(BigInt64Array);
      ids.forEach((row, i) => expect(id.values.subarray(id.offsets[i], id.offsets[i + 1])).toEqual(row));
      const flat = f.readVlen('/ts/flat');
      expect(Array.from(flat.offsets)).toEqual([0, 2, 2, 5]);
      expect(flat.values).toEqual(Int32Array.of(1, 2, 3, 4, 5));
      expect(f.attrs()).toEqual({
        nside: 1024, hpx: 8535204, layout: 'VIRAC2 ts_tables', ratio: 0.25, huge: 2n ** 60n, names: ['a', 'bé'], w: Float32Array.of(1, 2),
      });
      expect(f.attrs('/ts/mag')).toEqual({ unit: 'mag' });
      expect(f.list('/ts').map((e) => e.name)).toEqual(['flat', 'id', 'mag']);
    });
  });

  it('appends and modifies the written file in place (mode a)', async () => {
    const more = Int32Array.from({ length: 1000 }, (_, i) => i);
    await withHdf5(file, { mode: 'a' }, (f) => {
      f.append('/empty', more.subarray(0, 10));
      for (let i = 10; i < 1000; i += 99) f.append('/empty', more.subarray(i, Math.min(1000, i + 99)));
      f.setAttrs('/', { nside: 2048, added: 'yes' });
      f.createDataset('/added/col', { data: Float32Array.of(1, 2, 3), chunks: [2], compression: 'gzip' });
      f.createGroup('/added/sub/deeper');
      const e = (() => {
        try {
          // @ts-expect-error shuffle cannot be added in place (EditorDatasetSpec); untyped callers get HDF5_UNSUPPORTED
          f.createDataset('/added/shuf', { data: Float32Array.of(1), shuffle: true });
        } catch (error) {
          return error as Hdf5Error;
        }
        return undefined;
      })();
      expect(e?.code).toBe('HDF5_UNSUPPORTED');
      // @ts-expect-error an Hdf5Editor has no createVlenDataset; untyped callers get HDF5_UNSUPPORTED
      expect(() => f.createVlenDataset('/added/v', [Float32Array.of(1)])).toThrow(/vlen numeric datasets can only be created in a new file/);
    });
    await withHdf5(file, undefined, (f) => {
      expect(f.read('/empty')).toEqual(more);
      expect(f.info('/empty').shape).toEqual([1000]);
      expect(f.attrs()).toMatchObject({ nside: 2048, added: 'yes', layout: 'VIRAC2 ts_tables' });
      expect(f.read('/added/col')).toEqual(Float32Array.of(1, 2, 3));
      expect(f.has('/added/sub/deeper')).toBe(true);
      expect(f.read('/big/gzip')).toEqual(big);
    });
  });

  it('append in mode w and growth beyond maxshape is refused', async () => {
    const file2 = path.join(tmp, 'append.h5');
    await withHdf5(file2, { mode: 'w' }, (f) => {
      f.createDataset('/t', { dtype: 'float64', shape: [0, 3], maxshape: [null, 3] });
      f.append('/t', Float64Array.of(1, 2, 3, 4, 5, 6));
      f.append('/t', Float64Array.of(7, 8, 9));
      expect(() => f.append('/t', Float64Array.of(1, 2))).toThrow(/not a multiple of the row size 3/);
      f.createDataset('/fixed', { data: Float64Array.of(1) });
      expect(() => f.append('/fixed', Float64Array.of(2))).toThrow(/exceeds maxshape 1/);
      f.createDataset('/s', { dtype: 'string', stringLength: 2, shape: [0], maxshape: [null] });
      f.append('/s', ['Ks', 'J']);
      expect(() => f.append('/s', ['long'])).toThrow(/longer than stringLength 2/);
    });
    await withHdf5(file2, { mode: 'r+' }, (f) => {
      expect(f.info('/t')).toMatchObject({ shape: [3, 3], maxshape: [null, 3] });
      f.append('/t', Float64Array.of(10, 11, 12));
      f.append('/s', ['H']);
    });
    await withHdf5(file2, undefined, (f) => {
      expect(f.read('/t')).toEqual(Float64Array.from({ length: 12 }, (_, i) => i + 1));
      expect(f.read('/t', { start: 1, end: 2 })).toEqual(Float64Array.of(4, 5, 6));
      expect(f.read('/s')).toEqual(['Ks', 'J', 'H']);
    });
  });

  it('a failed write leaves no temporary file and the previous content intact', async () => {
    const file3 = path.join(tmp, 'atomic.h5');
    await withHdf5(file3, { mode: 'w' }, (f) => f.createDataset('/x', { data: Float64Array.of(1) }));
    await expect(openHdf5(path.join(tmp, 'no-such-dir', 'x.h5'), { mode: 'w' })).rejects.toThrow(/does not exist/);
    expect(existsSync(file3)).toBe(true);
    await withHdf5(file3, undefined, (f) => expect(f.read('/x')).toEqual(Float64Array.of(1)));
  });

  it('invalid specs are argument errors naming the dataset', async () => {
    await withHdf5(path.join(tmp, 'bad.h5'), { mode: 'w' }, (f) => {
      const cases: [string, () => void, RegExp][] = [
        ['/a', () => f.createDataset('/a', { data: Float64Array.of(1, 2), shape: [3] }), /holds 3 values but data has 2/],
        ['/b', () => f.createDataset('/b', { data: Float64Array.of(1), compression: 'zstd' as 'gzip' }), /unknown compression/],
        ['/c', () => f.createDataset('/c', { data: Float64Array.of(1), level: 11, compression: 'gzip' }), /level 11/],
        ['/d', () => f.createDataset('/d', { data: Float64Array.of(1), maxshape: [0] }), /smaller than shape/],
        ['/e', () => f.createDataset('/e', { data: ['abc'], stringLength: 2 }), /longer than stringLength/],
        ['/f', () => f.createDataset('/f', { data: Float64Array.of(1), chunks: [0] }), /positive integers/],
      ];
      for (const [p, fn, re] of cases) {
        try {
          fn();
          throw new Error(`expected ${p} to fail`);
        } catch (error) {
          expect(error).toBeInstanceOf(Hdf5Error);
          expect((error as Hdf5Error).code).toBe('HDF5_ARGUMENT');
          expect((error as Error).message).toMatch(re);
          expect((error as Error).message).toContain(`bad.h5: ${p}: `);
        }
      }
      f.createDataset('/ok', { data: Float64Array.of(1) });
      expect(() => f.createDataset('/ok', { data: Float64Array.of(1) })).toThrow(/already exists/);
      expect(() => f.createDataset('/ok/x', { data: Float64Array.of(1) })).toThrow(/is not a group/);
    });
  });
});

describe('lzf codec', () => {
  it('round-trips and refuses incompressible data', () => {
    const r = seededRandom(7);
    const text = new TextEncoder().encode('abcabcabcabc hello hello hello '.repeat(500));
    const c = lzfCompress(text);
    expect(c).toBeDefined();
    expect((c as Uint8Array).length).toBeLessThan(text.length / 2);
    expect(lzfDecompress(c as Uint8Array, text.length)).toEqual(text);
    const noise = Uint8Array.from({ length: 4096 }, () => Math.floor(r() * 256));
    expect(lzfCompress(noise)).toBeUndefined();
    const mixed = Uint8Array.from({ length: 70_000 }, (_, i) => (i % 1000 < 500 ? i & 3 : Math.floor(r() * 256)));
    expect(lzfDecompress(lzfCompress(mixed) as Uint8Array, mixed.length)).toEqual(mixed);
  });
});
