/**
 * Errors and warnings as data: FITS errors carry core's location fields
 * (column included) and the problem alone; warnings are AstroWarning objects
 * with codes; writeFits goes through core's atomic file (no temporary file
 * left, durability option); the CLI functions return exit codes.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsErrorCode, FitsFormatError, FitsWarningCode, readFits, toFitsBytes, writeFits } from '@astro/fits-io';
import { runFitsHeader, runFitsInfo } from '@astro/fits-io/cli';
import { parseCards } from '../src/internal/cards.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'fits-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('FITS errors', () => {
  it('a table cell error names HDU, column and row in the message and in core location fields', () => {
    const bytes = toFitsBytes([{ kind: 'binary-table', columns: [{ name: 'x', data: new Int16Array([1, 2]) }] }]);
    let error: unknown;
    try {
      toFitsBytes([{ kind: 'binary-table', columns: [{ name: 'FLUX', data: new Float32Array([1e9]), format: '1I', tscal: 1 }] }], { name: 'w.fits' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FitsFormatError);
    const e = error as FitsFormatError;
    expect(e.code).toBe(FitsErrorCode.badValue);
    expect(e.format).toBe('FITS');
    expect(e.location).toMatchObject({ file: 'w.fits', hdu: 1, column: 'FLUX' });
    expect(e.message).toBe(`FITS w.fits: HDU 1: column "FLUX": ${e.problem}`);
    expect(bytes.length % 2880).toBe(0);
  });
});

describe('warnings are data', () => {
  it('header warnings carry a code, the message and the card', () => {
    const text = ["NOSPACE =1", "JUNK    = 'unterminated"].map((c) => c.padEnd(80)).join('') + 'END'.padEnd(80);
    const h = parseCards(text, { file: 'h.fits', hdu: 2 });
    expect(h.warnings.map((w) => w.code)).toEqual([FitsWarningCode.cardFormat, FitsWarningCode.cardValue]);
    expect(h.warnings[0].location).toEqual({ file: 'h.fits', hdu: 2, card: 'NOSPACE' });
    expect(h.warnings[1].message).toMatch(/JUNK.*cannot be parsed/);
  });

  it('trailing bytes give a FITS_TRAILING_BYTES warning with the file and offset', async () => {
    const good = toFitsBytes([{ kind: 'image', data: new Uint8Array(4), shape: [2, 2] }]);
    const bytes = new Uint8Array(good.length + 100);
    bytes.set(good);
    const fits = await readFits(bytes, { name: 'tail.fits' });
    expect(fits.warnings).toEqual([
      { code: 'FITS_TRAILING_BYTES', message: `100 bytes after the last HDU (at byte ${good.length}) ignored`, location: { file: 'tail.fits', offset: good.length } },
    ]);
  });
});

describe('writeFits through the atomic file', () => {
  it('leaves only the target (no temporary file), with either durability', async () => {
    for (const durability of ['fsync', 'none'] as const) {
      const file = path.join(tmp, `${durability}.fits`);
      await writeFits(file, [{ kind: 'image', data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] }], { durability });
      const img = await (await readFits(file)).hdus[0].readImage();
      expect(Array.from(img.data as Float32Array)).toEqual([1, 2, 3, 4]);
    }
    expect(readdirSync(tmp).sort()).toEqual(['fsync.fits', 'none.fits']);
  });

  it('a failed write throws FITS_IO and leaves no temporary file', async () => {
    const file = path.join(tmp, 'missing-dir', 'x.fits');
    await expect(writeFits(file, [{ kind: 'empty' }])).rejects.toMatchObject({ code: 'FITS_IO' });
    expect(readdirSync(tmp).sort()).toEqual(['fsync.fits', 'none.fits']);
  });
});

describe('CLI functions', () => {
  it('usage errors return 2, help 0, an unreadable file 1', async () => {
    expect(await runFitsInfo(['--nope'])).toBe(2);
    expect(await runFitsInfo([])).toBe(2);
    expect(await runFitsHeader([])).toBe(2);
    expect(await runFitsInfo(['--help'])).toBe(0);
    expect(await runFitsInfo([path.join(tmp, 'absent.fits')])).toBe(1);
  });
});
