/**
 * The h5wasm engine, reading side: an open HDF5 file handle and every read
 * (structure, attributes, numeric / string / vlen / compound data).
 * {@link WasmEditor} adds the in-place writes.
 *
 * Data never goes through h5wasm's `.value` (which builds one JS array per vlen
 * row): we call the module's `get_dataset_data` with a hyperslab into a WASM
 * buffer and copy the bytes out once, in blocks so the WASM heap (which never
 * shrinks) stays small whatever the dataset size.
 */
import type { NumericArray } from '@astro/core';
import { DTYPE_SIZE, swapBytesInPlace } from '@astro/core';
import type { Metadata } from 'h5wasm/node';
import { Hdf5Error } from '../../errors.js';
import type { Hdf5ErrorCode } from '../../errors.js';
import type { Hdf5Reader } from '../../file-handles.js';
import type {
  AttrValue,
  CompoundMemberInfo,
  DatasetInfo,
  Hdf5Entry,
  ReadCompoundOptions,
  RowRange,
  VlenColumn,
} from '../../types.js';
import { H5T, arrayOfBytes, isNumericDtype, numericDtypeOf } from '../dtype.js';
import type { H5Module } from '../module.js';
import { clearCaptured, takeCaptured } from '../module.js';
import { baseName, joinPath, normalizePath, parentOf } from '../paths.js';
import { decodeFixedStrings } from '../strings.js';
import { resolveRange } from '../write-prep.js';
import { hdf5Failure } from './failure.js';
import { FILTER_NAMES, H5G, buildInfo } from './metadata.js';

/** Bytes copied per block on numeric reads (bounds the WASM heap). */
const BLOCK_BYTES = 16 * 1024 * 1024;

/** Metadata of a dataset as h5wasm gives it, and as this package describes it. */
export interface DatasetMeta {
  md: Metadata;
  info: DatasetInfo;
}

/** An open h5wasm file handle with every read; closes (flushing first when writable) on close(). */
export class WasmReader implements Hdf5Reader {
  readonly path: string;
  readonly mode: 'r' | 'r+' | 'a';
  private fid: bigint | undefined;
  protected readonly M: H5Module;
  protected readonly metaCache = new Map<string, DatasetMeta>();

  constructor(M: H5Module, path: string, mode: 'r' | 'r+' | 'a', fid: bigint) {
    this.M = M;
    this.path = path;
    this.mode = mode;
    this.fid = fid;
  }

  // ---------------------------------------------------------------- plumbing

  protected get id(): bigint {
    if (this.fid === undefined) {
      throw new Hdf5Error('file is closed (open it again with openHdf5)', { code: 'HDF5_MODE', file: this.path });
    }
    return this.fid;
  }

  /** Run one call into the module; a throw or any HDF5 error text makes it fail. */
  protected call<T>(code: Hdf5ErrorCode, what: string, dataset: string | undefined, fn: () => T): T {
    clearCaptured();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      if (error instanceof Hdf5Error) throw error;
      throw hdf5Failure(code, what, this.path, dataset, error, takeCaptured());
    }
    const stack = takeCaptured();
    if (stack !== '') throw hdf5Failure(code, what, this.path, dataset, undefined, stack);
    return result;
  }

  protected error(code: Hdf5ErrorCode, message: string, dataset?: string, cause?: unknown): Hdf5Error {
    return new Hdf5Error(message, { code, file: this.path, dataset, cause });
  }

  /** H5G object type of `p`, or -1 when nothing is there. */
  protected typeOf(p: string): number {
    const id = this.id;
    if (p === '/') return H5G.GROUP;
    const t = this.call('HDF5_READ', 'cannot look up object', p, () => this.M.get_type(id, p));
    if (t < 0) this.checkParents(p);
    return t;
  }

  /**
   * HDF5 reports "no such object" when a parent group's index is damaged.
   * List the parents so that a damaged group is reported as HDF5_READ
   * rather than as a missing object.
   */
  private checkParents(p: string): void {
    const id = this.id;
    const parents: string[] = [];
    for (let g = parentOf(p); ; g = parentOf(g)) {
      parents.unshift(g);
      if (g === '/') break;
    }
    for (const g of parents) {
      clearCaptured();
      let names: string[] | undefined;
      let thrown: unknown;
      try {
        names = this.M.get_names(id, g, false);
      } catch (error) {
        thrown = error;
      }
      const stack = takeCaptured();
      if (names === undefined || stack !== '') {
        // A missing intermediate group makes H5Gopen fail too: only a group that
        // exists and cannot be listed is damage.
        if (g !== '/' && !this.existsIn(parentOf(g), baseName(g))) return;
        throw hdf5Failure('HDF5_READ', `cannot look up object: group ${g} is unreadable`, this.path, p, thrown, stack);
      }
      const child = p.slice(g === '/' ? 1 : g.length + 1).split('/')[0];
      if (!names.includes(child)) return;
    }
    throw this.error('HDF5_READ', 'cannot look up object: it is listed in its group but its header cannot be read (corrupt file?)', p);
  }

  private existsIn(group: string, name: string): boolean {
    const id = this.id;
    clearCaptured();
    try {
      return this.M.get_names(id, group, false).includes(name);
    } catch {
      return false;
    } finally {
      takeCaptured();
    }
  }

  protected malloc(nbytes: number, p: string): number {
    const ptr = this.M._malloc(Math.max(1, nbytes));
    if (ptr === 0) {
      throw this.error('HDF5_READ', `cannot allocate ${nbytes} bytes in the WebAssembly heap (read fewer rows at a time)`, p);
    }
    return ptr;
  }

  protected meta(p: string): DatasetMeta {
    const cached = this.metaCache.get(p);
    if (cached !== undefined) return cached;
    const type = this.typeOf(p);
    if (type < 0) throw this.error('HDF5_NOT_FOUND', 'no such dataset', p);
    if (type !== H5G.DATASET) {
      throw this.error('HDF5_TYPE', `is a ${type === H5G.GROUP ? 'group' : 'link or named type'}, not a dataset`, p);
    }
    const id = this.id;
    const md = this.call('HDF5_READ', 'cannot read dataset metadata', p, () => this.M.get_dataset_metadata(id, p));
    const filters = this.call('HDF5_READ', 'cannot read dataset filters', p, () => this.M.get_dataset_filters(id, p));
    const entry = { md, info: buildInfo(p, md, filters.map((f) => FILTER_NAMES[f.id] ?? (f.name || `filter-${f.id}`))) };
    this.metaCache.set(p, entry);
    return entry;
  }

  private rowsOf(info: DatasetInfo, p: string, range: RowRange | undefined): { start: number; end: number } {
    const r = resolveRange(info.shape, range);
    if (typeof r === 'string') throw this.error('HDF5_ARGUMENT', r, p);
    return r;
  }

  /** Raw bytes (converted to little-endian by HDF5 for atomic types) of rows [start, end). */
  private readRaw(p: string, md: Metadata, shape: number[], start: number, end: number): Uint8Array {
    const id = this.id;
    const rowElems = shape.slice(1).reduce((a, b) => a * b, 1);
    const rowBytes = md.size * rowElems;
    const out = new Uint8Array((end - start) * rowBytes);
    if (out.length === 0) return out;
    if (shape.length === 0) {
      const ptr = this.malloc(md.size, p);
      try {
        this.call('HDF5_READ', 'cannot read data', p, () => {
          const status = this.M.get_dataset_data(id, p, null, null, null, BigInt(ptr));
          if (status < 0) throw new Error(`get_dataset_data returned ${status}`);
        });
        out.set(this.M.HEAPU8.subarray(ptr, ptr + md.size));
      } finally {
        this.M._free(ptr);
      }
      return out;
    }
    const blockRows = Math.max(1, Math.floor(BLOCK_BYTES / Math.max(1, rowBytes)));
    const ptr = this.malloc(Math.min(end - start, blockRows) * rowBytes, p);
    try {
      for (let s = start; s < end; s += blockRows) {
        const n = Math.min(blockRows, end - s);
        const count = [BigInt(n), ...shape.slice(1).map(BigInt)];
        const offset = shape.map((_, i) => (i === 0 ? BigInt(s) : 0n));
        const strides = shape.map(() => 1n);
        this.call('HDF5_READ', `cannot read rows ${s}..${s + n - 1}`, p, () => {
          const status = this.M.get_dataset_data(id, p, count, offset, strides, BigInt(ptr));
          if (status < 0) throw new Error(`get_dataset_data returned ${status}`);
        });
        out.set(this.M.HEAPU8.subarray(ptr, ptr + n * rowBytes), (s - start) * rowBytes);
      }
    } finally {
      this.M._free(ptr);
    }
    return out;
  }

  // ---------------------------------------------------------------- reading

  list(group = '/'): Hdf5Entry[] {
    const id = this.id;
    const g = normalizePath(group);
    const type = this.typeOf(g);
    if (type < 0) throw this.error('HDF5_NOT_FOUND', 'no such group', g);
    if (type !== H5G.GROUP) throw this.error('HDF5_TYPE', 'is not a group', g);
    const names = this.call('HDF5_READ', 'cannot list group', g, () => this.M.get_names(id, g, false));
    const entries = names.map((name): Hdf5Entry => {
      const p = joinPath(g, name);
      const t = this.typeOf(p);
      return { name, path: p, kind: t === H5G.GROUP ? 'group' : t === H5G.DATASET ? 'dataset' : 'other' };
    });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(path: string): boolean {
    return this.typeOf(normalizePath(path)) >= 0;
  }

  info(path: string): DatasetInfo {
    const info = this.meta(normalizePath(path)).info;
    return structuredClone(info);
  }

  attrs(path = '/'): Record<string, AttrValue> {
    const id = this.id;
    const p = normalizePath(path);
    if (this.typeOf(p) < 0) throw this.error('HDF5_NOT_FOUND', 'no such object', p);
    const names = this.call('HDF5_READ', 'cannot list attributes', p, () => this.M.get_attribute_names(id, p));
    const out: Record<string, AttrValue> = {};
    for (const name of names) {
      const value = this.readAttr(p, name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private readAttr(p: string, name: string): AttrValue | undefined {
    const id = this.id;
    const where = `attribute "${name}"`;
    const md = this.call('HDF5_READ', `cannot read ${where} metadata`, p, () => this.M.get_attribute_metadata(id, p, name));
    if (md.shape === null) return undefined;
    const count = md.total_size;
    const scalar = md.shape.length === 0;
    const nbytes = md.size * count;
    const ptr = this.malloc(nbytes, p);
    this.M.HEAPU8.fill(0, ptr, ptr + nbytes);
    const isVlenString = md.type === H5T.STRING && md.vlen;
    try {
      this.call('HDF5_READ', `cannot read ${where}`, p, () => {
        const status = this.M.get_attribute_data(id, p, name, BigInt(ptr));
        if (status < 0) throw new Error(`get_attribute_data returned ${status}`);
      });
      if (isVlenString) {
        const ptrs = new Uint32Array(this.M.HEAPU8.buffer, ptr, count);
        const strings = Array.from(ptrs, (sp) => (sp === 0 ? '' : this.M.UTF8ToString(sp)));
        return scalar ? strings[0] : strings;
      }
      const bytes = this.M.HEAPU8.slice(ptr, ptr + nbytes);
      if (md.type === H5T.STRING) {
        const strings = decodeFixedStrings(bytes, md.size, count, md.cset === 1);
        return scalar ? strings[0] : strings;
      }
      const baseClass = md.type === H5T.ENUM ? (md.enum_type?.type ?? -1) : md.type;
      const dtype = numericDtypeOf(baseClass, md.size, md.signed);
      if (dtype === undefined) return undefined;
      const arr = arrayOfBytes(dtype, bytes, count);
      if (!scalar) return arr;
      const v = arr[0];
      if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
      return v;
    } finally {
      if (isVlenString) {
        clearCaptured();
        this.M.reclaim_vlen_memory(id, p, name, BigInt(ptr));
        takeCaptured();
      }
      this.M._free(ptr);
    }
  }

  read(path: string, options?: RowRange): NumericArray | string[] {
    const p = normalizePath(path);
    const { md, info } = this.meta(p);
    const { start, end } = this.rowsOf(info, p, options);
    if (info.dtype === 'string') {
      if (info.stringLength === undefined) return this.readVlenStrings(p, md, info, start, end);
      const bytes = this.readRaw(p, md, info.shape, start, end);
      return decodeFixedStrings(bytes, md.size, bytes.length / md.size, info.charset === 'utf-8');
    }
    if (isNumericDtype(info.dtype)) {
      const bytes = this.readRaw(p, md, info.shape, start, end);
      return arrayOfBytes(info.dtype, bytes, bytes.length / DTYPE_SIZE[info.dtype]);
    }
    const hint = info.dtype.startsWith('vlen<') ? ' (use readVlen)' : info.dtype === 'compound' ? ' (use readCompound)' : '';
    throw this.error('HDF5_TYPE', `has type ${info.dtype}, which read() cannot return${hint}`, p);
  }

  private readVlenStrings(p: string, md: Metadata, info: DatasetInfo, start: number, end: number): string[] {
    if (info.shape.length > 1) throw this.error('HDF5_UNSUPPORTED', 'multi-dimensional variable-length strings are not supported', p);
    const id = this.id;
    const n = end - start;
    if (n === 0) return [];
    const ptr = this.malloc(4 * n, p);
    this.M.HEAPU8.fill(0, ptr, ptr + 4 * n);
    const scalar = info.shape.length === 0;
    const count = scalar ? null : [BigInt(n)];
    try {
      this.call('HDF5_READ', 'cannot read strings', p, () => {
        const status = scalar
          ? this.M.get_dataset_data(id, p, null, null, null, BigInt(ptr))
          : this.M.get_dataset_data(id, p, count, [BigInt(start)], [1n], BigInt(ptr));
        if (status < 0) throw new Error(`get_dataset_data returned ${status}`);
      });
      const ptrs = new Uint32Array(this.M.HEAPU8.buffer, ptr, n);
      return Array.from(ptrs, (sp) => (sp === 0 ? '' : this.M.UTF8ToString(sp)));
    } finally {
      clearCaptured();
      if (scalar) this.M.reclaim_vlen_memory(id, p, '', BigInt(ptr));
      else this.M.reclaim_vlen_memory_count(id, p, '', BigInt(ptr), count as bigint[]);
      takeCaptured();
      this.M._free(ptr);
    }
    void md;
  }

  readFloat64(path: string, options?: RowRange): Float64Array {
    const data = this.read(path, options);
    if (data instanceof Float64Array) return data;
    if (Array.isArray(data)) {
      throw this.error('HDF5_TYPE', 'holds strings, which readFloat64 cannot convert', normalizePath(path));
    }
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
    return out;
  }

  readVlen(path: string, options?: RowRange): VlenColumn {
    const id = this.id;
    const p = normalizePath(path);
    const { md, info } = this.meta(p);
    if (info.vlen === undefined) {
      throw this.error('HDF5_TYPE', `has type ${info.dtype}, not a variable-length numeric type (use read)`, p);
    }
    if (info.shape.length !== 1) {
      throw this.error('HDF5_UNSUPPORTED', `readVlen reads 1-D vlen datasets; this one has shape [${info.shape.join(', ')}]`, p);
    }
    const { start, end } = this.rowsOf(info, p, options);
    const baseDtype = info.vlen.base;
    const bsize = DTYPE_SIZE[baseDtype];
    const nrows = end - start;
    const offsets = new Float64Array(nrows + 1);
    const blocks: Uint8Array[] = [];
    let total = 0;
    let blockRows = Math.min(8192, Math.max(1, nrows));
    const ptr = this.malloc(8 * Math.max(1, Math.min(nrows, 1 << 20)), p);
    const maxRows = Math.min(nrows, 1 << 20);
    try {
      for (let s = start; s < end; ) {
        const n = Math.min(blockRows, end - s, maxRows);
        this.M.HEAPU8.fill(0, ptr, ptr + 8 * n);
        const count = [BigInt(n)];
        try {
          this.call('HDF5_READ', `cannot read rows ${s}..${s + n - 1}`, p, () => {
            const status = this.M.get_dataset_data(id, p, count, [BigInt(s)], [1n], BigInt(ptr));
            if (status < 0) throw new Error(`get_dataset_data returned ${status}`);
          });
          const heap = this.M.HEAPU8;
          const desc = new Uint32Array(heap.buffer, ptr, 2 * n);
          let blockValues = 0;
          for (let i = 0; i < n; i++) blockValues += desc[2 * i];
          const bytes = new Uint8Array(blockValues * bsize);
          let pos = 0;
          const row0 = s - start;
          for (let i = 0; i < n; i++) {
            const len = desc[2 * i] * bsize;
            if (len > 0) {
              const dp = desc[2 * i + 1];
              bytes.set(heap.subarray(dp, dp + len), pos);
              pos += len;
            }
            offsets[row0 + i + 1] = total + pos / bsize;
          }
          total += blockValues;
          blocks.push(bytes);
          // Aim the next block at ~16 MiB of values.
          const perRow = blockValues > 0 ? (blockValues * bsize) / n : 1;
          blockRows = Math.max(64, Math.min(maxRows, Math.floor(BLOCK_BYTES / perRow)));
        } finally {
          clearCaptured();
          this.M.reclaim_vlen_memory_count(id, p, '', BigInt(ptr), count);
          takeCaptured();
        }
        s += n;
      }
    } finally {
      this.M._free(ptr);
    }
    let all: Uint8Array;
    if (blocks.length === 1) all = blocks[0];
    else {
      all = new Uint8Array(total * bsize);
      let pos = 0;
      for (const b of blocks) {
        all.set(b, pos);
        pos += b.length;
      }
    }
    if (md.vlen_type !== undefined && !md.vlen_type.littleEndian && bsize > 1) swapBytesInPlace(all, bsize as 2 | 4 | 8);
    const values = arrayOfBytes(baseDtype, all, total);
    return { values, offsets, nrows, start };
  }

  readCompound(path: string, options: ReadCompoundOptions = {}): Record<string, NumericArray | string[]> {
    const p = normalizePath(path);
    const { md, info } = this.meta(p);
    if (info.dtype !== 'compound' || info.members === undefined) {
      throw this.error('HDF5_TYPE', `has type ${info.dtype}, not compound (use read)`, p);
    }
    const members = info.members;
    let wanted: CompoundMemberInfo[];
    if (options.columns !== undefined) {
      wanted = options.columns.map((c) => {
        const m = members.find((x) => x.name === c);
        if (m === undefined) {
          throw this.error('HDF5_NOT_FOUND', `compound has no member "${c}" (members: ${members.map((x) => x.name).join(', ')})`, p);
        }
        if (m.dtype === 'other' || m.dtype === 'compound' || (m.dtype === 'string' && m.stringLength === undefined)) {
          throw this.error('HDF5_UNSUPPORTED', `compound member "${c}" has a type readCompound cannot decode`, p);
        }
        return m;
      });
    } else {
      wanted = members.filter((m) => isNumericDtype(m.dtype) || (m.dtype === 'string' && m.stringLength !== undefined));
    }
    const { start, end } = this.rowsOf(info, p, options);
    const raw = this.readRaw(p, md, info.shape, start, end);
    const rec = md.size;
    const n = raw.length / rec;
    const out: Record<string, NumericArray | string[]> = {};
    const mdMembers = md.compound_type?.members ?? [];
    // h5wasm asks HDF5 for little-endian memory only when the compound's order
    // is big-endian, i.e. all its ordered members are; a mixed-order compound
    // arrives as stored, each member in its own byte order.
    const ordered = mdMembers.filter((x) => (x.type === H5T.INTEGER || x.type === H5T.FLOAT || x.type === H5T.ENUM) && x.size > 1);
    const convertedToLE = ordered.length > 0 && ordered.every((x) => !x.littleEndian);
    for (const m of wanted) {
      if (m.dtype === 'string') {
        out[m.name] = decodeFixedStrings(raw, m.size, n, false, rec, m.offset);
        continue;
      }
      const dtype = m.dtype;
      if (!isNumericDtype(dtype)) continue;
      const col = new Uint8Array(n * m.size);
      for (let i = 0; i < n; i++) {
        const src = i * rec + m.offset;
        col.set(raw.subarray(src, src + m.size), i * m.size);
      }
      const mm = mdMembers.find((x) => x.name === m.name);
      if (mm !== undefined && !mm.littleEndian && m.size > 1 && !convertedToLE) swapBytesInPlace(col, m.size as 2 | 4 | 8);
      out[m.name] = arrayOfBytes(dtype, col, n);
    }
    return out;
  }

  close(): void {
    if (this.fid === undefined) return;
    const id = this.fid;
    this.fid = undefined;
    this.metaCache.clear();
    let flushError: unknown;
    if (this.mode !== 'r') {
      clearCaptured();
      try {
        this.M.flush(id);
      } catch (error) {
        flushError = error;
      }
      const stack = takeCaptured();
      if (stack !== '' || flushError !== undefined) {
        flushError = hdf5Failure('HDF5_WRITE', 'cannot flush on close', this.path, undefined, flushError, stack);
      }
    }
    clearCaptured();
    let status = 0;
    try {
      status = this.M.close_file(id);
    } catch (error) {
      throw hdf5Failure('HDF5_WRITE', 'cannot close', this.path, undefined, error, takeCaptured());
    }
    const stack = takeCaptured();
    if (stack !== '' || status < 0) {
      throw hdf5Failure('HDF5_WRITE', 'cannot close', this.path, undefined, new Error(`close_file returned ${status}`), stack);
    }
    if (flushError !== undefined) throw flushError;
  }
}
