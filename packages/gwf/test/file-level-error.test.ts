import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AstroError } from '@astro/core';
import { GwfFile, GwfFormatError, isFileLevelError, writeGwf } from '@astro/gwf';
import { tempDir } from '@astro/test-support/temp-dir';
import { makeFrames, signal } from './support/synthetic.js';

const tmp = tempDir('gwf-file-level-');

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function ioError(causeCode: string): GwfFormatError {
  const cause = Object.assign(new Error(`${causeCode}: failed`), { code: causeCode });
  return new GwfFormatError('cannot read', { code: 'GWF_IO', file: '/x.gwf', cause });
}

describe('isFileLevelError', () => {
  it('is true for what real bad files throw', async () => {
    const missing = await caught(GwfFile.open(path.join(tmp, 'missing.gwf')));
    expect((missing as GwfFormatError).code).toBe('GWF_IO');
    expect(isFileLevelError(missing)).toBe(true);

    const dir = path.join(tmp, 'a-directory.gwf');
    mkdirSync(dir);
    const isDir = await caught(GwfFile.open(dir));
    expect((isDir as GwfFormatError).code).toBe('GWF_IO');
    expect(isFileLevelError(isDir)).toBe(true);

    const notGwf = path.join(tmp, 'not.gwf');
    writeFileSync(notGwf, 'SIMPLE  =                    T'.padEnd(2880, ' '));
    const badMagic = await caught(GwfFile.open(notGwf));
    expect((badMagic as GwfFormatError).code).toBe('GWF_BAD_MAGIC');
    expect(isFileLevelError(badMagic)).toBe(true);

    const good = path.join(tmp, 'good.gwf');
    await writeGwf(good, makeFrames(1, 1_000_000_000, 1, () => [{ name: 'X:A', sampleRate: 64, data: signal(64, 1) }]));
    const truncated = path.join(tmp, 'truncated.gwf');
    writeFileSync(truncated, readFileSync(good).subarray(0, 100));
    const short = await caught(GwfFile.open(truncated));
    expect(short).toBeInstanceOf(GwfFormatError);
    expect(isFileLevelError(short)).toBe(true);
  });

  it('is true for every GWF_ code but GWF_IO, whatever the cause', () => {
    for (const code of ['GWF_BAD_MAGIC', 'GWF_TRUNCATED', 'GWF_CRC_MISMATCH', 'GWF_BAD_STRUCTURE', 'GWF_UNKNOWN_COMPRESSION'] as const) {
      expect(isFileLevelError(new GwfFormatError('bad', { code, file: '/x.gwf' })), code).toBe(true);
    }
    expect(isFileLevelError({ code: 'GWF_BAD_SIZE' })).toBe(true); // a plain object with the code (e.g. across a worker boundary)
  });

  it('for GWF_IO, is true only when the cause is ENOENT, EISDIR or EACCES', () => {
    expect(isFileLevelError(ioError('ENOENT'))).toBe(true);
    expect(isFileLevelError(ioError('EISDIR'))).toBe(true);
    expect(isFileLevelError(ioError('EACCES'))).toBe(true);
    expect(isFileLevelError(ioError('EIO'))).toBe(false);
    expect(isFileLevelError(ioError('EMFILE'))).toBe(false);
    expect(isFileLevelError(ioError('ENOSPC'))).toBe(false);
    expect(isFileLevelError(ioError('ETIMEDOUT'))).toBe(false);
    expect(isFileLevelError(new GwfFormatError('the file is closed', { code: 'GWF_IO', file: '/x.gwf' }))).toBe(false);
  });

  it('is false for anything that is not a GWF error', () => {
    expect(isFileLevelError(new Error('boom'))).toBe(false);
    expect(isFileLevelError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isFileLevelError(new AstroError('x', { code: 'FITS_BAD_HEADER' }))).toBe(false);
    expect(isFileLevelError(undefined)).toBe(false);
    expect(isFileLevelError(null)).toBe(false);
    expect(isFileLevelError('GWF_BAD_MAGIC')).toBe(false);
    expect(isFileLevelError({ code: 42 })).toBe(false);
  });
});
