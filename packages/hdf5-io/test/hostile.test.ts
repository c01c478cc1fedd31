/**
 * Hostile inputs: missing, empty, random, truncated and corrupted files and
 * wrong calls must give an Hdf5Error naming the file, the object and the
 * problem, keep the cause, never hang or crash, and leak no file handles.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { Hdf5Error, openHdf5, withHdf5 } from '@astro/hdf5-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const tmp = mkdtempSync(path.join(tmpdir(), 'hdf5-io-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dir = sharedData('virac');
const golden = JSON.parse(readFileSync(new URL('./fixtures/virac-golden.json', import.meta.url), 'utf8')) as {
  tiles: Record<string, { datasets: Record<string, unknown> }>;
};
const tile = path.join(dir ?? '', 'tiles', 'n1024_8535204.hdf5');

async function openError(file: string, mode?: 'r' | 'r+' | 'a' | 'w'): Promise<Hdf5Error> {
  try {
    const f = await openHdf5(file, { mode });
    f.close();
  } catch (error) {
    expect(error).toBeInstanceOf(Hdf5Error);
    return error as Hdf5Error;
  }
  throw new Error(`expected ${file} to fail to open`);
}

function callError(fn: () => unknown): Hdf5Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Hdf5Error);
    return error as Hdf5Error;
  }
  throw new Error('expected an Hdf5Error');
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('opening bad files', () => {
  it('missing file: HDF5_OPEN, names the file, keeps the ENOENT cause', async () => {
    const file = path.join(tmp, 'nope.h5');
    const e = await openError(file);
    expect(e.code).toBe('HDF5_OPEN');
    expect(e.message).toBe(`HDF5: ${file}: file not found`);
    expect(e.location.file).toBe(file);
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((await openError(file, 'r+')).code).toBe('HDF5_OPEN');
  });

  it('a directory, an empty file, text and random bytes are rejected', async () => {
    const d = path.join(tmp, 'adir.h5');
    mkdirSync(d);
    expect((await openError(d)).message).toContain('is not a regular file');
    const empty = path.join(tmp, 'empty.h5');
    writeFileSync(empty, '');
    expect((await openError(empty)).message).toContain(`${empty}: is not an HDF5 file`);
    const text = path.join(tmp, 'text.h5');
    writeFileSync(text, 'SIMPLE  =                    T / this is FITS, not HDF5\n'.repeat(100));
    expect((await openError(text)).message).toContain('no HDF5 signature');
    const random = path.join(tmp, 'random.h5');
    const bytes = new Uint8Array(100_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(random, bytes);
    expect((await openError(random)).code).toBe('HDF5_OPEN');
  });

  it('unknown mode is an argument error', async () => {
    const e = await openError(tile, 'x' as 'r');
    expect(e.code).toBe('HDF5_ARGUMENT');
  });
});

describe.skipIf(!dir)(`damaged copies of a shared tile ${dir ? '' : missingDataMessage('virac')}`, () => {
  const original = dir ? readFileSync(tile) : Buffer.alloc(0);

  it('truncated files fail at open with HDF5 own diagnosis as cause', async () => {
    for (const fraction of [0.01, 0.5, 0.99]) {
      const file = path.join(tmp, `truncated-${fraction}.h5`);
      writeFileSync(file, original.subarray(0, Math.floor(original.length * fraction)));
      const e = await openError(file);
      expect(e.code).toBe('HDF5_OPEN');
      expect(e.message).toContain(file);
      expect(e.message.toLowerCase()).toMatch(/truncated|eof|signature|corrupt|address/);
      expect(e.cause).toBeInstanceOf(Error);
      expect((e.cause as Error).message).toContain('HDF5-DIAG');
    }
  });

  it('a file with a signature but garbage after it fails at open', async () => {
    const file = path.join(tmp, 'sig-garbage.h5');
    const bytes = Buffer.alloc(200_000, 0x5a);
    original.copy(bytes, 0, 0, 8);
    writeFileSync(file, bytes);
    const e = await openError(file);
    expect(e.code).toBe('HDF5_OPEN');
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('corrupted compressed chunks give HDF5_READ naming the dataset', async () => {
    const file = path.join(tmp, 'corrupt.h5');
    const bytes = Buffer.from(original);
    // Overwrite the middle third (chunk data) with garbage; metadata at the start survives.
    for (let i = Math.floor(bytes.length / 3); i < Math.floor((2 * bytes.length) / 3); i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);
    let failures = 0;
    const paths = Object.keys(golden.tiles['n1024_8535204.hdf5'].datasets);
    await withHdf5(file, undefined, (f) => {
      for (const p of paths) {
        try {
          const info = f.info(p);
          if (info.vlen) f.readVlen(p);
          else f.read(p);
        } catch (error) {
          expect(error).toBeInstanceOf(Hdf5Error);
          const e = error as Hdf5Error;
          expect(e.code).toBe('HDF5_READ');
          expect(e.message).toContain(`${file}: ${p}: `);
          expect(e.location.dataset).toBe(p);
          expect((e.cause as Error).message).toContain('HDF5-DIAG');
          failures++;
        }
      }
      // A damaged group is an error too, never a partial listing.
      for (const g of ['/sourceList', '/catIndex', '/timeSeries']) {
        try {
          f.list(g);
        } catch (error) {
          expect((error as Hdf5Error).code).toBe('HDF5_READ');
          expect((error as Hdf5Error).message).toContain(`${file}: ${g}: cannot`);
        }
      }
    });
    expect(failures).toBeGreaterThan(0);
  });

  it('damaged chunk data (end of the file) gives HDF5_READ with the row range and HDF5 diagnosis', async () => {
    const file = path.join(tmp, 'corrupt-chunks.h5');
    const bytes = Buffer.from(original);
    for (let i = Math.floor(bytes.length * 0.9); i < Math.floor(bytes.length * 0.95); i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);
    const messages: string[] = [];
    await withHdf5(file, undefined, (f) => {
      for (const p of Object.keys(golden.tiles['n1024_8535204.hdf5'].datasets)) {
        try {
          if (f.info(p).vlen) f.readVlen(p);
          else f.read(p);
        } catch (error) {
          expect((error as Hdf5Error).code).toBe('HDF5_READ');
          messages.push((error as Error).message);
        }
      }
    });
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m.startsWith(`HDF5: ${file}: /`)).toBe(true);
      expect(m).toMatch(/: cannot read rows 0\.\.\d+: .+ \(H5/);
    }
  });

  it('thousands of failed opens leak no file descriptors and leave the module usable', async () => {
    const file = path.join(tmp, 'trunc-loop.h5');
    writeFileSync(file, original.subarray(0, 4000));
    const before = openFds();
    for (let i = 0; i < 2500; i++) await openError(file);
    expect(openFds()).toBeLessThanOrEqual(before + 2);
    await withHdf5(tile, undefined, (f) => {
      expect(f.readVlen('/timeSeries/hfad_mag').nrows).toBe(258);
    });
  });
});

describe.skipIf(!dir)(`wrong calls on a good file ${dir ? '' : missingDataMessage('virac')}`, () => {
  it('missing objects, wrong kinds and wrong types', async () => {
    await withHdf5(tile, undefined, (f) => {
      let e = callError(() => f.read('/sourceList/nope'));
      expect(e.code).toBe('HDF5_NOT_FOUND');
      expect(e.message).toBe(`HDF5: ${tile}: /sourceList/nope: no such dataset`);
      expect(callError(() => f.read('/nope/deeper/x')).code).toBe('HDF5_NOT_FOUND');
      expect(callError(() => f.list('/nope')).code).toBe('HDF5_NOT_FOUND');
      expect(callError(() => f.attrs('/nope')).code).toBe('HDF5_NOT_FOUND');
      expect(f.has('/nope')).toBe(false);
      expect(f.has('/nope/x')).toBe(false);
      expect(f.has('sourceList/ra')).toBe(true);
      e = callError(() => f.read('/sourceList'));
      expect(e.code).toBe('HDF5_TYPE');
      expect(e.message).toContain('is a group, not a dataset');
      e = callError(() => f.read('/timeSeries/hfad_mag'));
      expect(e.code).toBe('HDF5_TYPE');
      expect(e.message).toContain('vlen<float32>');
      expect(e.message).toContain('readVlen');
      expect(callError(() => f.readVlen('/sourceList/ra')).code).toBe('HDF5_TYPE');
      expect(callError(() => f.readCompound('/sourceList/ra')).code).toBe('HDF5_TYPE');
      expect(callError(() => f.readFloat64('/catIndex/filter')).code).toBe('HDF5_TYPE');
      expect(callError(() => f.list('/sourceList/ra')).code).toBe('HDF5_TYPE');
    });
  });

  it('bad row ranges', async () => {
    await withHdf5(tile, undefined, (f) => {
      for (const range of [{ start: -1 }, { start: 1.5 }, { start: 300 }, { start: 10, end: 5 }, { end: Number.NaN }]) {
        const e = callError(() => f.read('/sourceList/ra', range));
        expect(e.code).toBe('HDF5_ARGUMENT');
        expect(e.message).toContain('/sourceList/ra');
        expect(callError(() => f.readVlen('/timeSeries/x', range)).code).toBe('HDF5_ARGUMENT');
      }
    });
  });

  it('writes on a read-only file and any call after close', async () => {
    const f = await openHdf5(tile);
    // The compiler rejects writes on an Hdf5Reader; untyped (JavaScript) callers get HDF5_MODE.
    // @ts-expect-error an Hdf5Reader has no createGroup
    expect(callError(() => f.createGroup('/g')).code).toBe('HDF5_MODE');
    // @ts-expect-error an Hdf5Reader has no setAttrs
    expect(callError(() => f.setAttrs('/', { a: 1 })).code).toBe('HDF5_MODE');
    // @ts-expect-error an Hdf5Reader has no append
    expect(callError(() => f.append('/sourceList/ra', new Float64Array(1))).code).toBe('HDF5_MODE');
    f.close();
    f.close(); // idempotent
    const e = callError(() => f.read('/sourceList/ra'));
    expect(e.code).toBe('HDF5_MODE');
    expect(e.message).toContain('closed');
  });

  it('withHdf5 closes the file when the callback throws', async () => {
    let kept: { read: (p: string) => unknown } | undefined;
    await expect(
      withHdf5(tile, undefined, (f) => {
        kept = f;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(callError(() => kept?.read('/sourceList/ra')).code).toBe('HDF5_MODE');
  });
});

