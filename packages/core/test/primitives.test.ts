import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AstroError,
  AtomicGroup,
  ByteBuilder,
  DTYPE_ARRAY,
  DTYPES,
  bytesInOrder,
  dtypeOf,
  formatErrorMessage,
  isTempFileName,
  openAtomicFile,
  openAtomicFileSync,
  seededRandom,
  swapBytesInPlace,
  toNativeOrderInPlace,
  writeFileAtomicSync,
} from '@astro/core';
import { tempDir } from '@astro/test-support/temp-dir';

/** Byte-loop reference for the swap. */
function naiveSwap(bytes: Uint8Array, word: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i + word <= out.length; i += word) out.subarray(i, i + word).reverse();
  return out;
}

describe('swapBytesInPlace', () => {
  // Short, long (Buffer.swapNN), aligned and unaligned views, a trailing partial word.
  for (const word of [2, 4, 8, 16] as const) {
    for (const n of [3, 8, 64, 257, 1030]) {
      for (const offset of [0, 1, 4]) {
        it(`word ${word}, ${n} bytes at offset ${offset} equals the byte loop`, () => {
          const random = seededRandom(n * 31 + word + offset);
          const backing = new Uint8Array(n + offset);
          for (let i = 0; i < backing.length; i++) backing[i] = Math.floor(random() * 256);
          const view = backing.subarray(offset);
          const expected = naiveSwap(view, word);
          swapBytesInPlace(view, word);
          expect(Array.from(view)).toEqual(Array.from(expected));
        });
      }
    }
  }

  it('bytesInOrder copies only when the order differs and never touches its input', () => {
    const a = new Uint16Array([0x0102, 0x0304]);
    const little = bytesInOrder(a, 2, true);
    const big = bytesInOrder(a, 2, false);
    expect(Array.from(big)).toEqual([1, 2, 3, 4]);
    expect(Array.from(little)).toEqual([2, 1, 4, 3]);
    expect(a[0]).toBe(0x0102);
    const back = toNativeOrderInPlace(big.slice(), 2, false);
    expect(Array.from(new Uint16Array(back.buffer))).toEqual([0x0102, 0x0304]);
  });
});

describe('ByteBuilder', () => {
  it('writes the same values in either byte order as DataView does', () => {
    for (const littleEndian of [true, false]) {
      const b = new ByteBuilder({ littleEndian, capacity: 1 });
      b.u8(0xab).i8(-2).u16(0x1234).i16(-3).u32(0xdeadbeef).i32(-4).u64(2 ** 40 + 5).u64(undefined).i64(-6n).f32(1.5).f64(Math.PI);
      const at = b.length;
      b.u32(0).patchU32(at, 77);
      b.bytes(new Uint8Array([9, 8])).zeros(3);
      const dv = new DataView(b.result().buffer, b.result().byteOffset, b.length);
      let p = 0;
      expect(dv.getUint8(p++)).toBe(0xab);
      expect(dv.getInt8(p++)).toBe(-2);
      expect(dv.getUint16(p, littleEndian)).toBe(0x1234);
      expect(dv.getInt16((p += 2), littleEndian)).toBe(-3);
      expect(dv.getUint32((p += 2), littleEndian)).toBe(0xdeadbeef);
      expect(dv.getInt32((p += 4), littleEndian)).toBe(-4);
      expect(dv.getBigUint64((p += 4), littleEndian)).toBe(2n ** 40n + 5n);
      expect(dv.getBigUint64((p += 8), littleEndian)).toBe(2n ** 64n - 1n);
      expect(dv.getBigInt64((p += 8), littleEndian)).toBe(-6n);
      expect(dv.getFloat32((p += 8), littleEndian)).toBe(1.5);
      expect(dv.getFloat64((p += 4), littleEndian)).toBe(Math.PI);
      expect(dv.getUint32((p += 8), littleEndian)).toBe(77);
      expect(Array.from(b.result().subarray(p + 4))).toEqual([9, 8, 0, 0, 0]);
    }
  });
});

describe('dtype table', () => {
  it('maps every dtype to its array and back', () => {
    for (const d of DTYPES) expect(dtypeOf(new DTYPE_ARRAY[d](1))).toBe(d);
    expect(dtypeOf(new Uint8ClampedArray(1))).toBe('uint8');
    expect(dtypeOf([1, 2])).toBeUndefined();
  });
});

describe('seededRandom', () => {
  it('is mulberry32: the same sequence for a seed, in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // First value of mulberry32(42), computed by the reference C code.
    expect(seededRandom(42)()).toBeCloseTo(0.6011037519201636, 15);
  });
});

describe('atomic files', () => {
  it('openAtomicFile: nothing under the final name before commit; abort leaves nothing', async () => {
    const dir = tempDir('atomic-');
    const target = path.join(dir, 'out.bin');
    const f = await openAtomicFile(target);
    await f.write('hello ');
    await f.write(new Uint8Array([119, 111, 114, 108, 100]));
    await f.write('H', 0);
    expect(existsSync(target)).toBe(false);
    expect(isTempFileName(path.basename(f.tempPath))).toBe(true);
    await f.commit();
    expect(readFileSync(target, 'utf8')).toBe('Hello world');
    const g = await openAtomicFile(target, { durability: 'none' });
    await g.write('other');
    await g.abort();
    expect(readFileSync(target, 'utf8')).toBe('Hello world');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('openAtomicFileSync and writeFileAtomicSync replace the whole file', () => {
    const dir = tempDir('atomic-');
    const target = path.join(dir, 'a.txt');
    writeFileSync(target, 'old content that is longer');
    writeFileAtomicSync(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    const f = openAtomicFileSync(target, { durability: 'none' });
    f.write('x');
    f.abort();
    expect(() => f.write('y')).toThrow(/after commit or abort/);
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('refuses a temporary name outside the target directory', async () => {
    const dir = tempDir('atomic-');
    await expect(openAtomicFile(path.join(dir, 'a'), { tempPath: '/tmp/elsewhere.astro-tmp-1' })).rejects.toThrow(/must be beside/);
  });

  for (const durability of ['fsync', 'syncfs', 'none'] as const) {
    it(`AtomicGroup (${durability}): files appear together on commit, abort removes the rest`, () => {
      const dir = tempDir('group-');
      const group = new AtomicGroup({ durability });
      group.add(path.join(dir, 'a.csv'), new TextEncoder().encode('a,b\n'));
      group.add(path.join(dir, 'b.csv'), new TextEncoder().encode('c,d\nxx'), { length: 4, tempPath: path.join(dir, 'b.csv.astro-tmp-t1') });
      expect(readdirSync(dir).filter(isTempFileName)).toHaveLength(2);
      group.commit();
      expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
      expect(readFileSync(path.join(dir, 'b.csv'), 'utf8')).toBe('c,d\n');
      group.add(path.join(dir, 'c.csv'), new Uint8Array([1]));
      group.abort();
      expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
    });
  }
});

describe('error messages', () => {
  it('render FORMAT file: place: problem', () => {
    expect(formatErrorMessage('GWF', { file: 'a.gwf', frame: 3, structure: 'FrVect', channel: 'H1:X' }, 'compression code 42 is not defined')).toBe(
      'GWF a.gwf: frame 3, FrVect, channel "H1:X": compression code 42 is not defined',
    );
    const e = new AstroError('bad TFORM', { format: 'FITS', file: 'x.fits', hdu: 1, column: 'FLUX', code: 'FITS_TFORM' });
    expect(e.message).toBe('FITS x.fits: HDU 1, column FLUX: bad TFORM');
    expect(e.location).toEqual({ file: 'x.fits', hdu: 1, column: 'FLUX' });
    expect(new AstroError('plain', { file: 'f' }).message).toBe('plain');
  });
});

describe('sleep', () => {
  it('waits, and returns at once when the signal is or becomes aborted', async () => {
    const { sleep } = await import('@astro/core');
    let t = performance.now();
    await sleep(30);
    expect(performance.now() - t).toBeGreaterThanOrEqual(25);
    const c = new AbortController();
    t = performance.now();
    setTimeout(() => c.abort(), 10);
    await sleep(10_000, c.signal);
    expect(performance.now() - t).toBeLessThan(1000);
    t = performance.now();
    await sleep(10_000, c.signal);
    expect(performance.now() - t).toBeLessThan(100);
  });
});
