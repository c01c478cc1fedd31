/**
 * Hdf5Writer (createHdf5, mode 'w'): nothing reaches the target before a
 * commit, a commit replaces it atomically, abort() and a throwing withHdf5
 * callback leave the previous file as it was, durability 'none' still
 * renames atomically; mode 'a' picks the engine by the file's existence.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTempFileName } from '@astro/core';
import { Hdf5Error, Hdf5ErrorCode, createHdf5, openHdf5, withHdf5 } from '@astro/hdf5-io';
import { tempDir } from '@astro/test-support/temp-dir';

const dir = tempDir('hdf5-io-create-');
const temps = (): string[] => readdirSync(dir).filter(isTempFileName);

function thrown(fn: () => unknown): Hdf5Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Hdf5Error);
    return error as Hdf5Error;
  }
  throw new Error('expected an Hdf5Error');
}

describe('createHdf5', () => {
  it('writes nothing before the commit; close() commits; later calls are HDF5_MODE', async () => {
    const file = path.join(dir, 'new.h5');
    const w = createHdf5(file, { durability: 'none' });
    expect(w.mode).toBe('w');
    expect(w.path).toBe(file);
    w.createVlenDataset('/v', [Float64Array.of(1, 2), Float64Array.of()]);
    w.createDataset('/s', { data: Int16Array.of(1, 2, 3), compression: 'lzf', shuffle: true, chunks: [2] });
    expect(existsSync(file)).toBe(false);
    expect(w.readVlen('/v').values).toEqual(Float64Array.of(1, 2));
    w.close();
    w.close(); // idempotent
    expect(temps()).toEqual([]);
    expect(thrown(() => w.createGroup('/g')).code).toBe('HDF5_MODE');
    await withHdf5(file, undefined, (f) => {
      expect(f.read('/s')).toEqual(Int16Array.of(1, 2, 3));
      expect(f.info('/s')).toMatchObject({ filters: ['shuffle', 'lzf'] });
      expect(Array.from(f.readVlen('/v').offsets)).toEqual([0, 2, 2]);
    });
  });

  it('replaces an existing file only at the commit; flush() commits a complete snapshot', async () => {
    const file = path.join(dir, 'replace.h5');
    await withHdf5(file, { mode: 'w' }, (f) => f.createDataset('/old', { data: Float64Array.of(1) }));
    const before = readFileSync(file);
    const w = createHdf5(file);
    w.createDataset('/new', { data: Float64Array.of(2) });
    expect(readFileSync(file)).toEqual(before);
    w.flush();
    await withHdf5(file, undefined, (f) => expect(f.list().map((e) => e.name)).toEqual(['new']));
    w.createDataset('/later', { data: Float64Array.of(3) });
    w.close();
    await withHdf5(file, undefined, (f) => expect(f.list().map((e) => e.name)).toEqual(['later', 'new']));
  });

  it('abort() and a throwing withHdf5 callback leave the previous file as it was', async () => {
    const file = path.join(dir, 'keep.h5');
    await withHdf5(file, { mode: 'w' }, (f) => f.createDataset('/x', { data: Float64Array.of(7) }));
    const before = readFileSync(file);
    const w = createHdf5(file);
    w.createDataset('/y', { data: Float64Array.of(8) });
    w.abort();
    w.abort(); // idempotent
    expect(thrown(() => w.read('/y')).code).toBe('HDF5_MODE');
    await expect(
      withHdf5(file, { mode: 'w' }, (f) => {
        f.createDataset('/z', { data: Float64Array.of(9) });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readFileSync(file)).toEqual(before);
    expect(temps()).toEqual([]);
    const fresh = path.join(dir, 'never.h5');
    await expect(withHdf5(fresh, { mode: 'w' }, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses a missing directory, a directory as target and an unknown durability at the call', () => {
    const e = thrown(() => createHdf5(path.join(dir, 'nope', 'x.h5')));
    expect(e.code).toBe(Hdf5ErrorCode.OPEN);
    expect(e.message).toMatch(/^HDF5: .*x\.h5: directory .*nope does not exist$/);
    const sub = path.join(dir, 'adir.h5');
    mkdirSync(sub);
    expect(thrown(() => createHdf5(sub)).message).toBe(`HDF5: ${sub}: is a directory`);
    expect(thrown(() => createHdf5(path.join(dir, 'y.h5'), { durability: 'maybe' as 'none' })).code).toBe('HDF5_ARGUMENT');
  });
});

describe("mode 'a'", () => {
  it('is a writer on a missing file and an editor on an existing one', async () => {
    const file = path.join(dir, 'append.h5');
    const first = await openHdf5(file, { mode: 'a' });
    expect('abort' in first).toBe(true);
    if (!('abort' in first)) throw new Error('expected a writer');
    first.createVlenDataset('/v', [Int32Array.of(1)]);
    first.createDataset('/t', { dtype: 'float32', shape: [0], maxshape: [null] });
    first.close();
    const second = await openHdf5(file, { mode: 'a' });
    expect('abort' in second).toBe(false);
    expect(second.mode).toBe('a');
    second.append('/t', Float32Array.of(1, 2));
    second.close();
    await withHdf5(file, undefined, (f) => expect(f.read('/t')).toEqual(Float32Array.of(1, 2)));
  });
});

describe('errors', () => {
  it('Hdf5ErrorCode lists the codes; messages render through core with format HDF5', () => {
    expect(Object.values(Hdf5ErrorCode)).toEqual([
      'HDF5_OPEN', 'HDF5_NOT_FOUND', 'HDF5_READ', 'HDF5_WRITE', 'HDF5_TYPE', 'HDF5_ARGUMENT', 'HDF5_MODE', 'HDF5_UNSUPPORTED',
    ]);
    const e = new Hdf5Error('bad', { code: Hdf5ErrorCode.READ, dataset: '/x' });
    expect(e.format).toBe('HDF5');
    expect(e.message).toBe('HDF5: /x: bad');
    expect(new Hdf5Error('bad', { code: 'HDF5_READ' }).message).toBe('HDF5: bad');
  });

  it('a file that cannot be committed is HDF5_WRITE and leaves no temporary file', () => {
    const sub = path.join(dir, 'gone');
    mkdirSync(sub);
    const file = path.join(sub, 'x.h5');
    const w = createHdf5(file, { durability: 'none' });
    w.createDataset('/x', { data: Float64Array.of(1) });
    mkdirSync(file); // the target became a directory: the rename fails
    const e = thrown(() => w.close());
    expect(e.code).toBe('HDF5_WRITE');
    expect(readdirSync(sub).filter(isTempFileName)).toEqual([]);
  });
});
