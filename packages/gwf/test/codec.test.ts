/**
 * The FrVect codec on inputs no reference file covers: compressed data from
 * big-endian writers (bit 0x100 clear), STRING vectors, FrameL's integration
 * rules (INT_8U is not integrated by code 3), exact wrap-around.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeVector } from '../src/internal/vector-codec.js';
import { compressZeroSuppressed } from '../src/internal/zero-suppress.js';

function be(values: number[], width: 2 | 4): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => (width === 2 ? dv.setInt16(i * 2, v, false) : dv.setInt32(i * 4, v, false)));
  return out;
}

describe('FrVect codec', () => {
  it('zlib from a big-endian writer (compress 1) is byte-swapped', () => {
    const values = [1, -2, 300000, -2147483648, 2147483647, 0, 42, 7];
    const out = decodeVector({ bytes: deflateSync(be(values, 4)), compress: 1, type: 4, nData: 8, fileLittleEndian: false });
    expect(Array.from(out as Int32Array)).toEqual(values);
  });

  it('diff+zlib (code 3) integrates with int16 wrap-around; big-endian words', () => {
    const values = [32767, -32768, 32767, 0, -1, 1, -32768, 100];
    const diffs = values.map((v, i) => (i === 0 ? v : ((v - values[i - 1]) << 16) >> 16));
    const out = decodeVector({ bytes: deflateSync(be(diffs, 2)), compress: 3, type: 1, nData: 8, fileLittleEndian: false });
    expect(Array.from(out as Int16Array)).toEqual(values);
  });

  it('code 3 leaves INT_8U un-integrated, as FrameL does', () => {
    const raw = new BigUint64Array([5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n]);
    const out = decodeVector({
      bytes: deflateSync(new Uint8Array(raw.buffer)),
      compress: 0x103,
      type: 11,
      nData: 8,
      fileLittleEndian: true,
    });
    expect(Array.from(out as BigUint64Array)).toEqual(Array.from(raw));
  });

  it('zero-suppress (code 8) from a big-endian writer: 32-bit words swapped before decoding', () => {
    const values = Int32Array.from({ length: 50 }, (_, i) => Math.round(1e6 * Math.sin(i)));
    const le = compressZeroSuppressed(values, 8)!;
    const words = new Uint8Array(le);
    for (let i = 0; i < words.length; i += 4) words.subarray(i, i + 4).reverse();
    const out = decodeVector({ bytes: words, compress: 8, type: 4, nData: 50, fileLittleEndian: true });
    expect(Array.from(out as Int32Array)).toEqual(Array.from(values));
    // float32 travels as its int32 bit pattern
    const f = Float32Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? NaN : Math.cos(i) * 1e-20));
    const fz = compressZeroSuppressed(new Int32Array(f.buffer), 8)!;
    const got = decodeVector({ bytes: fz, compress: 0x108, type: 3, nData: 40, fileLittleEndian: true }) as Float32Array;
    expect(new Uint8Array(got.buffer, got.byteOffset, got.byteLength)).toEqual(new Uint8Array(f.buffer));
  });

  it('zero-suppress code 6 is read as code 5 (FrameL)', () => {
    const values = Int16Array.from({ length: 30 }, (_, i) => (i * 977) % 2000 - 1000);
    const z = compressZeroSuppressed(values, 12)!;
    const out = decodeVector({ bytes: z, compress: 0x106, type: 9, nData: 30, fileLittleEndian: true });
    expect(out).toBeInstanceOf(Uint16Array);
    expect(Array.from(out as Uint16Array)).toEqual(Array.from(new Uint16Array(values.buffer)));
  });

  it('STRING vectors (raw, file byte order)', () => {
    const parts = ['H1:A', '', 'a longer string with spaces'];
    const bytes: number[] = [];
    for (const p of parts) {
      const n = p.length + 1;
      bytes.push(n >> 8, n & 255, ...Buffer.from(p, 'latin1'), 0);
    }
    expect(decodeVector({ bytes: Uint8Array.from(bytes), compress: 0, type: 8, nData: 3, fileLittleEndian: false })).toEqual(parts);
    expect(() => decodeVector({ bytes: Uint8Array.from(bytes).subarray(0, 10), compress: 0, type: 8, nData: 3, fileLittleEndian: false })).toThrow(
      /STRING vector ends/,
    );
  });

  it('a code that packs 2-byte words cannot apply to a 4-byte type', () => {
    expect(() => decodeVector({ bytes: new Uint8Array(8), compress: 0x105, type: 4, nData: 2, fileLittleEndian: true })).toThrow(
      /code 5 packs 2-byte words but the vector type is INT_4S/,
    );
  });
});
