/**
 * A growable byte buffer for encoding binary structures (HDF5 objects, GWF
 * structures, ...) in a byte order chosen once: `new ByteBuilder({
 * littleEndian: true })`. Methods append and return `this` so calls chain;
 * `patch*` overwrite earlier positions (lengths and checksums known last).
 */
export class ByteBuilder {
  private buf: Uint8Array;
  private view: DataView;
  /** Byte order of every multi-byte value written. */
  readonly littleEndian: boolean;
  /** Number of bytes written so far. */
  length = 0;

  constructor(options: { littleEndian: boolean; capacity?: number }) {
    this.littleEndian = options.littleEndian;
    this.buf = new Uint8Array(Math.max(16, options.capacity ?? 256));
    this.view = new DataView(this.buf.buffer);
  }

  /** Reserve `n` bytes at the end; returns their offset (call before reading `this.view`: it may replace the buffer). */
  private grow(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < at + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = at + n;
    return at;
  }

  u8(v: number): this {
    const at = this.grow(1);
    this.buf[at] = v & 0xff;
    return this;
  }

  i8(v: number): this {
    const at = this.grow(1);
    this.view.setInt8(at, v);
    return this;
  }

  u16(v: number): this {
    const at = this.grow(2);
    this.view.setUint16(at, v, this.littleEndian);
    return this;
  }

  i16(v: number): this {
    const at = this.grow(2);
    this.view.setInt16(at, v, this.littleEndian);
    return this;
  }

  u32(v: number): this {
    const at = this.grow(4);
    this.view.setUint32(at, v >>> 0, this.littleEndian);
    return this;
  }

  i32(v: number): this {
    const at = this.grow(4);
    this.view.setInt32(at, v | 0, this.littleEndian);
    return this;
  }

  /**
   * An 8-byte unsigned integer from a number (exact below 2^53) or a bigint;
   * `undefined` writes all ones (HDF5's undefined address).
   */
  u64(v: number | bigint | undefined): this {
    const at = this.grow(8);
    if (v === undefined) {
      this.view.setBigUint64(at, 0xffffffffffffffffn, this.littleEndian);
    } else if (typeof v === 'bigint') {
      this.view.setBigUint64(at, v, this.littleEndian);
    } else {
      const lo = v % 0x100000000;
      const hi = Math.floor(v / 0x100000000);
      this.view.setUint32(this.littleEndian ? at : at + 4, lo, this.littleEndian);
      this.view.setUint32(this.littleEndian ? at + 4 : at, hi, this.littleEndian);
    }
    return this;
  }

  /** An 8-byte signed integer. */
  i64(v: number | bigint): this {
    const at = this.grow(8);
    this.view.setBigInt64(at, typeof v === 'bigint' ? v : BigInt(v), this.littleEndian);
    return this;
  }

  f32(v: number): this {
    const at = this.grow(4);
    this.view.setFloat32(at, v, this.littleEndian);
    return this;
  }

  f64(v: number): this {
    const at = this.grow(8);
    this.view.setFloat64(at, v, this.littleEndian);
    return this;
  }

  /** Raw bytes, copied as they are. */
  bytes(b: Uint8Array): this {
    const at = this.grow(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** `n` zero bytes. */
  zeros(n: number): this {
    const at = this.grow(n);
    this.buf.fill(0, at, at + n);
    return this;
  }

  /** Overwrite a u16 written earlier at `at`. */
  patchU16(at: number, v: number): void {
    this.view.setUint16(at, v, this.littleEndian);
  }

  /** Overwrite a u32 written earlier at `at`. */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, this.littleEndian);
  }

  /** The bytes written so far: a view, valid until the next write. */
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
