import { formatFixed, POWERS_OF_TEN, roundScaled } from './printf.js';

/**
 * A growable buffer of CSV text (ASCII bytes), reused across sources so the
 * hot loop allocates nothing: numbers are written as digits directly,
 * constant pieces are copied from pre-encoded slices. (Binary records are
 * built with core's `ByteBuilder`; this one only ever holds text.)
 */
export class CsvTextBuilder {
  bytes: Uint8Array;
  length = 0;

  constructor(initial = 1 << 16) {
    this.bytes = new Uint8Array(initial);
  }

  /** Forget the content, keep the memory. */
  clear(): void {
    this.length = 0;
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Append pre-encoded bytes. */
  put(chunk: Uint8Array): void {
    const n = chunk.length;
    this.reserve(n);
    if (n < 48) {
      // Short pieces: a plain loop beats TypedArray#set's call overhead.
      const b = this.bytes;
      let p = this.length;
      for (let i = 0; i < n; i++) b[p++] = chunk[i];
      this.length = p;
    } else {
      this.bytes.set(chunk, this.length);
      this.length += n;
    }
  }

  /** Append one byte (e.g. a comma). */
  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Append an ASCII string. */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.bytes[this.length++] = text.charCodeAt(i);
  }

  /**
   * Append `value` as printf `%.<digits>f` (NaN appends nothing: an empty
   * CSV field). Same rounding as {@link formatFixed}.
   */
  fixed(value: number, digits: number): void {
    if (value !== value) return;
    const negative = value < 0 || (value === 0 && 1 / value < 0);
    const x = negative ? -value : value;
    const n = x === Infinity ? -1 : roundScaled(x, digits);
    if (n < 0) {
      this.ascii(formatFixed(value, digits));
      return;
    }
    this.reserve(digits + 24);
    const b = this.bytes;
    let p = this.length;
    if (negative) b[p++] = 45; // '-'
    const scale = POWERS_OF_TEN[digits];
    let whole = Math.floor(n / scale);
    let frac = n - whole * scale;
    // Integer part, most significant digit first.
    let width = 1;
    for (let t = whole; t >= 10; t = Math.floor(t / 10)) width++;
    for (let k = width - 1; k >= 0; k--) {
      const q = Math.floor(whole / 10);
      b[p + k] = 48 + (whole - q * 10);
      whole = q;
    }
    p += width;
    if (digits > 0) {
      b[p++] = 46; // '.'
      for (let k = digits - 1; k >= 0; k--) {
        const q = Math.floor(frac / 10);
        b[p + k] = 48 + (frac - q * 10);
        frac = q;
      }
      p += digits;
    }
    this.length = p;
  }

  /** The content as text (copies). */
  toString(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length).toString('latin1');
  }
}

/** Encode ASCII text once. */
export function encodeAscii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
