/**
 * RICE_1 codec of the FITS tiled-image convention (White & Becker; the
 * algorithm of cfitsio's ricecomp.c, re-implemented here).
 *
 * Stream layout: the first pixel as `bytePix` big-endian bytes, then blocks of
 * `blockSize` pixels. Each block starts with an `fsBits`-bit code: 0 = all
 * differences zero, `fsMax + 1` = differences stored verbatim on `8 * bytePix`
 * bits, otherwise `fs + 1` followed by Rice codes (unary high part, `fs` low
 * bits) of the zig-zag mapped differences between neighbouring pixels.
 */
import { TileCodecError, check } from './codec-error.js';

/** Bytes per pixel RICE_1 supports. */
export type RiceBytePix = 1 | 2 | 4;

interface RiceParams {
  fsBits: number;
  fsMax: number;
  bBits: number;
}

const PARAMS: Record<RiceBytePix, RiceParams> = {
  1: { fsBits: 3, fsMax: 6, bBits: 8 },
  2: { fsBits: 4, fsMax: 14, bBits: 16 },
  4: { fsBits: 5, fsMax: 25, bBits: 32 },
};

function paramsFor(bytePix: number): RiceParams {
  const p = PARAMS[bytePix as RiceBytePix];
  if (p === undefined) throw new TileCodecError(`RICE_1 BYTEPIX ${bytePix} is not supported (known: 1, 2, 4)`);
  return p;
}

/** Number of significant bits of each byte value (0 for 0). */
const NONZERO_COUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) NONZERO_COUNT[i] = 32 - Math.clz32(i);

/**
 * Decode one RICE_1 tile of `count` pixels into `out` (starting at index 0).
 * Values are exact modulo 2^(8 * bytePix): callers narrow them to the pixel
 * type (an `Int16Array` store does that for bytePix 2).
 *
 * Every loop is bounded by `count`; a stream that runs out before `count`
 * pixels are decoded throws {@link TileCodecError}.
 */
export function riceDecode(
  src: Uint8Array,
  out: Int32Array,
  count: number,
  blockSize: number,
  bytePix: number,
): void {
  const { fsBits, fsMax, bBits } = paramsFor(bytePix);
  if (!(blockSize > 0)) throw new TileCodecError(`RICE_1 BLOCKSIZE ${blockSize} is not positive`);
  if (out.length < count) throw new TileCodecError('RICE_1 output buffer too small');
  if (count === 0) return;
  const end = src.length;
  if (end <= bytePix) {
    throw new TileCodecError(`RICE_1 tile has ${end} bytes; at least ${bytePix + 1} expected for ${count} pixels`);
  }
  let lastpix = 0;
  for (let k = 0; k < bytePix; k++) lastpix = (lastpix << 8) | src[k];
  // Reads past `end` yield undefined, i.e. 0 in the bit operations; the check
  // after each block turns such an overrun into an error.
  let c = bytePix;
  let b = src[c++];
  let nbits = 8;
  const fsMask = (1 << fsBits) - 1;
  let i = 0;
  while (i < count) {
    nbits -= fsBits;
    while (nbits < 0) {
      b = (b << 8) | src[c++];
      nbits += 8;
    }
    const fs = ((b >>> nbits) & fsMask) - 1;
    b &= (1 << nbits) - 1;
    let imax = i + blockSize;
    if (imax > count) imax = count;
    if (fs < 0) {
      for (; i < imax; i++) out[i] = lastpix;
    } else if (fs === fsMax) {
      for (; i < imax; i++) {
        let k = bBits - nbits;
        let diff = k >= 32 ? 0 : b << k;
        for (k -= 8; k >= 0; k -= 8) {
          b = src[c++] | 0;
          diff |= b << k;
        }
        if (nbits > 0) {
          b = src[c++] | 0;
          diff |= b >>> -k;
          b &= (1 << nbits) - 1;
        } else {
          b = 0;
        }
        diff = (diff >>> 1) ^ -(diff & 1);
        lastpix = (diff + lastpix) | 0;
        out[i] = lastpix;
      }
    } else if (fs > fsMax) {
      throw new TileCodecError(
        `RICE_1 stream: block code ${fs + 1} at byte ${c} is not valid (0..${fsMax + 1} expected)`,
      );
    } else {
      for (; i < imax; i++) {
        while (b === 0) {
          if (c >= end) {
            throw new TileCodecError(
              `RICE_1 stream ended after ${end} bytes with ${count - i} of ${count} pixels still to decode`,
            );
          }
          nbits += 8;
          b = src[c++];
        }
        const nzero = nbits - NONZERO_COUNT[b];
        nbits -= nzero + 1;
        b ^= 1 << nbits;
        nbits -= fs;
        while (nbits < 0) {
          b = (b << 8) | src[c++];
          nbits += 8;
        }
        let diff = (nzero << fs) | (b >>> nbits);
        b &= (1 << nbits) - 1;
        diff = (diff >>> 1) ^ -(diff & 1);
        lastpix = (diff + lastpix) | 0;
        out[i] = lastpix;
      }
    }
    if (c > end) {
      throw new TileCodecError(
        `RICE_1 stream ended after ${end} bytes with ${count - imax} of ${count} pixels still to decode (block ending at pixel ${imax} needs more bytes)`,
      );
    }
  }
  // Encoders (cfitsio's fits_rcomp) emit exactly the bytes the decoder reads:
  // leftover bytes mean the stream is not what the header says.
  if (c < end) {
    throw new TileCodecError(
      `RICE_1 stream has ${end - c} unused bytes after the last of ${count} pixels (${end} bytes in the tile): corrupt or mislabelled tile`,
    );
  }
}

/** A growable big-endian bit writer. */
class BitWriter {
  bytes: Uint8Array;
  pos = 0;
  /** Pending bits (fewer than 8), right-aligned. */
  acc = 0;
  /** Bits still free in the pending byte (1..8). */
  free = 8;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  ensure(extraBytes: number): void {
    if (this.pos + extraBytes + 8 <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + extraBytes + 64));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
  }

  /** Write the low `n` (0..32) bits of `value`, most significant first. */
  put(value: number, n: number): void {
    while (n > 0) {
      const take = n < this.free ? n : this.free;
      const chunk = (value >>> (n - take)) & ((1 << take) - 1);
      this.acc = (this.acc << take) | chunk;
      this.free -= take;
      n -= take;
      if (this.free === 0) {
        this.bytes[this.pos++] = this.acc & 0xff;
        this.acc = 0;
        this.free = 8;
      }
    }
  }

  /** Write `n` zero bits then a one bit. */
  putUnary(n: number): void {
    if (n < this.free) {
      this.put(1, n + 1);
      return;
    }
    n -= this.free;
    this.bytes[this.pos++] = (this.acc << this.free) & 0xff;
    this.acc = 0;
    this.free = 8;
    while (n >= 8) {
      this.bytes[this.pos++] = 0;
      n -= 8;
    }
    this.put(1, n + 1);
  }

  finish(): Uint8Array {
    if (this.free < 8) {
      this.bytes[this.pos++] = (this.acc << this.free) & 0xff;
      this.acc = 0;
      this.free = 8;
    }
    return this.bytes.slice(0, this.pos);
  }
}

/**
 * Encode `count` pixels of `values` with RICE_1. `values` must already lie in
 * the range of a `bytePix`-byte signed integer (or unsigned for bytePix 1).
 * Returns a new array holding the compressed stream.
 */
export function riceEncode(
  values: Int32Array,
  count: number,
  blockSize: number,
  bytePix: number,
): Uint8Array {
  const { fsBits, fsMax, bBits } = paramsFor(bytePix);
  check(blockSize > 0, `RICE_1 BLOCKSIZE ${blockSize} is not positive`);
  const w = new BitWriter(bytePix + Math.ceil((count * bytePix * 9) / 8) + 16);
  if (count === 0) return w.finish();
  const narrow = 32 - bBits;
  const diffs = new Uint32Array(blockSize);
  w.put(values[0], bBits);
  let lastpix = values[0];
  for (let i = 0; i < count; i += blockSize) {
    const n = count - i < blockSize ? count - i : blockSize;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const next = values[i + j];
      // Difference in the pixel's own width (wraps like cfitsio's short/char).
      const pdiff = (((next - lastpix) | 0) << narrow) >> narrow;
      const mapped = (pdiff < 0 ? ~(pdiff << 1) : pdiff << 1) >>> 0;
      diffs[j] = mapped;
      sum += mapped;
      lastpix = next;
    }
    let dpsum = (sum - Math.floor(n / 2) - 1) / n;
    if (dpsum < 0) dpsum = 0;
    let psum = Math.trunc(dpsum) >>> 1;
    let fs = 0;
    while (psum > 0) {
      fs++;
      psum >>>= 1;
    }
    if (fs >= fsMax) {
      w.ensure(n * bytePix + 2);
      w.put(fsMax + 1, fsBits);
      for (let j = 0; j < n; j++) w.put(diffs[j], bBits);
    } else if (fs === 0 && sum === 0) {
      w.ensure(2);
      w.put(0, fsBits);
    } else {
      // Rice codes: at most n * (fs + 1) bits plus the unary parts (sum >> fs).
      w.ensure(Math.ceil((n * (fs + 1) + sum / 2 ** fs) / 8) + 2);
      w.put(fs + 1, fsBits);
      const mask = (1 << fs) - 1;
      for (let j = 0; j < n; j++) {
        const v = diffs[j];
        w.putUnary(v >>> fs);
        if (fs > 0) w.put(v & mask, fs);
      }
    }
  }
  return w.finish();
}
