/**
 * Cursor over the bytes of one structure, in the file's byte order.
 * Reads past the end throw {@link StructOverrun}; callers turn it into a
 * GwfFormatError naming the file, frame and structure.
 */

/** Thrown when a field runs past the end of the structure. */
export class StructOverrun extends Error {
  constructor(
    readonly at: number,
    readonly need: number,
    readonly size: number,
  ) {
    super(`field at byte ${at} needs ${need} bytes but the structure ends at byte ${size}`);
  }
}

/** A (class, instance) reference to another structure; class 0 = null. */
export interface StructRef {
  classId: number;
  instance: number;
}

const latin1 = new TextDecoder('latin1');

let lastBuffer: ArrayBufferLike | undefined;
let lastView: DataView | undefined;
/** A DataView over the whole buffer, reused while the same buffer is read (the file window). */
export function wholeView(buffer: ArrayBufferLike): DataView {
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    lastView = new DataView(buffer);
  }
  return lastView!;
}

export class StructReader {
  readonly view: DataView;
  /** Offset of the structure in `view`. */
  private readonly base: number;
  pos = 0;
  /** Offset of the structure in `bytes`. */
  private readonly start: number;
  /** Bytes of the structure. */
  private readonly length: number;
  /**
   * Read the `length` bytes of `bytes` from `start` (default: all of it)
   * without creating a subarray.
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly version: number,
    start = 0,
    length = bytes.byteLength - start,
  ) {
    this.view = wholeView(bytes.buffer);
    this.start = start;
    this.length = length;
    this.base = bytes.byteOffset + start;
  }

  get size(): number {
    return this.length;
  }

  get remaining(): number {
    return this.length - this.pos;
  }

  /** Advance by n bytes; returns the absolute offset of the field in `view`. */
  need(n: number): number {
    const p = this.pos;
    if (n < 0 || p + n > this.length) throw new StructOverrun(p, n, this.length);
    this.pos = p + n;
    return this.base + p;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), this.littleEndian);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), this.littleEndian);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), this.littleEndian);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), this.littleEndian);
  }
  /** Unsigned 64-bit integer as a number (exact below 2^53). */
  u64(): number {
    const p = this.need(8);
    const lo = this.view.getUint32(this.littleEndian ? p : p + 4, this.littleEndian);
    const hi = this.view.getUint32(this.littleEndian ? p + 4 : p, this.littleEndian);
    return hi * 4294967296 + lo;
  }
  f32(): number {
    return this.view.getFloat32(this.need(4), this.littleEndian);
  }
  f64(): number {
    return this.view.getFloat64(this.need(8), this.littleEndian);
  }
  /** INT_8U in v6+, INT_4U in v4 (FrVect nData/nBytes, nx). */
  long(): number {
    return this.version >= 6 ? this.u64() : this.u32();
  }
  /** STRING: INT_2U length (including the NUL) then the characters. */
  string(): string {
    const n = this.u16();
    const p = this.need(n) - this.base + this.start;
    let end = p + n;
    const b = this.bytes;
    while (end > p && b[end - 1] === 0) end--;
    if (end - p <= 48) {
      // Short names: a loop beats TextDecoder's per-call overhead.
      let out = '';
      for (let i = p; i < end; i++) out += String.fromCharCode(b[i]);
      return out;
    }
    return latin1.decode(b.subarray(p, end));
  }
  /** PTR_STRUCT: INT_2U class then INT_4U instance (INT_2U before v6). */
  ref(): StructRef {
    const classId = this.u16();
    const instance = this.version >= 6 ? this.u32() : this.u16();
    return { classId, instance };
  }
  skip(n: number): void {
    this.need(n);
  }
  take(n: number): Uint8Array {
    const p = this.need(n) - this.base + this.start;
    return this.bytes.subarray(p, p + n);
  }
  /** Arrays of n values. */
  u32s(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.u32();
    return out;
  }
  i32s(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.i32();
    return out;
  }
  u64s(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.u64();
    return out;
  }
  f64s(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.f64();
    return out;
  }
  f32s(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.f32();
    return out;
  }
  strings(n: number): string[] {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = this.string();
    return out;
  }
  /** Guard a count read from the file against absurd values before allocating. */
  count(n: number, minBytesEach: number): number {
    if (n * minBytesEach > this.remaining) throw new StructOverrun(this.pos, n * minBytesEach, this.size);
    return n;
  }
}
