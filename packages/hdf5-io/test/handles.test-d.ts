/**
 * The mode decides the type, and each type has only the methods its engine
 * supports: the compiler rejects what fails at run time.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  createHdf5,
  openHdf5,
  withHdf5,
  type CreateDatasetSpec,
  type EditorDatasetSpec,
  type Hdf5Contents,
  type Hdf5Editor,
  type Hdf5ErrorCode,
  type Hdf5Reader,
  type Hdf5Writer,
  type NumericDtype,
} from '@astro/hdf5-io';
import type { Dtype } from '@astro/core';

const p = '/tmp/x.h5';

describe('openHdf5 / createHdf5 / withHdf5 return the type of the mode', () => {
  it('mode r (default) -> Hdf5Reader, r+ -> Hdf5Editor, w -> Hdf5Writer, a -> either', () => {
    expectTypeOf(openHdf5(p)).toEqualTypeOf<Promise<Hdf5Reader>>();
    expectTypeOf(openHdf5(p, { mode: 'r' })).toEqualTypeOf<Promise<Hdf5Reader>>();
    expectTypeOf(openHdf5(p, { mode: 'r+' })).toEqualTypeOf<Promise<Hdf5Editor>>();
    expectTypeOf(openHdf5(p, { mode: 'w' })).toEqualTypeOf<Promise<Hdf5Writer>>();
    expectTypeOf(openHdf5(p, { mode: 'w', durability: 'none' })).toEqualTypeOf<Promise<Hdf5Writer>>();
    expectTypeOf(openHdf5(p, { mode: 'a' })).toEqualTypeOf<Promise<Hdf5Editor | Hdf5Writer>>();
    expectTypeOf(createHdf5(p)).toEqualTypeOf<Hdf5Writer>();
    expectTypeOf(createHdf5(p, { durability: 'none' })).toEqualTypeOf<Hdf5Writer>();
    // @ts-expect-error durability is 'fsync' or 'none'
    createHdf5(p, { durability: 'sometimes' });
  });

  it('withHdf5 hands the callback the same type', () => {
    void withHdf5(p, undefined, (f) => expectTypeOf(f).toEqualTypeOf<Hdf5Reader>());
    void withHdf5(p, { mode: 'r+' }, (f) => expectTypeOf(f).toEqualTypeOf<Hdf5Editor>());
    void withHdf5(p, { mode: 'w' }, (f) => expectTypeOf(f).toEqualTypeOf<Hdf5Writer>());
    void withHdf5(p, { mode: 'a' }, (f) => expectTypeOf(f).toEqualTypeOf<Hdf5Editor | Hdf5Writer>());
    expectTypeOf(withHdf5(p, undefined, () => 42)).toEqualTypeOf<Promise<number>>();
  });
});

describe('each type has only what it supports', () => {
  it('a Reader reads and closes, and writes nothing', () => {
    expectTypeOf<Hdf5Reader>().toMatchTypeOf<Hdf5Contents>();
    expectTypeOf<Hdf5Reader>().toHaveProperty('readCompound');
    expectTypeOf<Hdf5Reader>().not.toHaveProperty('createDataset');
    expectTypeOf<Hdf5Reader>().not.toHaveProperty('createGroup');
    expectTypeOf<Hdf5Reader>().not.toHaveProperty('append');
    expectTypeOf<Hdf5Reader>().not.toHaveProperty('setAttrs');
    expectTypeOf<Hdf5Reader>().not.toHaveProperty('flush');
  });

  it('an Editor is a Reader with the in-place writes h5wasm supports: no vlen, no shuffle, no lzf', () => {
    expectTypeOf<Hdf5Editor>().toMatchTypeOf<Hdf5Reader>();
    expectTypeOf<Hdf5Editor>().toHaveProperty('append');
    expectTypeOf<Hdf5Editor>().not.toHaveProperty('createVlenDataset');
    expectTypeOf<Parameters<Hdf5Editor['createDataset']>[1]>().toEqualTypeOf<EditorDatasetSpec>();
    expectTypeOf<{ data: Float32Array; compression: 'gzip' }>().toMatchTypeOf<EditorDatasetSpec>();
    expectTypeOf<{ data: Float32Array; shuffle: true }>().not.toMatchTypeOf<EditorDatasetSpec>();
    expectTypeOf<{ data: Float32Array; compression: 'lzf' }>().not.toMatchTypeOf<EditorDatasetSpec>();
  });

  it('a Writer creates anything the serializer writes, reads back from memory, has no readCompound, can abort', () => {
    expectTypeOf<Hdf5Writer>().toMatchTypeOf<Hdf5Contents>();
    expectTypeOf<Hdf5Writer>().toHaveProperty('createVlenDataset');
    expectTypeOf<Hdf5Writer>().toHaveProperty('abort');
    expectTypeOf<Hdf5Writer>().not.toHaveProperty('readCompound');
    expectTypeOf<Hdf5Writer>().not.toMatchTypeOf<Hdf5Reader>();
    expectTypeOf<Parameters<Hdf5Writer['createDataset']>[1]>().toEqualTypeOf<CreateDatasetSpec>();
    expectTypeOf<{ data: Float32Array; compression: 'lzf'; shuffle: true }>().toMatchTypeOf<CreateDatasetSpec>();
  });

  it('the union of mode a offers only what both have', () => {
    type Either = Hdf5Editor | Hdf5Writer;
    expectTypeOf<Either>().toHaveProperty('append');
    expectTypeOf<Either>().toHaveProperty('setAttrs');
    expectTypeOf<Either>().toHaveProperty('flush');
    expectTypeOf<Either>().not.toHaveProperty('createVlenDataset');
    expectTypeOf<Either>().not.toHaveProperty('readCompound');
  });
});

describe('shared names', () => {
  it('NumericDtype is core Dtype; error codes are a union of the const values', () => {
    expectTypeOf<NumericDtype>().toEqualTypeOf<Dtype>();
    expectTypeOf<Hdf5ErrorCode>().toEqualTypeOf<
      'HDF5_OPEN' | 'HDF5_NOT_FOUND' | 'HDF5_READ' | 'HDF5_WRITE' | 'HDF5_TYPE' | 'HDF5_ARGUMENT' | 'HDF5_MODE' | 'HDF5_UNSUPPORTED'
    >();
  });
});
