/**
 * Types the VIRAC tiles do not have, in small h5py-written fixtures
 * (test/fixtures/make_types.py): compound tables (also big-endian members),
 * big-endian numbers and vlen, variable-length strings, booleans, float16,
 * 2-D lzf chunks, scalars, attributes of several types, a 512-byte user block.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Hdf5Error, withHdf5 } from '@astro/hdf5-io';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const expected = JSON.parse(readFileSync(fixture('types-expected.json'), 'utf8')) as Record<string, unknown>;
const num = (a: ArrayLike<number | bigint>): number[] => Array.from(a, Number);

describe('h5py fixture types', () => {
  it('compound tables decode from raw records, member by member', async () => {
    await withHdf5(fixture('types.h5'), undefined, (f) => {
      const info = f.info('/compound');
      expect(info.dtype).toBe('compound');
      expect(info.members?.map((m) => [m.name, m.dtype])).toEqual([
        ['id', 'int64'], ['mag', 'float32'], ['band', 'string'], ['flag', 'uint8'], ['ra', 'float64'],
      ]);
      const exp = expected.compound as Record<string, unknown[]>;
      const all = f.readCompound('/compound');
      expect(all.id).toBeInstanceOf(BigInt64Array);
      expect(num(all.id as BigInt64Array)).toEqual(exp.id);
      expect(num(all.mag as Float32Array)).toEqual(exp.mag);
      expect(all.band).toEqual(exp.band);
      expect(num(all.flag as Uint8Array)).toEqual(exp.flag);
      expect(num(all.ra as Float64Array)).toEqual(exp.ra); // big-endian member
      const some = f.readCompound('/compound', { start: 2, end: 5, columns: ['ra', 'band'] });
      expect(Object.keys(some)).toEqual(['ra', 'band']);
      expect(num(some.ra as Float64Array)).toEqual(exp.ra.slice(2, 5));
      expect(some.band).toEqual(exp.band.slice(2, 5));
      const be = f.readCompound('/compound_be');
      const expBe = expected.compound_be as Record<string, number[]>;
      expect(num(be.a as Int32Array)).toEqual(expBe.a);
      expect(num(be.b as Float64Array)).toEqual(expBe.b);
      expect(() => f.readCompound('/compound', { columns: ['nope'] })).toThrow(/has no member "nope"/);
      expect(() => f.read('/compound')).toThrow(/use readCompound/);
    });
  });

  it('big-endian data arrive in native order', async () => {
    await withHdf5(fixture('types.h5'), undefined, (f) => {
      expect(num(f.read('/be/f8') as Float64Array)).toEqual(expected.be_f8);
      expect(num(f.read('/be/i2') as Int16Array)).toEqual(expected.be_i2);
      const v = f.readVlen('/be/vlen');
      const rows = (expected.be_vlen as number[][]).map((_, i) => num(v.values.subarray(v.offsets[i], v.offsets[i + 1])));
      expect(rows).toEqual(expected.be_vlen);
    });
  });

  it('strings, booleans, scalars, 2-D lzf chunks', async () => {
    await withHdf5(fixture('types.h5'), undefined, (f) => {
      expect(f.read('/vstr')).toEqual(expected.vstr);
      expect(f.info('/vstr')).toMatchObject({ dtype: 'string', charset: 'utf-8' });
      expect(f.info('/vstr').stringLength).toBeUndefined();
      expect(f.read('/vstr', { start: 1, end: 3 })).toEqual((expected.vstr as string[]).slice(1));
      expect(f.info('/bool').dtype).toBe('int8');
      expect(num(f.read('/bool') as Int8Array)).toEqual(expected.bool);
      expect(f.info('/matrix')).toMatchObject({ shape: [3, 4], chunks: [2, 2], compression: 'lzf' });
      expect(num(f.read('/matrix') as Float32Array)).toEqual(expected.matrix);
      expect(num(f.read('/matrix', { start: 1 }) as Float32Array)).toEqual((expected.matrix as number[]).slice(4));
      expect(f.info('/scalar_int').shape).toEqual([]);
      expect(f.read('/scalar_int')).toEqual(BigInt64Array.of(BigInt(expected.scalar_int as number)));
      expect(() => f.read('/scalar_int', { start: 0 })).toThrow(/scalar dataset/);
      expect(f.info('/f16').dtype).toBe('other');
      let e: unknown;
      try {
        f.read('/f16');
      } catch (error) {
        e = error;
      }
      expect(e).toBeInstanceOf(Hdf5Error);
      expect((e as Hdf5Error).code).toBe('HDF5_TYPE');
    });
  });

  it('attributes of several types', async () => {
    await withHdf5(fixture('types.h5'), undefined, (f) => {
      expect(f.attrs()).toEqual({
        i32: 7,
        f32s: Float32Array.of(0.5, 1.5),
        fixed: 'fixed',
        big: 2n ** 62n,
        text: 'héllo',
      });
    });
  });

  it('a file with a 512-byte user block opens', async () => {
    await withHdf5(fixture('userblock.h5'), undefined, (f) => {
      expect(f.read('/x')).toEqual(Int32Array.of(0, 1, 2));
    });
  });
});
