/** In-memory model of a new HDF5 file, serialised by serialize.ts. */
import type { Compression, NumericDtype } from '../../types.js';
import type { PreparedAttr } from '../write-prep.js';

export interface GroupNode {
  kind: 'group';
  attrs: Map<string, PreparedAttr>;
  children: Map<string, GroupNode | DatasetNode>;
}

/** Growable byte store for fixed-size elements (appends double the capacity). */
export class ByteStore {
  private buf: Uint8Array;
  length = 0;
  constructor(initial: Uint8Array) {
    this.buf = initial.slice();
    this.length = initial.length;
  }
  append(b: Uint8Array): void {
    if (this.length + b.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.length + b.length, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export interface DatasetNode {
  kind: 'dataset';
  /** Element type: numeric, fixed string, or vlen of a numeric base. */
  dtype: NumericDtype | 'string';
  vlen: boolean;
  /** Bytes per element in the file (vlen: 16, the heap descriptor). */
  elementSize: number;
  /** Size of a fixed string / of a vlen base value. */
  baseSize: number;
  stringLength?: number;
  shape: number[];
  maxshape: (number | null)[];
  chunks?: number[];
  compression: Compression;
  level: number;
  shuffle: boolean;
  attrs: Map<string, PreparedAttr>;
  /** Fixed-size elements, little-endian (not vlen). */
  data?: ByteStore;
  /** Vlen: all values back to back (little-endian bytes) and row offsets in values. */
  vlenBytes?: Uint8Array;
  vlenOffsets?: Float64Array;
}

export function newGroup(): GroupNode {
  return { kind: 'group', attrs: new Map(), children: new Map() };
}
