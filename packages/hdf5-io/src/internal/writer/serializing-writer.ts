/**
 * The serializer engine: an {@link Hdf5Writer} for new files (createHdf5,
 * mode 'w', or 'a' on a missing file). The content is kept in memory (reads
 * are served from it) and written by serialize.ts at each commit, through
 * core's atomic file (temporary name beside the target, fsync per the
 * durability option, rename, directory fsync).
 */
import type { Durability, NumericArray } from '@astro/core';
import { DTYPE_SIZE, dtypeOf, openAtomicFileSync } from '@astro/core';
import { Hdf5Error } from '../../errors.js';
import type { Hdf5ErrorCode } from '../../errors.js';
import type { Hdf5Writer } from '../../file-handles.js';
import type { AttrValue, CreateDatasetSpec, CreateVlenDatasetSpec, DatasetInfo, Hdf5Entry, RowRange, VlenColumn } from '../../types.js';
import { arrayOfBytes, dtypeOfArray, isNumericDtype, toDtype } from '../dtype.js';
import { baseName, joinPath, normalizePath, parentOf } from '../paths.js';
import { decodeFixedStrings } from '../strings.js';
import { leBytes, prepareAttr, prepareDataset, prepareStorage, resolveRange } from '../write-prep.js';
import type { PreparedAttr } from '../write-prep.js';
import { ByteStore, newGroup } from './model.js';
import type { DatasetNode, GroupNode } from './model.js';
import { serializeHdf5 } from './serialize.js';

/** A new file held in memory and committed atomically by flush() / close(). */
export class SerializingWriter implements Hdf5Writer {
  readonly path: string;
  readonly mode: 'w' | 'a';
  private readonly durability: Durability;
  private root: GroupNode | undefined = newGroup();

  constructor(path: string, mode: 'w' | 'a', durability: Durability) {
    this.path = path;
    this.mode = mode;
    this.durability = durability;
  }

  private error(code: Hdf5ErrorCode, message: string, dataset?: string, cause?: unknown): Hdf5Error {
    return new Hdf5Error(message, { code, file: this.path, dataset, cause });
  }

  private get tree(): GroupNode {
    if (this.root === undefined) throw this.error('HDF5_MODE', 'file is closed (open it again with openHdf5)');
    return this.root;
  }

  private lookup(p: string): GroupNode | DatasetNode | undefined {
    let node: GroupNode | DatasetNode = this.tree;
    for (const part of p.split('/').filter((s) => s !== '')) {
      if (node.kind !== 'group') return undefined;
      const next: GroupNode | DatasetNode | undefined = node.children.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  private dataset(p: string): DatasetNode {
    const n = this.lookup(p);
    if (n === undefined) throw this.error('HDF5_NOT_FOUND', 'no such dataset', p);
    if (n.kind !== 'dataset') throw this.error('HDF5_TYPE', 'is a group, not a dataset', p);
    return n;
  }

  private ensureGroup(p: string): GroupNode {
    let node = this.tree;
    let at = '/';
    for (const part of p.split('/').filter((s) => s !== '')) {
      at = joinPath(at, part);
      const next = node.children.get(part);
      if (next === undefined) {
        const g = newGroup();
        node.children.set(part, g);
        node = g;
      } else if (next.kind === 'group') node = next;
      else throw this.error('HDF5_ARGUMENT', 'exists and is not a group', at);
    }
    return node;
  }

  private newChild(p: string): GroupNode {
    if (p === '/') throw this.error('HDF5_ARGUMENT', 'the root group already exists', p);
    if (this.lookup(p) !== undefined) throw this.error('HDF5_ARGUMENT', 'already exists', p);
    return this.ensureGroup(parentOf(p));
  }

  // ---------------------------------------------------------------- reading

  list(group = '/'): Hdf5Entry[] {
    const g = normalizePath(group);
    const n = this.lookup(g);
    if (n === undefined) throw this.error('HDF5_NOT_FOUND', 'no such group', g);
    if (n.kind !== 'group') throw this.error('HDF5_TYPE', 'is not a group', g);
    return [...n.children.entries()]
      .map(([name, c]): Hdf5Entry => ({ name, path: joinPath(g, name), kind: c.kind }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(path: string): boolean {
    return this.lookup(normalizePath(path)) !== undefined;
  }

  info(path: string): DatasetInfo {
    const p = normalizePath(path);
    const d = this.dataset(p);
    const info: DatasetInfo = {
      path: p,
      shape: [...d.shape],
      dtype: d.vlen && d.dtype !== 'string' ? `vlen<${d.dtype}>` : d.dtype,
      elementSize: d.elementSize,
      maxshape: [...d.maxshape],
    };
    if (d.vlen && d.dtype !== 'string') info.vlen = { base: d.dtype };
    if (d.dtype === 'string') {
      info.stringLength = d.stringLength;
      info.stringPadding = 'nullpad';
      info.charset = (d.data as ByteStore).view().some((b) => b >= 0x80) ? 'utf-8' : 'ascii';
    }
    if (d.chunks !== undefined) {
      info.chunks = [...d.chunks];
      const filters: string[] = [];
      if (d.shuffle) filters.push('shuffle');
      if (d.compression !== 'none') filters.push(d.compression);
      if (filters.length > 0) {
        info.filters = filters;
        info.shuffle = d.shuffle;
        if (d.compression !== 'none') info.compression = d.compression;
      }
    }
    return info;
  }

  attrs(path = '/'): Record<string, AttrValue> {
    const p = normalizePath(path);
    const n = this.lookup(p);
    if (n === undefined) throw this.error('HDF5_NOT_FOUND', 'no such object', p);
    const out: Record<string, AttrValue> = {};
    for (const [name, a] of n.attrs) out[name] = attrValueOf(a);
    return out;
  }

  read(path: string, options?: RowRange): NumericArray | string[] {
    const p = normalizePath(path);
    const d = this.dataset(p);
    if (d.vlen) throw this.error('HDF5_TYPE', `has type vlen<${d.dtype}>, which read() cannot return (use readVlen)`, p);
    const { start, end } = this.range(d, p, options);
    const rowBytes = d.elementSize * d.shape.slice(1).reduce((a, b) => a * b, 1);
    const bytes = (d.data as ByteStore).view().slice(start * rowBytes, end * rowBytes);
    if (d.dtype === 'string') return decodeFixedStrings(bytes, d.elementSize, bytes.length / d.elementSize, false);
    return arrayOfBytes(d.dtype, bytes, bytes.length / DTYPE_SIZE[d.dtype]);
  }

  private range(d: DatasetNode, p: string, options: RowRange | undefined): { start: number; end: number } {
    const r = resolveRange(d.shape, options);
    if (typeof r === 'string') throw this.error('HDF5_ARGUMENT', r, p);
    return r;
  }

  readFloat64(path: string, options?: RowRange): Float64Array {
    const data = this.read(path, options);
    if (data instanceof Float64Array) return data;
    if (Array.isArray(data)) throw this.error('HDF5_TYPE', 'holds strings, which readFloat64 cannot convert', normalizePath(path));
    return Float64Array.from(data as ArrayLike<number | bigint>, Number);
  }

  readVlen(path: string, options?: RowRange): VlenColumn {
    const p = normalizePath(path);
    const d = this.dataset(p);
    if (!d.vlen || d.dtype === 'string') throw this.error('HDF5_TYPE', `has type ${d.dtype}, not a variable-length numeric type (use read)`, p);
    const { start, end } = this.range(d, p, options);
    const offs = d.vlenOffsets as Float64Array;
    const base = offs[start];
    const offsets = offs.slice(start, end + 1).map((o) => o - base);
    const size = DTYPE_SIZE[d.dtype];
    const bytes = (d.vlenBytes as Uint8Array).slice(base * size, offs[end] * size);
    return { values: arrayOfBytes(d.dtype, bytes, offs[end] - base), offsets, nrows: end - start, start };
  }

  // ---------------------------------------------------------------- writing

  createGroup(path: string): void {
    this.ensureGroup(normalizePath(path));
  }

  createDataset(path: string, spec: CreateDatasetSpec): void {
    const p = normalizePath(path);
    void this.tree;
    const prep = prepareDataset(spec);
    if (typeof prep === 'string') throw this.error('HDF5_ARGUMENT', prep, p);
    const parent = this.newChild(p);
    const node: DatasetNode = {
      kind: 'dataset',
      dtype: prep.dtype,
      vlen: false,
      elementSize: prep.h5.size,
      baseSize: prep.h5.size,
      shape: [...prep.shape],
      maxshape: prep.maxshape,
      compression: prep.compression,
      level: prep.level,
      shuffle: prep.shuffle,
      attrs: new Map(),
      data: new ByteStore(prep.bytes),
    };
    if (prep.stringLength !== undefined) node.stringLength = prep.stringLength;
    if (prep.chunks !== undefined) node.chunks = prep.chunks;
    parent.children.set(baseName(p), node);
  }

  createVlenDataset(path: string, rows: NumericArray[] | VlenColumn, spec: CreateVlenDatasetSpec = {}): void {
    const p = normalizePath(path);
    void this.tree;
    let values: NumericArray;
    let offsets: Float64Array;
    if (Array.isArray(rows)) {
      if (!rows.every((r) => dtypeOf(r) !== undefined)) throw this.error('HDF5_ARGUMENT', 'rows must be TypedArrays', p);
      const dtype = spec.dtype ?? (rows.length > 0 ? dtypeOfArray(rows[0]) : 'float64');
      if (!isNumericDtype(dtype)) throw this.error('HDF5_ARGUMENT', `unknown dtype ${JSON.stringify(dtype)}`, p);
      offsets = new Float64Array(rows.length + 1);
      let total = 0;
      rows.forEach((r, i) => {
        total += r.length;
        offsets[i + 1] = total;
      });
      const size = DTYPE_SIZE[dtype];
      const bytes = new Uint8Array(total * size);
      rows.forEach((r, i) => bytes.set(leBytes(toDtype(r, dtype)), offsets[i] * size));
      values = arrayOfBytes(dtype, bytes, total);
    } else {
      const col = rows;
      if (dtypeOf(col.values) === undefined || !(col.offsets instanceof Float64Array) || col.offsets.length !== col.nrows + 1) {
        throw this.error('HDF5_ARGUMENT', 'a VlenColumn needs values, and offsets (Float64Array) of length nrows + 1', p);
      }
      const base = col.offsets[0];
      for (let i = 0; i < col.nrows; i++) {
        if (!(col.offsets[i + 1] >= col.offsets[i])) throw this.error('HDF5_ARGUMENT', `offsets decrease at row ${i}`, p);
      }
      if (col.offsets[col.nrows] > col.values.length) {
        throw this.error('HDF5_ARGUMENT', `offsets end at ${col.offsets[col.nrows]} beyond the ${col.values.length} values`, p);
      }
      const dtype = spec.dtype ?? dtypeOfArray(col.values);
      values = toDtype(col.values.subarray(base, col.offsets[col.nrows]), dtype);
      offsets = col.offsets.map((o) => o - base);
    }
    const dtype = dtypeOfArray(values);
    const shape = [offsets.length - 1];
    const compression = spec.compression ?? 'gzip';
    const storage = prepareStorage(shape, 16, { ...spec, compression, shuffle: spec.shuffle ?? compression !== 'none' }, 'gzip');
    if (typeof storage === 'string') throw this.error('HDF5_ARGUMENT', storage, p);
    const parent = this.newChild(p);
    const node: DatasetNode = {
      kind: 'dataset',
      dtype,
      vlen: true,
      elementSize: 16,
      baseSize: DTYPE_SIZE[dtype],
      shape,
      maxshape: storage.maxshape,
      compression: storage.compression,
      level: storage.level,
      shuffle: storage.shuffle,
      attrs: new Map(),
      vlenBytes: leBytes(values).slice(),
      vlenOffsets: offsets,
    };
    if (storage.chunks !== undefined) node.chunks = storage.chunks;
    parent.children.set(baseName(p), node);
  }

  append(path: string, data: NumericArray | string[]): void {
    const p = normalizePath(path);
    const d = this.dataset(p);
    if (d.vlen) throw this.error('HDF5_UNSUPPORTED', 'append to vlen datasets is not supported (create it with all rows)', p);
    if (d.shape.length === 0) throw this.error('HDF5_ARGUMENT', 'is a scalar dataset: cannot append', p);
    const rowElems = d.shape.slice(1).reduce((a, b) => a * b, 1);
    if (data.length % rowElems !== 0) {
      throw this.error('HDF5_ARGUMENT', `appending ${data.length} values: not a multiple of the row size ${rowElems}`, p);
    }
    const n = data.length / rowElems;
    if (n === 0) return;
    const max = d.maxshape[0];
    if (max !== null && d.shape[0] + n > max) {
      throw this.error('HDF5_ARGUMENT', `appending ${n} rows to ${d.shape[0]} exceeds maxshape ${max} (create it with maxshape [null, ...])`, p);
    }
    const prep = prepareDataset({ data, dtype: d.dtype, stringLength: d.stringLength, shape: [n, ...d.shape.slice(1)] });
    if (typeof prep === 'string') throw this.error('HDF5_ARGUMENT', prep, p);
    (d.data as ByteStore).append(prep.bytes);
    d.shape[0] += n;
  }

  setAttrs(path: string, attrs: Record<string, AttrValue>): void {
    const p = normalizePath(path);
    const n = this.lookup(p);
    if (n === undefined) throw this.error('HDF5_NOT_FOUND', 'no such object', p);
    for (const [name, value] of Object.entries(attrs)) {
      const prep = prepareAttr(value);
      if (typeof prep === 'string') throw this.error('HDF5_ARGUMENT', `attribute "${name}": ${prep}`, p);
      n.attrs.set(name, prep);
    }
  }

  flush(): void {
    const tree = this.tree;
    let serialized;
    try {
      serialized = serializeHdf5(tree);
    } catch (error) {
      throw this.error('HDF5_WRITE', `cannot encode the file: ${(error as Error).message}`, undefined, error);
    }
    let file;
    try {
      file = openAtomicFileSync(this.path, { durability: this.durability });
    } catch (error) {
      throw this.error('HDF5_WRITE', `cannot write the file (${(error as Error).message})`, undefined, error);
    }
    try {
      for (const piece of serialized.pieces) file.write(piece.bytes, piece.offset);
      file.commit();
    } catch (error) {
      file.abort();
      throw this.error('HDF5_WRITE', `cannot write the file (${(error as Error).message})`, undefined, error);
    }
  }

  close(): void {
    if (this.root === undefined) return;
    this.flush();
    this.root = undefined;
  }

  abort(): void {
    this.root = undefined;
  }
}

function attrValueOf(a: PreparedAttr): AttrValue {
  if (a.strings !== undefined) return a.shape.length === 0 ? a.strings[0] : [...a.strings];
  const dtype = a.dtype === 'string' ? 'uint8' : a.dtype;
  const copy = a.bytes.slice();
  const arr = arrayOfBytes(dtype, copy, copy.length / DTYPE_SIZE[dtype]);
  if (a.shape.length > 0) return arr;
  const v = arr[0];
  if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
  return v;
}
