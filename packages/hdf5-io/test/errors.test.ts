/** Whatever crosses the WASM boundary (Error, string, odd objects, HDF5 stacks) becomes an Hdf5Error with a cause. */
import { describe, expect, it } from 'vitest';
import { AstroError } from '@astro/core';
import { Hdf5Error, openHdf5 } from '@astro/hdf5-io';
import { hdf5Failure } from '../src/internal/wasm/failure.js';
import { loadModule, summarizeHdf5Stack } from '../src/internal/module.js';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const STACK = `HDF5-DIAG: Error detected in HDF5 (2.0.0):
  #000: /src/H5F.c line 821 in H5Fopen(): unable to synchronously open file
    major: File accessibility
    minor: Unable to open file
  #001: /src/H5Fsuper.c line 388 in H5F__super_read(): file signature not found
    major: File accessibility
    minor: Not an HDF5 file
`;

describe('wrapping', () => {
  it('Hdf5Error is an AstroError with code, location and message format', () => {
    const e = new Hdf5Error('no such dataset', { code: 'HDF5_NOT_FOUND', file: '/d/t.h5', dataset: '/a/b' });
    expect(e).toBeInstanceOf(AstroError);
    expect(e.name).toBe('Hdf5Error');
    expect(e.message).toBe('HDF5: /d/t.h5: /a/b: no such dataset');
    expect(e.location).toEqual({ file: '/d/t.h5', dataset: '/a/b' });
    expect(e.file).toBe('/d/t.h5');
  });

  it('summarises an HDF5 error stack: innermost cause first', () => {
    expect(summarizeHdf5Stack(STACK)).toBe('file signature not found (H5F__super_read; H5Fopen: unable to synchronously open file)');
  });

  it('odd thrown values (string, object, undefined + stack) become Error causes', () => {
    const s = hdf5Failure('HDF5_READ', 'cannot read', '/f.h5', '/x', 'error - name not defined!', '');
    expect(s.message).toBe('HDF5: /f.h5: /x: cannot read: error - name not defined!');
    expect(s.cause).toBeInstanceOf(Error);
    const o = hdf5Failure('HDF5_READ', 'cannot read', '/f.h5', '/x', { weird: 1 }, '');
    expect(o.cause).toBeInstanceOf(Error);
    expect(o.message).toContain('[object Object]');
    const t = hdf5Failure('HDF5_OPEN', 'cannot open', '/f.h5', undefined, undefined, STACK);
    expect(t.message).toBe('HDF5: /f.h5: cannot open: file signature not found (H5F__super_read; H5Fopen: unable to synchronously open file)');
    expect((t.cause as Error).message).toBe(STACK);
  });
});

const dir = sharedData('virac');
describe.skipIf(!dir)(`a real throw from inside h5wasm ${dir ? '' : missingDataMessage('virac')}`, () => {
  it('is wrapped with the HDF5 stack it printed', async () => {
    const f = await openHdf5(`${dir}/tiles/n1024_8535204.hdf5`);
    const M = await loadModule();
    const internals = f as unknown as { fid: bigint; call: (c: string, w: string, d: string, fn: () => unknown) => unknown };
    try {
      // Bypass the existence check: h5wasm's C++ throws a JS Error via EM_JS.
      internals.call('HDF5_READ', 'cannot read dataset metadata', '/nope', () => M.get_dataset_metadata(internals.fid, '/nope'));
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(Hdf5Error);
      const e = error as Hdf5Error;
      expect(e.message).toContain('/nope: cannot read dataset metadata: ');
      expect((e.cause as Error).message).toContain('HDF5-DIAG');
      expect(((e.cause as Error).cause as Error).message).toBe('error - name not defined!');
    } finally {
      f.close();
    }
    // the module still works afterwards
    const g = await openHdf5(`${dir}/tiles/n1024_8535204.hdf5`);
    expect(g.read('/sourceList/ra').length).toBe(258);
    g.close();
  });
});
