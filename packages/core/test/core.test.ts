import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@astro/test-support/temp-dir';
import { AstroError, isTempFileName, swapBytesInPlace, viewAs, writeFileAtomic } from '@astro/core';

describe('AstroError', () => {
  it('keeps code, cause and location', () => {
    const cause = new Error('inner');
    const e = new AstroError('FITS: HDU 1: bad', { code: 'X', cause, file: 'a.fits', hdu: 1 });
    expect(e.code).toBe('X');
    expect(e.cause).toBe(cause);
    expect(e.location).toEqual({ file: 'a.fits', hdu: 1 });
    expect(e.file).toBe('a.fits');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('typed arrays', () => {
  it('views aligned bytes and copies unaligned ones', () => {
    const buf = new Uint8Array(12);
    new Float32Array(buf.buffer, 4, 1)[0] = 1.5;
    const aligned = viewAs(Float32Array, buf.subarray(4, 8));
    expect(aligned[0]).toBe(1.5);
    expect(aligned.buffer).toBe(buf.buffer);
    const odd = new Uint8Array(9);
    odd.set(buf.subarray(4, 8), 1);
    const copied = viewAs(Float32Array, odd.subarray(1, 5));
    expect(copied[0]).toBe(1.5);
    expect(copied.buffer).not.toBe(odd.buffer);
  });
  it('swaps bytes', () => {
    const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    swapBytesInPlace(b, 4);
    expect([...b]).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    swapBytesInPlace(b, 8);
    expect([...b]).toEqual([5, 6, 7, 8, 1, 2, 3, 4]);
  });
});

describe('writeFileAtomic', () => {
  it('writes through a temporary name and leaves none behind', async () => {
    const dir = tempDir('astro-core-');
    const target = path.join(dir, 'out.txt');
    await writeFileAtomic(target, 'hello');
    await writeFileAtomic(target, 'world');
    expect(readFileSync(target, 'utf8')).toBe('world');
    expect(readdirSync(dir).filter(isTempFileName)).toEqual([]);
  });
});
