/**
 * Hdf5File backed by h5wasm (the HDF5 C library in WebAssembly): every read,
 * and writes to files that already exist (modes 'r+' and 'a').
 *
 * Data never goes through h5wasm's `.value` (which builds one JS array per vlen
 * row): we call the module's `get_dataset_data` with a hyperslab into a WASM
 * buffer and copy the bytes out once, in blocks so the WASM heap (which never
 * shrinks) stays small whatever the dataset size.
 */
import type { NumericArray } from '@astro/core';
import { swapBytesInPlace } from '@astro/core';
import type { Metadata } from 'h5wasm/node';
import { Hdf5Error } from '../errors.js';
import type { Hdf5ErrorCode } from '../errors.js';
import type {
  AttrValue,
  CompoundMemberInfo,
  CreateDatasetSpec,
  CreateVlenDatasetSpec,
  DatasetInfo,
  Hdf5Dtype,
  Hdf5Entry,
  Hdf5File,
  Hdf5Mode,
  NumericDtype,
  ReadCompoundOptions,
  RowRange,
  VlenColumn,
} from '../types.js';
import { H5T, NUMERIC_DTYPES, numericDtypeOf } from './dtype.js';
import type { H5Module } from './module.js';
import { clearCaptured, summarizeHdf5Stack, takeCaptured } from './module.js';
import { baseName, joinPath, normalizePath, parentOf } from './paths.js';
import { decodeFixedStrings } from './strings.js';
import { prepareAttr, prepareDataset, resolveRange } from './write-prep.js';

/** Bytes copied per block on numeric reads (bounds the WASM heap). */
const BLOCK_BYTES = 16 * 1024 * 1024;
const H5S_UNLIMITED = 18446744073709551615n;
const FILTER_NAMES: Record<number, string> = { 1: 'gzip', 2: 'shuffle', 3: 'fletcher32', 4: 'szip', 5: 'nbit', 6: 'scaleoffset', 32000: 'lzf', 32001: 'blosc', 32004: 'lz4', 32008: 'bitshuffle', 32015: 'zstd' };

/** Object kinds from H5Gget_objinfo. */
const H5G = { GROUP: 0, DATASET: 1, TYPE: 2, LINK: 3, UDLINK: 4 } as const;

interface DatasetMeta {
  md: Metadata;
  info: DatasetInfo;
}

/** Turn a WASM-side failure (thrown value and/or captured HDF5 stack) into an Hdf5Error. */
export function hdf5Failure(
  code: Hdf5ErrorCode,
  what: string,
  file: string,
  dataset: string | undefined,
  thrown: unknown,
  stack: string,
): Hdf5Error {
  const summary = stack !== '' ? summarizeHdf5Stack(stack) : thrown instanceof Error ? thrown.message : String(thrown);
  let cause: unknown = thrown;
  if (stack !== '') cause = new Error(stack, thrown === undefined ? undefined : { cause: thrown });
  else if (!(thrown instanceof Error)) cause = new Error(String(thrown));
  return new Hdf5Error(`${what}: ${summary}`, { code, file, dataset, cause });
}

export class WasmHdf5File implements Hdf5File {
  readonly path: string;
  readonly mode: Hdf5Mode;
  private fid: bigint | undefined;
  private readonly M: H5Module;
  private readonly metaCache = new Map<string, DatasetMeta>();

  constructor(M: H5Module, path: string, mode: Hdf5Mode, fid: bigint) {
    this.M = M;
    this.path = path;
    this.mode = mode;
    this.fid = fid;
  }

  // ---------------------------------------------------------------- plumbing

  private get id(): bigint {
    if (this.fid === undefined) {
      throw new Hdf5Error('file is closed (open it again with openHdf5)', { code: 'HDF5_MODE', file: this.path });
    }
    return this.fid;
  }

  /** Run one call into the module; a throw or any HDF5 error text makes it fail. */
  private call<T>(code: Hdf5ErrorCode, what: string, dataset: string | undefined, fn: () => T): T {
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

  private error(code: Hdf5ErrorCode, message: string, dataset?: string, cause?: unknown): Hdf5Error {
    return new Hdf5Error(message, { code, file: this.path, dataset, cause });
  }

  private requireWritable(p: string): void {
    void this.id;
    if (this.mode === 'r') {
      throw this.error('HDF5_MODE', "file is open read-only (open it with mode 'r+' or 'a' to write)", p);
    }
  }

  /** H5G object type of `p`, or -1 when nothing is there. */
  private typeOf(p: string): number {
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

  private malloc(nbytes: number, p: string): number {
    const ptr = this.M._malloc(Math.max(1, nbytes));
    if (ptr === 0) {
      throw this.error('HDF5_READ', `cannot allocate ${nbytes} bytes in the WebAssembly heap (read fewer rows at a time)`, p);
    }
    return ptr;
  }

  private meta(p: string): DatasetMeta {
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
      const arr = new NUMERIC_DTYPES[dtype].ctor(bytes.buffer, 0, count);
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
    if (info.dtype in NUMERIC_DTYPES) {
      const bytes = this.readRaw(p, md, info.shape, start, end);
      const ctor = NUMERIC_DTYPES[info.dtype as NumericDtype].ctor;
      return new ctor(bytes.buffer, 0, bytes.length / ctor.BYTES_PER_ELEMENT);
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
    const base = NUMERIC_DTYPES[info.vlen.base];
    const bsize = base.size;
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
    const values = new base.ctor(all.buffer, all.byteOffset, total);
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
      wanted = members.filter((m) => m.dtype in NUMERIC_DTYPES || (m.dtype === 'string' && m.stringLength !== undefined));
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
      const spec = NUMERIC_DTYPES[m.dtype as NumericDtype];
      const col = new Uint8Array(n * m.size);
      for (let i = 0; i < n; i++) {
        const src = i * rec + m.offset;
        col.set(raw.subarray(src, src + m.size), i * m.size);
      }
      const mm = mdMembers.find((x) => x.name === m.name);
      if (mm !== undefined && !mm.littleEndian && m.size > 1 && !convertedToLE) swapBytesInPlace(col, m.size as 2 | 4 | 8);
      out[m.name] = new spec.ctor(col.buffer, 0, n);
    }
    return out;
  }

  // ---------------------------------------------------------------- writing

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

  createDataset(path: string, spec: CreateDatasetSpec): void {
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


function maxDim(d: number): number | null {
  return d >= Number.MAX_SAFE_INTEGER ? null : d;
}

function memberInfo(m: Metadata & { name?: string; offset?: number }): CompoundMemberInfo {
  const t = dtypeOf(m);
  const out: CompoundMemberInfo = { name: m.name ?? '', dtype: t.dtype, offset: m.offset ?? 0, size: m.size };
  if (t.stringLength !== undefined) out.stringLength = t.stringLength;
  return out;
}

function dtypeOf(md: Metadata): { dtype: Hdf5Dtype; stringLength?: number; vlenBase?: NumericDtype } {
  switch (md.type) {
    case H5T.INTEGER:
    case H5T.FLOAT:
      return { dtype: numericDtypeOf(md.type, md.size, md.signed) ?? 'other' };
    case H5T.ENUM:
      return { dtype: numericDtypeOf(md.enum_type?.type ?? -1, md.size, md.signed) ?? 'other' };
    case H5T.STRING:
      return md.vlen ? { dtype: 'string' } : { dtype: 'string', stringLength: md.size };
    case H5T.COMPOUND:
      return { dtype: 'compound' };
    case H5T.VLEN: {
      const b = md.vlen_type;
      const base = b === undefined ? undefined : numericDtypeOf(b.type, b.size, b.signed);
      return base === undefined ? { dtype: 'other' } : { dtype: `vlen<${base}>`, vlenBase: base };
    }
    default:
      return { dtype: 'other' };
  }
}

function buildInfo(p: string, md: Metadata, filters: string[]): DatasetInfo {
  const t = dtypeOf(md);
  const info: DatasetInfo = { path: p, shape: md.shape ?? [], dtype: t.dtype, elementSize: md.size };
  if (t.vlenBase !== undefined) info.vlen = { base: t.vlenBase };
  if (t.dtype === 'string') {
    if (t.stringLength !== undefined) info.stringLength = t.stringLength;
    info.stringPadding = md.strpad === 2 ? 'spacepad' : md.strpad === 1 ? 'nullpad' : 'nullterm';
    info.charset = md.cset === 1 ? 'utf-8' : 'ascii';
  }
  if (t.dtype === 'compound' && md.compound_type !== undefined) {
    info.members = md.compound_type.members.map(memberInfo);
  }
  if (md.chunks !== null && md.chunks !== undefined) info.chunks = [...md.chunks];
  if (md.maxshape !== null && md.maxshape !== undefined) info.maxshape = md.maxshape.map(maxDim);
  if (filters.length > 0) {
    info.filters = filters;
    info.shuffle = filters.includes('shuffle');
    const comp = filters.find((f) => f !== 'shuffle' && f !== 'fletcher32');
    if (comp !== undefined) info.compression = comp;
  }
  return info;
}

