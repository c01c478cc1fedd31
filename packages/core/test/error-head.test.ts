/** A format that keeps its own head (`HDF5: file`) still renders through formatErrorMessage. */
import { describe, expect, it } from 'vitest';
import { AstroError, formatErrorMessage } from '@astro/core';

describe('error message head', () => {
  it('replaces FORMAT file, keeps place and location', () => {
    expect(formatErrorMessage('HDF5', { file: '/d/t.h5', dataset: '/a' }, 'no such dataset', '/a', 'HDF5: /d/t.h5')).toBe('HDF5: /d/t.h5: /a: no such dataset');
    const e = new AstroError('cannot read', { format: 'HDF5', head: 'HDF5: /f.h5', place: '', file: '/f.h5', code: 'HDF5_READ' });
    expect(e.message).toBe('HDF5: /f.h5: cannot read');
    expect(e.format).toBe('HDF5');
    expect(e.location).toEqual({ file: '/f.h5' });
    expect(new AstroError('x', { format: 'FITS', file: 'a.fits' }).message).toBe('FITS a.fits: x');
  });
});
