/**
 * The h5wasm engine, writing side: the in-place writes HDF5 supports on an
 * existing file (groups, datasets with gzip or no filter, appends to
 * resizable datasets, attributes, flush).
 *
 * `openHdf5` builds a WasmEditor for every existing file and types it by the
 * mode: an {@link Hdf5Reader} in mode 'r', an {@link Hdf5Editor} in 'r+'/'a'.
 * The compiler stops TypeScript callers from writing through a reader or
 * calling what h5wasm cannot do in place; JavaScript callers have no compiler,
 * so the write methods still refuse a read-only file (HDF5_MODE) and shuffle,
 * lzf and vlen creation (HDF5_UNSUPPORTED) with the reason.
 */
import type { NumericArray } from '@astro/core';
import type { Hdf5Editor } from '../../file-handles.js';
import type { AttrValue, CreateVlenDatasetSpec, EditorDatasetSpec, NumericDtype, VlenColumn } from '../../types.js';
import { normalizePath, parentOf } from '../paths.js';
import { prepareAttr, prepareDataset } from '../write-prep.js';
import { H5G } from './metadata.js';
import { WasmReader } from './reader.js';

/** HDF5's H5S_UNLIMITED (a maxshape of `null`). */
const H5S_UNLIMITED = 18446744073709551615n;

/** An existing file through h5wasm, with the in-place writes (see the file comment for mode 'r'). */
export class WasmEditor extends WasmReader implements Omit<Hdf5Editor, 'mode'> {
  /** Refuse writes on a file opened read-only (a reader typed as an editor by an untyped caller). */
  private requireWritable(p: string): void {
    void this.id;
    if (this.mode === 'r') {
      throw this.error('HDF5_MODE', "file is open read-only (open it with mode 'r+' or 'a' to write)", p);
    }
  }

  createGroup(path: string): void {
    const p = normalizePath(path);
    this.requireWritable(p);
    this.ensureGroup(p);
  }

  private ensureGroup(p: string): void {
    if (p === '/') return;
    const t = this.typeOf(p);
    if (t === H5G.GROUP) return;
    if (t >= 0) throw this.error('HDF5_ARGUMENT', 'exists and is not a group', p);
    this.ensureGroup(parentOf(p));
    const id = this.id;
    this.call('HDF5_WRITE', 'cannot create group', p, () => this.M.create_group(id, p, false));
  }

  createDataset(path: string, spec: EditorDatasetSpec): void {
    const p = normalizePath(path);
    this.requireWritable(p);
    if (this.typeOf(p) >= 0) throw this.error('HDF5_ARGUMENT', 'already exists', p);
    const prep = prepareDataset(spec);
    if (typeof prep === 'string') throw this.error('HDF5_ARGUMENT', prep, p);
    if (prep.shuffle) {
      throw this.error(
        'HDF5_UNSUPPORTED',
        "shuffle cannot be added in a file opened with mode 'r+'/'a' (h5wasm sets one filter only); create the file with mode 'w', or pass shuffle: false",
        p,
      );
    }
    if (prep.compression === 'lzf') {
      throw this.error('HDF5_UNSUPPORTED', "lzf is only written in mode 'w' (h5wasm has no lzf filter); use gzip", p);
    }
    this.ensureGroup(parentOf(p));
    const id = this.id;
    const metadata = {
      ...prep.h5,
      shape: prep.shape.map(BigInt),
      maxshape: prep.maxshape.map((d) => (d === null ? H5S_UNLIMITED : BigInt(d))),
      chunks: prep.chunks === undefined ? null : prep.chunks.map(BigInt),
      compression: prep.compression === 'gzip' ? 1 : 0,
      compression_opts: prep.compression === 'gzip' ? [prep.level] : [],
      track_order: false,
    };
    const ptr = this.malloc(prep.bytes.length, p);
    try {
      this.M.HEAPU8.set(prep.bytes, ptr);
      this.call('HDF5_WRITE', 'cannot create dataset', p, () => {
        const status = this.M.create_dataset(id, p, BigInt(ptr), metadata as never);
        if (status < 0) throw new Error(`create_dataset returned ${status}`);
      });
    } finally {
      this.M._free(ptr);
    }
    this.metaCache.delete(p);
  }

  /** Not part of {@link Hdf5Editor}: refuses with the reason, for untyped callers. */
  createVlenDataset(path: string, _rows: NumericArray[] | VlenColumn, _spec?: CreateVlenDatasetSpec): void {
    const p = normalizePath(path);
    this.requireWritable(p);
    throw this.error(
      'HDF5_UNSUPPORTED',
      "vlen numeric datasets can only be created in a new file (mode 'w', or 'a' on a missing file): h5wasm cannot create vlen numeric types",
      p,
    );
  }

  append(path: string, data: NumericArray | string[]): void {
    const p = normalizePath(path);
    this.requireWritable(p);
    const { md, info } = this.meta(p);
    if (info.shape.length === 0) throw this.error('HDF5_ARGUMENT', 'is a scalar dataset: cannot append', p);
    if (info.vlen !== undefined || info.dtype === 'compound' || info.dtype === 'other' || (info.dtype === 'string' && info.stringLength === undefined)) {
      throw this.error('HDF5_UNSUPPORTED', `append supports numeric and fixed-length string datasets, not ${info.dtype}`, p);
    }
    const rowElems = info.shape.slice(1).reduce((a, b) => a * b, 1);
    if (data.length % rowElems !== 0) {
      throw this.error('HDF5_ARGUMENT', `appending ${data.length} values: not a multiple of the row size ${rowElems}`, p);
    }
    const n = data.length / rowElems;
    if (n === 0) return;
    const old = info.shape[0];
    const max = info.maxshape?.[0];
    if (max !== null && max !== undefined && old + n > max) {
      throw this.error('HDF5_ARGUMENT', `appending ${n} rows to ${old} exceeds maxshape ${max} (create it with maxshape [null, ...])`, p);
    }
    const prep = prepareDataset({
      data,
      dtype: info.dtype === 'string' ? 'string' : (info.dtype as NumericDtype),
      stringLength: info.stringLength,
      shape: [n, ...info.shape.slice(1)],
    });
    if (typeof prep === 'string') throw this.error('HDF5_ARGUMENT', prep, p);
    const id = this.id;
    const newShape = [old + n, ...info.shape.slice(1)];
    this.metaCache.delete(p);
    this.call('HDF5_WRITE', `cannot extend to ${newShape[0]} rows`, p, () => {
      const status = this.M.resize_dataset(id, p, newShape.map(BigInt));
      if (status < 0) throw new Error(`resize_dataset returned ${status}`);
    });
    const ptr = this.malloc(prep.bytes.length, p);
    try {
      this.M.HEAPU8.set(prep.bytes, ptr);
      const count = [BigInt(n), ...info.shape.slice(1).map(BigInt)];
      const offset = info.shape.map((_, i) => (i === 0 ? BigInt(old) : 0n));
      const strides = info.shape.map(() => 1n);
      this.call('HDF5_WRITE', `cannot write rows ${old}..${old + n - 1}`, p, () => {
        const status = this.M.set_dataset_data(id, p, count, offset, strides, BigInt(ptr));
        if (status < 0) throw new Error(`set_dataset_data returned ${status}`);
      });
    } finally {
      this.M._free(ptr);
    }
    void md;
  }

  setAttrs(path: string, attrs: Record<string, AttrValue>): void {
    const p = normalizePath(path);
    this.requireWritable(p);
    if (this.typeOf(p) < 0) throw this.error('HDF5_NOT_FOUND', 'no such object', p);
    const id = this.id;
    const existing = new Set(this.call('HDF5_READ', 'cannot list attributes', p, () => this.M.get_attribute_names(id, p)));
    for (const [name, value] of Object.entries(attrs)) {
      const prep = prepareAttr(value);
      if (typeof prep === 'string') throw this.error('HDF5_ARGUMENT', `attribute "${name}": ${prep}`, p);
      if (existing.has(name)) {
        this.call('HDF5_WRITE', `cannot replace attribute "${name}"`, p, () => this.M.delete_attribute(id, p, name));
      }
      const metadata = { ...prep.h5, shape: prep.shape.map(BigInt), maxshape: prep.shape.map(BigInt) };
      if (prep.strings !== undefined) {
        const strings = prep.strings;
        this.call('HDF5_WRITE', `cannot write attribute "${name}"`, p, () =>
          this.M.create_vlen_str_attribute(id, p, name, strings, metadata as never),
        );
        continue;
      }
      const bytes = prep.bytes;
      const ptr = this.malloc(bytes.length, p);
      try {
        this.M.HEAPU8.set(bytes, ptr);
        this.call('HDF5_WRITE', `cannot write attribute "${name}"`, p, () =>
          this.M.create_attribute(id, p, name, BigInt(ptr), metadata as never),
        );
      } finally {
        this.M._free(ptr);
      }
    }
  }

  flush(): void {
    const id = this.id;
    if (this.mode === 'r') return;
    this.call('HDF5_WRITE', 'cannot flush', undefined, () => this.M.flush(id));
  }
}
