/**
 * Serialise a {@link GroupNode} tree into an HDF5 file (format spec 3.0):
 * superblock v2, version-2 object headers with compact links, datasets with
 * contiguous or chunked (v1 B-tree, layout v3) storage, shuffle / deflate /
 * lzf filters, variable-length numeric data and string attributes in global
 * heap collections. Read back by HDF5 >= 1.8 (h5py, h5wasm).
 *
 * Layout of the file: superblock | object headers | chunk B-tree nodes |
 * global heap collections | raw data (contiguous blocks and chunks).
 */
import { deflateSync } from 'node:zlib';
import { ByteBuilder, DTYPE_SIZE } from '@astro/core';
import { lookup3 } from './lookup3.js';
import type { DatasetNode, GroupNode } from './model.js';
import type { PreparedAttr } from '../write-prep.js';
import { H5_NUMERIC } from '../dtype.js';
import type { NumericDtype } from '../../types.js';
import { lzfCompress } from './lzf.js';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunk B-tree K (HDF5 default istore K = 32): at most 64 children per node. */
const BTREE_2K = 64;
const HEAP_TARGET = 1 << 20;
const HEAP_MIN = 4096;

const align8 = (n: number): number => (n + 7) & ~7;
const product = (d: readonly number[]): number => d.reduce((a, b) => a * b, 1);
const utf8 = new TextEncoder();
/** A little-endian byte builder (HDF5 stores its structures little-endian). */
const le = (capacity?: number): ByteBuilder => new ByteBuilder({ littleEndian: true, capacity });

// ------------------------------------------------------------------ global heap

interface HeapRef {
  coll: number;
  index: number;
}

class HeapBuilder {
  readonly collections: { objects: Uint8Array[]; used: number; addr: number; size: number }[] = [];

  add(bytes: Uint8Array): HeapRef {
    const need = 16 + align8(bytes.length);
    let cur = this.collections[this.collections.length - 1];
    if (cur === undefined || cur.objects.length >= 65535 || (cur.used + need > HEAP_TARGET && cur.objects.length > 0)) {
      cur = { objects: [], used: 16, addr: 0, size: 0 };
      this.collections.push(cur);
    }
    cur.objects.push(bytes);
    cur.used += need;
    return { coll: this.collections.length - 1, index: cur.objects.length };
  }

  finishSizes(): void {
    for (const c of this.collections) c.size = Math.max(HEAP_MIN, align8(c.used));
  }

  encode(c: { objects: Uint8Array[]; used: number; size: number }): Uint8Array {
    const w = le(c.size);
    w.bytes(utf8.encode('GCOL')).u8(1).zeros(3).u64(c.size);
    c.objects.forEach((obj, i) => {
      w.u16(i + 1).u16(0).u32(0).u64(obj.length).bytes(obj).zeros(align8(obj.length) - obj.length);
    });
    const rest = c.size - w.length;
    if (rest >= 16) w.u16(0).u16(0).u32(0).u64(rest).zeros(rest - 16);
    else w.zeros(rest);
    return w.result();
  }
}

// ------------------------------------------------------------------ datatypes

type TypeSpec =
  | { kind: 'numeric'; dtype: NumericDtype }
  | { kind: 'string'; size: number; utf8: boolean }
  | { kind: 'vlen'; base: NumericDtype }
  | { kind: 'vstring' };

function encodeDatatype(w: ByteBuilder, t: TypeSpec): void {
  switch (t.kind) {
    case 'numeric': {
      const s = { ...H5_NUMERIC[t.dtype], size: DTYPE_SIZE[t.dtype] };
      if (s.h5class === 0) {
        w.u8(0x10).u8(s.signed ? 0x08 : 0).u8(0).u8(0).u32(s.size).u16(0).u16(s.size * 8);
      } else {
        const f32 = s.size === 4;
        w.u8(0x11).u8(0x20).u8(f32 ? 31 : 63).u8(0).u32(s.size);
        w.u16(0).u16(s.size * 8).u8(f32 ? 23 : 52).u8(f32 ? 8 : 11).u8(0).u8(f32 ? 23 : 52).u32(f32 ? 127 : 1023);
      }
      return;
    }
    case 'string':
      // NUL-padded, as h5py writes numpy 'S<n>'; labelled UTF-8 when any byte is non-ASCII.
      w.u8(0x13).u8(0x01 | (t.utf8 ? 0x10 : 0)).u8(0).u8(0).u32(t.size);
      return;
    case 'vlen':
      w.u8(0x19).u8(0).u8(0).u8(0).u32(16);
      encodeDatatype(w, { kind: 'numeric', dtype: t.base });
      return;
    case 'vstring':
      // Variable-length UTF-8 string (h5py's str), base type unsigned char.
      w.u8(0x19).u8(0x01).u8(0x01).u8(0).u32(16);
      w.u8(0x10).u8(0).u8(0).u8(0).u32(1).u16(0).u16(8);
      return;
  }
}

function encodeDataspace(w: ByteBuilder, shape: number[], maxshape?: (number | null)[]): void {
  w.u8(2).u8(shape.length).u8(maxshape !== undefined && shape.length > 0 ? 1 : 0).u8(shape.length === 0 ? 0 : 1);
  for (const d of shape) w.u64(d);
  if (maxshape !== undefined && shape.length > 0) for (const m of maxshape) w.u64(m === null ? undefined : m);
}

// ------------------------------------------------------------------ object headers

interface Message {
  type: number;
  flags?: number;
  body: Uint8Array;
}

function encodeObjectHeader(messages: Message[]): Uint8Array {
  const size = messages.reduce((s, m) => s + 4 + m.body.length, 0);
  const w = le(16 + size);
  w.bytes(utf8.encode('OHDR')).u8(2).u8(0x02).u32(size);
  for (const m of messages) w.u8(m.type).u16(m.body.length).u8(m.flags ?? 0).bytes(m.body);
  w.u32(lookup3(w.result()));
  return w.result().slice();
}

function attrTypeSpec(a: PreparedAttr): TypeSpec {
  return a.strings !== undefined ? { kind: 'vstring' } : { kind: 'numeric', dtype: a.dtype as NumericDtype };
}

function attributeMessage(name: string, a: PreparedAttr, heapRefs: HeapRef[] | undefined, collAddr: (c: number) => number): Message {
  const nameBytes = utf8.encode(name);
  const dt = le();
  encodeDatatype(dt, attrTypeSpec(a));
  const ds = le();
  encodeDataspace(ds, a.shape);
  const w = le();
  w.u8(3).u8(0).u16(nameBytes.length + 1).u16(dt.length).u16(ds.length).u8(1);
  w.bytes(nameBytes).u8(0).bytes(dt.result()).bytes(ds.result());
  if (a.strings !== undefined) {
    a.strings.forEach((s, i) => {
      const len = utf8.encode(s).length;
      const ref = heapRefs?.[i];
      w.u32(len);
      if (ref === undefined) w.u64(0).u32(0);
      else w.u64(collAddr(ref.coll)).u32(ref.index);
    });
  } else {
    w.bytes(a.bytes);
  }
  return { type: 0x0c, body: w.result().slice() };
}

// ------------------------------------------------------------------ chunks

/** Copy the chunk at `scaled` (chunk grid coordinates) out of row-major `src`. */
function extractChunk(src: Uint8Array, shape: number[], chunks: number[], scaled: number[], es: number): Uint8Array {
  const out = new Uint8Array(product(chunks) * es);
  const rank = shape.length;
  const start = scaled.map((s, d) => s * chunks[d]);
  const last = rank - 1;
  const runLen = Math.max(0, Math.min(chunks[last], shape[last] - start[last]));
  if (runLen === 0) return out;
  // strides in elements
  const srcStride = new Array<number>(rank).fill(1);
  const dstStride = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    srcStride[d] = srcStride[d + 1] * shape[d + 1];
    dstStride[d] = dstStride[d + 1] * chunks[d + 1];
  }
  const idx = new Array<number>(rank).fill(0);
  for (;;) {
    let inside = true;
    let s = 0;
    let t = 0;
    for (let d = 0; d < last; d++) {
      if (start[d] + idx[d] >= shape[d]) inside = false;
      s += (start[d] + idx[d]) * srcStride[d];
      t += idx[d] * dstStride[d];
    }
    if (inside) {
      s += start[last];
      out.set(src.subarray(s * es, (s + runLen) * es), t * es);
    }
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      if (idx[d] < chunks[d]) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) break;
  }
  return out;
}

function shuffleBytes(b: Uint8Array, es: number): Uint8Array {
  if (es <= 1) return b;
  const n = Math.floor(b.length / es);
  const out = new Uint8Array(b.length);
  for (let j = 0; j < es; j++) {
    const base = j * n;
    for (let i = 0; i < n; i++) out[base + i] = b[i * es + j];
  }
  out.set(b.subarray(n * es), n * es);
  return out;
}

interface ChunkPlan {
  scaled: number[];
  bytes: Uint8Array;
  addr: number;
  /** Bit i set: filter i of the pipeline was skipped for this chunk. */
  mask: number;
}

interface BtreeNode {
  level: number;
  /** children: chunk indices (level 0) or node indices (level > 0). */
  children: number[];
  addr: number;
  firstChunk: number;
  lastChunk: number;
}

interface DatasetPlan {
  node: DatasetNode;
  /** Raw element bytes (vlen: heap descriptors, filled after heap addresses are known). */
  contiguous?: { bytes: Uint8Array; addr: number };
  chunks?: ChunkPlan[];
  btree?: BtreeNode[];
  vlenRefs?: (HeapRef | undefined)[];
  keySize: number;
  nodeSize: number;
}

function btreeFor(nChunks: number): BtreeNode[] {
  const nodes: BtreeNode[] = [];
  if (nChunks === 0) return nodes;
  let level: number[] = [];
  for (let i = 0; i < nChunks; i += BTREE_2K) {
    const children = [];
    for (let j = i; j < Math.min(nChunks, i + BTREE_2K); j++) children.push(j);
    nodes.push({ level: 0, children, addr: 0, firstChunk: children[0], lastChunk: children[children.length - 1] });
    level.push(nodes.length - 1);
  }
  let lv = 0;
  while (level.length > 1) {
    lv++;
    const next: number[] = [];
    for (let i = 0; i < level.length; i += BTREE_2K) {
      const children = level.slice(i, i + BTREE_2K);
      nodes.push({
        level: lv,
        children,
        addr: 0,
        firstChunk: nodes[children[0]].firstChunk,
        lastChunk: nodes[children[children.length - 1]].lastChunk,
      });
      next.push(nodes.length - 1);
    }
    level = next;
  }
  return nodes; // root is the last node
}

function encodeKey(w: ByteBuilder, size: number, offsets: number[], elementDim: number, mask = 0): void {
  w.u32(size).u32(mask);
  for (const o of offsets) w.u64(o);
  w.u64(elementDim);
}

function encodeBtreeNode(plan: DatasetPlan, nodes: BtreeNode[], i: number): Uint8Array {
  const n = nodes[i];
  const ds = plan.node;
  const chunks = plan.chunks as ChunkPlan[];
  const cdims = ds.chunks as number[];
  const w = le(plan.nodeSize);
  const sameLevel = nodes.map((x, j) => ({ x, j })).filter(({ x }) => x.level === n.level).map(({ j }) => j);
  const pos = sameLevel.indexOf(i);
  const left = pos > 0 ? nodes[sameLevel[pos - 1]].addr : undefined;
  const right = pos < sameLevel.length - 1 ? nodes[sameLevel[pos + 1]].addr : undefined;
  w.bytes(utf8.encode('TREE')).u8(1).u8(n.level).u16(n.children.length).u64(left).u64(right);
  const keyOfChunk = (c: number): void => {
    const ch = chunks[c];
    encodeKey(w, ch.bytes.length, ch.scaled.map((s, d) => s * cdims[d]), 0, ch.mask);
  };
  n.children.forEach((child, k) => {
    if (n.level === 0) {
      keyOfChunk(child);
      w.u64(chunks[child].addr);
    } else {
      keyOfChunk(nodes[child].firstChunk);
      w.u64(nodes[child].addr);
    }
    void k;
  });
  // Right key: the first chunk of the next node, or past the last chunk.
  if (n.lastChunk + 1 < chunks.length) keyOfChunk(n.lastChunk + 1);
  else {
    const lastScaled = chunks[n.lastChunk].scaled;
    encodeKey(w, 0, lastScaled.map((s, d) => (s + 1) * cdims[d]), ds.elementSize);
  }
  w.zeros(plan.nodeSize - w.length);
  return w.result();
}

function filterMessage(ds: DatasetNode, chunkBytes: number): Message | undefined {
  const filters: { id: number; name?: string; cd: number[] }[] = [];
  if (ds.shuffle) filters.push({ id: 2, cd: [ds.elementSize] });
  if (ds.compression === 'gzip') filters.push({ id: 1, cd: [ds.level] });
  if (ds.compression === 'lzf') filters.push({ id: 32000, name: 'lzf', cd: [4, 261, chunkBytes] });
  if (filters.length === 0) return undefined;
  const w = le();
  w.u8(2).u8(filters.length);
  for (const f of filters) {
    // Version 2: id, [name length], flags, #client values, [name], client values.
    const nm = utf8.encode(f.name ?? '');
    w.u16(f.id);
    if (f.id >= 256) w.u16(nm.length + 1);
    w.u16(1).u16(f.cd.length);
    if (f.id >= 256) w.bytes(nm).u8(0);
    for (const v of f.cd) w.u32(v);
  }
  return { type: 0x0b, body: w.result().slice() };
}

function compressChunk(ds: DatasetNode, raw: Uint8Array): { bytes: Uint8Array; mask: number } {
  let b = ds.shuffle ? shuffleBytes(raw, ds.elementSize) : raw;
  let mask = 0;
  if (ds.compression === 'gzip') b = deflateSync(b, { level: ds.level });
  else if (ds.compression === 'lzf') {
    const c = lzfCompress(b);
    // lzf is an optional filter: when it does not shrink the chunk, store it raw and mark it skipped.
    if (c === undefined) mask |= 1 << (ds.shuffle ? 1 : 0);
    else b = c;
  }
  return { bytes: b, mask };
}

// ------------------------------------------------------------------ the file

interface ObjectPlan {
  path: string;
  node: GroupNode | DatasetNode;
  addr: number;
  size: number;
  dataset?: DatasetPlan;
  attrRefs: Map<string, HeapRef[]>;
}

/** Pieces of the file in order, with their byte offsets, and the total size. */
export interface SerializedFile {
  pieces: { offset: number; bytes: Uint8Array }[];
  size: number;
}

/** Serialise the tree rooted at `root`. */
export function serializeHdf5(root: GroupNode): SerializedFile {
  const heap = new HeapBuilder();
  const objects: ObjectPlan[] = [];
  const byNode = new Map<GroupNode | DatasetNode, ObjectPlan>();

  const visit = (path: string, node: GroupNode | DatasetNode): void => {
    const plan: ObjectPlan = { path, node, addr: 0, size: 0, attrRefs: new Map() };
    objects.push(plan);
    byNode.set(node, plan);
    for (const [name, a] of node.attrs) {
      if (a.strings !== undefined) plan.attrRefs.set(name, a.strings.map((s) => heap.add(utf8.encode(s))));
    }
    if (node.kind === 'group') {
      for (const [name, child] of node.children) visit(path === '/' ? `/${name}` : `${path}/${name}`, child);
    } else {
      plan.dataset = planDataset(node, heap);
    }
  };
  visit('/', root);
  heap.finishSizes();

  const collAddr = (c: number): number => heap.collections[c].addr;
  const childAddr = (n: GroupNode | DatasetNode): number => (byNode.get(n) as ObjectPlan).addr;

  // Pass 1: sizes (addresses are fixed-width, so sizes do not depend on them).
  for (const o of objects) o.size = encodeObject(o, collAddr, childAddr).length;
  let pos = 48;
  for (const o of objects) {
    o.addr = pos;
    pos += o.size;
  }
  for (const o of objects) {
    for (const n of o.dataset?.btree ?? []) {
      n.addr = pos;
      pos += (o.dataset as DatasetPlan).nodeSize;
    }
  }
  for (const c of heap.collections) {
    c.addr = pos;
    pos += c.size;
  }
  // Raw data: vlen descriptors need the heap addresses, chunks are compressed now.
  for (const o of objects) {
    const d = o.dataset;
    if (d === undefined) continue;
    const raw = rawElements(d, collAddr);
    if (d.node.chunks === undefined) {
      d.contiguous = { bytes: raw, addr: raw.length === 0 ? -1 : pos };
      pos += raw.length;
    } else {
      for (const ch of d.chunks ?? []) {
        const c = compressChunk(d.node, extractChunk(raw, d.node.shape, d.node.chunks, ch.scaled, d.node.elementSize));
        ch.bytes = c.bytes;
        ch.mask = c.mask;
        ch.addr = pos;
        pos += ch.bytes.length;
      }
    }
  }
  const eof = pos;

  // Pass 2: encode everything with the final addresses.
  const pieces: { offset: number; bytes: Uint8Array }[] = [];
  const sb = le(48);
  sb.bytes(Uint8Array.from(SIGNATURE)).u8(2).u8(8).u8(8).u8(0).u64(0).u64(undefined).u64(eof).u64(objects[0].addr);
  sb.u32(lookup3(sb.result()));
  pieces.push({ offset: 0, bytes: sb.result() });
  for (const o of objects) {
    const bytes = encodeObject(o, collAddr, childAddr);
    if (bytes.length !== o.size) throw new Error(`internal: object header ${o.path} changed size`);
    pieces.push({ offset: o.addr, bytes });
  }
  for (const o of objects) {
    const d = o.dataset;
    if (d?.btree === undefined) continue;
    d.btree.forEach((n, i) => pieces.push({ offset: n.addr, bytes: encodeBtreeNode(d, d.btree as BtreeNode[], i) }));
  }
  for (const c of heap.collections) pieces.push({ offset: c.addr, bytes: heap.encode(c) });
  for (const o of objects) {
    const d = o.dataset;
    if (d === undefined) continue;
    if (d.contiguous !== undefined && d.contiguous.bytes.length > 0) pieces.push({ offset: d.contiguous.addr, bytes: d.contiguous.bytes });
    for (const ch of d.chunks ?? []) pieces.push({ offset: ch.addr, bytes: ch.bytes });
  }
  return { pieces, size: eof };
}

function planDataset(node: DatasetNode, heap: HeapBuilder): DatasetPlan {
  const rank = node.shape.length;
  const keySize = 8 + 8 * (rank + 1);
  const plan: DatasetPlan = { node, keySize, nodeSize: 24 + BTREE_2K * 8 + (BTREE_2K + 1) * keySize };
  if (node.vlen) {
    const offs = node.vlenOffsets as Float64Array;
    const bytes = node.vlenBytes as Uint8Array;
    const refs: (HeapRef | undefined)[] = [];
    for (let i = 0; i + 1 < offs.length; i++) {
      const a = offs[i] * node.baseSize;
      const b = offs[i + 1] * node.baseSize;
      refs.push(b > a ? heap.add(bytes.subarray(a, b)) : undefined);
    }
    plan.vlenRefs = refs;
  }
  if (node.chunks !== undefined) {
    const grid = node.shape.map((d, i) => Math.ceil(d / (node.chunks as number[])[i]));
    const total = product(grid);
    const chunks: ChunkPlan[] = [];
    if (total > 0) {
      const idx = new Array<number>(rank).fill(0);
      for (let k = 0; k < total; k++) {
        chunks.push({ scaled: idx.slice(), bytes: new Uint8Array(0), addr: 0, mask: 0 });
        for (let d = rank - 1; d >= 0; d--) {
          idx[d]++;
          if (idx[d] < grid[d]) break;
          idx[d] = 0;
        }
      }
    }
    plan.chunks = chunks;
    plan.btree = btreeFor(chunks.length);
  }
  return plan;
}

function rawElements(d: DatasetPlan, collAddr: (c: number) => number): Uint8Array {
  const node = d.node;
  if (!node.vlen) return (node.data as { view(): Uint8Array }).view();
  const offs = node.vlenOffsets as Float64Array;
  const n = offs.length - 1;
  const w = le(16 * n + 1);
  const refs = d.vlenRefs as (HeapRef | undefined)[];
  for (let i = 0; i < n; i++) {
    const ref = refs[i];
    w.u32(offs[i + 1] - offs[i]);
    if (ref === undefined) w.u64(0).u32(0);
    else w.u64(collAddr(ref.coll)).u32(ref.index);
  }
  return w.result();
}

function encodeObject(
  o: ObjectPlan,
  collAddr: (c: number) => number,
  childAddr: (n: GroupNode | DatasetNode) => number,
): Uint8Array {
  const messages: Message[] = [];
  const node = o.node;
  if (node.kind === 'group') {
    const li = le();
    li.u8(0).u8(0).u64(undefined).u64(undefined);
    messages.push({ type: 0x02, body: li.result().slice() });
    messages.push({ type: 0x0a, body: Uint8Array.of(0, 0) });
    for (const [name, child] of node.children) {
      const nm = utf8.encode(name);
      const w = le();
      const wide = nm.length > 255;
      w.u8(1).u8((wide ? 1 : 0) | 0x10).u8(1);
      if (wide) w.u16(nm.length);
      else w.u8(nm.length);
      w.bytes(nm).u64(childAddr(child));
      messages.push({ type: 0x06, body: w.result().slice() });
    }
  } else {
    const d = o.dataset as DatasetPlan;
    const ds = le();
    encodeDataspace(ds, node.shape, node.maxshape);
    messages.push({ type: 0x01, body: ds.result().slice() });
    const dt = le();
    const spec: TypeSpec = node.vlen
      ? { kind: 'vlen', base: node.dtype as NumericDtype }
      : node.dtype === 'string'
        ? { kind: 'string', size: node.elementSize, utf8: (node.data as { view(): Uint8Array }).view().some((b) => b >= 0x80) }
        : { kind: 'numeric', dtype: node.dtype };
    encodeDatatype(dt, spec);
    messages.push({ type: 0x03, flags: 1, body: dt.result().slice() });
    const chunked = node.chunks !== undefined;
    messages.push({ type: 0x05, flags: 1, body: Uint8Array.of(3, (chunked ? 3 : 2) | 0x08) });
    const lay = le();
    if (chunked) {
      const root = d.btree !== undefined && d.btree.length > 0 ? d.btree[d.btree.length - 1].addr : undefined;
      lay.u8(3).u8(2).u8(node.shape.length + 1).u64(root);
      for (const c of node.chunks as number[]) lay.u32(c);
      lay.u32(node.elementSize);
    } else {
      const c = d.contiguous;
      const size = product(node.shape) * node.elementSize;
      lay.u8(3).u8(1).u64(c === undefined || c.addr < 0 || size === 0 ? undefined : c.addr).u64(size);
    }
    messages.push({ type: 0x08, body: lay.result().slice() });
    if (chunked) {
      const fm = filterMessage(node, product(node.chunks as number[]) * node.elementSize);
      if (fm !== undefined) messages.push(fm);
    }
  }
  for (const [name, a] of node.attrs) messages.push(attributeMessage(name, a, o.attrRefs.get(name), collAddr));
  return encodeObjectHeader(messages);
}
