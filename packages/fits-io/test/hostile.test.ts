/**
 * Hostile inputs made from valid bytes: every damaged file must give a
 * FitsFormatError naming the file, the HDU, the card/column/row and the
 * problem; never a hang, a crash or a silent wrong value.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFormatError, readFits, toFitsBytes } from '@astro/fits-io';

const tmp = mkdtempSync(path.join(tmpdir(), 'fits-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function valid(): Uint8Array {
  return toFitsBytes([
    { kind: 'image', data: Int16Array.from({ length: 100 * 60 }, (_, i) => i), shape: [100, 60] },
    {
      kind: 'binary-table',
      name: 'CAT',
      columns: [
        { name: 'id', data: Int32Array.from([1, 2, 3]) },
        { name: 'vla', data: [Float64Array.from([1]), Float64Array.from([2, 3]), new Float64Array(0)] },
      ],
    },
  ]);
}

/** Replace the value of a card (keeping the 80-column layout). */
function setCard(bytes: Uint8Array, key: string, value: string, from = 0): Uint8Array {
  const out = bytes.slice();
  const text = Buffer.from(out).toString('latin1');
  const at = text.indexOf(key.padEnd(8) + '= ', from);
  if (at < 0) throw new Error(`no card ${key}`);
  const card = `${key.padEnd(8)}= ${value.padStart(20)}`.padEnd(80);
  out.set(Buffer.from(card, 'latin1'), at);
  return out;
}

async function failure(bytes: Uint8Array, name = 'damaged.fits'): Promise<FitsFormatError> {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  try {
    const fits = await readFits(file);
    for (const hdu of fits.hdus) {
      if (hdu.kind === 'image') await hdu.readImage();
      if (hdu.kind === 'binary-table') {
        const t = await hdu.readTable();
        for (const n of t.names) t.column(n);
      }
    }
  } catch (error) {
    expect(error).toBeInstanceOf(FitsFormatError);
    const e = error as FitsFormatError;
    expect(e.message).toContain(file);
    expect(e.location.file).toBe(file);
    return e;
  }
  throw new Error('no error was thrown');
}

describe('hostile inputs', () => {
  it('the valid file reads', async () => {
    const fits = await readFits(valid());
    expect(fits.hdus.map((h) => h.kind)).toEqual(['image', 'binary-table']);
  });

  it('empty and non-FITS files', async () => {
    expect((await failure(new Uint8Array(0), 'empty.fits')).code).toBe('FITS_TRUNCATED');
    const e = await failure(new Uint8Array(2880).fill(0x41), 'text.fits');
    expect(e.message).toMatch(/not a FITS file/);
  });

  it('truncated inside the data of the primary HDU', async () => {
    const e = await failure(valid().subarray(0, 2880 + 5000), 'trunc-data.fits');
    expect(e.code).toBe('FITS_TRUNCATED');
    expect(e.location.hdu).toBe(0);
    expect(e.message).toMatch(/HDU 0: card NAXIS: data unit needs 12000 bytes \(BITPIX = 16, NAXIS1 = 100, NAXIS2 = 60\).*file ends at byte 7880/);
  });

  it('truncated inside a header', async () => {
    const bytes = valid();
    const e = await failure(bytes.subarray(0, 2880 * 6 + 1000), 'trunc-header.fits');
    expect(e.location.hdu).toBe(1);
    expect(e.code).toBe('FITS_TRUNCATED');
    expect(e.message).toMatch(/HDU 1: header starts at byte 17280 but the file ends 1000 bytes later/);
  });

  it('header without END', async () => {
    const headerOnly = toFitsBytes([{ kind: 'empty', header: { OBJECT: 'x' } }]);
    const text = Buffer.from(headerOnly).toString('latin1').replace(/END {77}/, ' '.repeat(80));
    const e = await failure(Buffer.from(text, 'latin1'), 'noend.fits');
    expect(e.code).toBe('FITS_NO_END');
    expect(e.message).toMatch(/HDU 0: header has no END card/);
  });

  it('illegal BITPIX', async () => {
    const e = await failure(setCard(valid(), 'BITPIX', '12'), 'bitpix.fits');
    expect(e.location).toMatchObject({ hdu: 0, card: 'BITPIX' });
    expect(e.message).toMatch(/illegal BITPIX = 12 \(expected 8, 16, 32, 64, -32 or -64\)/);
  });

  it('NAXISn that disagree with the file size', async () => {
    const e = await failure(setCard(valid(), 'NAXIS2', '6000'), 'naxis.fits');
    expect(e.code).toBe('FITS_TRUNCATED');
    expect(e.message).toMatch(/NAXIS2 = 6000/);
  });

  it('non-integer NAXIS1', async () => {
    const e = await failure(setCard(valid(), 'NAXIS1', "'abc'"), 'naxis1.fits');
    expect(e.location.card).toBe('NAXIS1');
    expect(e.message).toMatch(/is not an integer/);
  });

  it('bad TFORM', async () => {
    const bytes = valid();
    const tableHeader = Buffer.from(bytes).toString('latin1').indexOf('XTENSION');
    const e = await failure(setCard(bytes, 'TFORM1', "'1Z      '", tableHeader), 'tform.fits');
    expect(e.code).toBe('FITS_BAD_TFORM');
    expect(e.location).toMatchObject({ hdu: 1, card: 'TFORM1' });
    expect(e.message).toMatch(/TFORM "1Z" is not a valid binary-table format/);
  });

  it('TFORMs that do not add up to NAXIS1', async () => {
    const bytes = valid();
    const at = Buffer.from(bytes).toString('latin1').indexOf('XTENSION');
    const e = await failure(setCard(bytes, 'TFORM1', "'2J      '", at), 'naxis1-table.fits');
    expect(e.message).toMatch(/NAXIS1 = 12 but the TFORMn columns add up to 16 bytes/);
  });

  it('variable-length descriptor outside the heap', async () => {
    const bytes = valid().slice();
    const text = Buffer.from(bytes).toString('latin1');
    const xt = text.indexOf('XTENSION');
    const dataStart = xt + 2880;
    // row 1, column 2 descriptor: length 2 -> 2000
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    dv.setInt32(dataStart + 12 + 4, 2000, false);
    const e = await failure(bytes, 'vla.fits');
    expect(e.code).toBe('FITS_BAD_TABLE');
    expect(e.message).toMatch(/HDU 1: column "vla": row 1: variable-length descriptor \(2000 elements at heap byte 8\) lies outside the heap of 24 bytes/);
  });

  it('extension without XTENSION as first card', async () => {
    const bytes = valid().slice();
    const text = Buffer.from(bytes).toString('latin1');
    const xt = text.indexOf('XTENSION');
    bytes.set(Buffer.from('XTENSIO2', 'latin1'), xt);
    const fits = await readFits(bytes);
    // astropy treats it as trailing garbage and warns; so do we
    expect(fits.hdus.length).toBe(1);
    expect(fits.warnings.map((w) => w.message).join()).toMatch(/do not start with XTENSION/);
  });

  it('a file truncated after it was opened: the read error names the HDU', async () => {
    const file = path.join(tmp, 'shrinks.fits');
    writeFileSync(file, valid());
    const fits = await readFits(file);
    truncateSync(file, 2880 + 4000);
    const e = await fits.hdus[0].readImage().then(
      () => undefined,
      (error: unknown) => error as FitsFormatError,
    );
    expect(e).toBeInstanceOf(FitsFormatError);
    expect(e!.code).toBe('FITS_TRUNCATED');
    expect(e!.location).toMatchObject({ file, hdu: 0 });
    expect(e!.message).toMatch(/shrinks\.fits: HDU 0: byte \d+: file ends after/);
  });

  it('random corruption never hangs or crashes', async () => {
    const base = valid();
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 200; k++) {
      const bytes = base.slice();
      for (let j = 0; j < 8; j++) bytes[Math.floor(rnd() * 2880 * 2)] = Math.floor(rnd() * 256);
      const cut = rnd() < 0.3 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
      try {
        const fits = await readFits(cut);
        for (const hdu of fits.hdus) {
          if (hdu.kind === 'image') await hdu.readImage();
          else if (hdu.kind === 'binary-table') {
            const t = await hdu.readTable();
            for (const n of t.names) t.column(n);
          }
        }
      } catch (error) {
        expect(error).toBeInstanceOf(FitsFormatError);
      }
    }
  });
});
