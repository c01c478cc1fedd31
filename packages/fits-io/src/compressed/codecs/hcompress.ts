/**
 * HCOMPRESS_1 decoder (R. White's H-transform coder as used by the FITS tiled
 * image convention; re-implemented after cfitsio's fits_hdecompress.c).
 *
 * Stream: magic 0xDD 0x99, nx, ny, scale (32-bit big-endian), the sum of all
 * pixels (64-bit), three bit-plane counts, then four quadrants of quadtree- or
 * directly-coded bit planes, an end nybble 0 and one sign bit per non-zero
 * coefficient. Decoding multiplies by `scale`, then inverts the H-transform
 * (optionally smoothing). `nx` is the slow axis (rows), `ny` the fast one.
 *
 * Arithmetic uses float64 numbers holding integers, which reproduces cfitsio's
 * 64-bit integer path exactly for |values| < 2^53 (far beyond any 32-bit
 * image): shifts become floor divisions by powers of two, masks rounding down
 * to a multiple of a power of two.
 */
import { TileCodecError, check } from './codec-error.js';

class BitReader {
  pos: number;
  private buffer = 0;
  private bitsToGo = 0;

  constructor(
    private readonly src: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  private nextByte(): number {
    if (this.pos >= this.src.length) {
      throw new TileCodecError(`HCOMPRESS_1 stream ends after ${this.src.length} bytes while more bits are needed`);
    }
    return this.src[this.pos++];
  }

  reset(): void {
    this.bitsToGo = 0;
  }

  bit(): number {
    if (this.bitsToGo === 0) {
      this.buffer = this.nextByte();
      this.bitsToGo = 8;
    }
    this.bitsToGo -= 1;
    return (this.buffer >> this.bitsToGo) & 1;
  }

  /** Read n <= 8 bits. */
  bits(n: number): number {
    if (this.bitsToGo < n) {
      this.buffer = ((this.buffer << 8) | this.nextByte()) & 0xffff;
      this.bitsToGo += 8;
    }
    this.bitsToGo -= n;
    return (this.buffer >> this.bitsToGo) & ((1 << n) - 1);
  }

  nybble(): number {
    return this.bits(4);
  }

  /** Fixed Huffman code of the quadtree (values 0..15). */
  huffman(): number {
    let c = this.bits(3);
    if (c < 4) return 1 << c;
    c = this.bit() | (c << 1);
    if (c < 13) {
      switch (c) {
        case 8:
          return 3;
        case 9:
          return 5;
        case 10:
          return 10;
        case 11:
          return 12;
        case 12:
          return 15;
      }
    }
    c = this.bit() | (c << 1);
    if (c < 31) {
      switch (c) {
        case 26:
          return 6;
        case 27:
          return 7;
        case 28:
          return 9;
        case 29:
          return 11;
        case 30:
          return 13;
      }
    }
    c = this.bit() | (c << 1);
    return c === 62 ? 0 : 14;
  }
}

function ceilLog2(n: number): number {
  let log2n = 0;
  while (1 << log2n < n) log2n++;
  return log2n;
}

/**
 * Expand 4-bit codes of a[(nx+1)/2][(ny+1)/2] into 2x2 blocks of bits in
 * b[nx][ny] (row stride n), in place (a and b may be the same array).
 */
function qtreeCopy(a: Uint8Array, nx: number, ny: number, b: Uint8Array, n: number): void {
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  let k = ny2 * (nx2 - 1) + ny2 - 1;
  for (let i = nx2 - 1; i >= 0; i--) {
    let s00 = 2 * (n * i + ny2 - 1);
    for (let j = ny2 - 1; j >= 0; j--) {
      b[s00] = a[k];
      k -= 1;
      s00 -= 2;
    }
  }
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = n * i;
    let s10 = s00 + n;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = b[s00];
      b[s10 + 1] = v & 1;
      b[s10] = (v >> 1) & 1;
      b[s00 + 1] = (v >> 2) & 1;
      b[s00] = (v >> 3) & 1;
      s00 += 2;
      s10 += 2;
    }
    if (j < ny) {
      b[s10] = (b[s00] >> 1) & 1;
      b[s00] = (b[s00] >> 3) & 1;
    }
  }
  if (i < nx) {
    let s00 = n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      b[s00 + 1] = (b[s00] >> 2) & 1;
      b[s00] = (b[s00] >> 3) & 1;
      s00 += 2;
    }
    if (j < ny) b[s00] = (b[s00] >> 3) & 1;
  }
}

/** Insert the bits of 4-bit codes a[(nx+1)/2][(ny+1)/2] as bit plane `planeValue` of b (row stride n, from offset `off`). */
function qtreeBitIns(
  a: Uint8Array,
  nx: number,
  ny: number,
  b: Float64Array,
  off: number,
  n: number,
  planeValue: number,
): void {
  let k = 0;
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = a[k];
      if (v & 1) b[s00 + n + 1] += planeValue;
      if (v & 2) b[s00 + n] += planeValue;
      if (v & 4) b[s00 + 1] += planeValue;
      if (v & 8) b[s00] += planeValue;
      s00 += 2;
      k += 1;
    }
    if (j < ny) {
      const v = a[k];
      if (v & 2) b[s00 + n] += planeValue;
      if (v & 8) b[s00] += planeValue;
      k += 1;
    }
  }
  if (i < nx) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = a[k];
      if (v & 4) b[s00 + 1] += planeValue;
      if (v & 8) b[s00] += planeValue;
      s00 += 2;
      k += 1;
    }
    if (j < ny) {
      if (a[k] & 8) b[s00] += planeValue;
      k += 1;
    }
  }
}

function qtreeDecode(
  r: BitReader,
  a: Float64Array,
  off: number,
  n: number,
  nqx: number,
  nqy: number,
  nbitplanes: number,
): void {
  const nqmax = nqx > nqy ? nqx : nqy;
  const log2n = nqmax > 0 ? ceilLog2(nqmax) : 0;
  const nqx2 = (nqx + 1) >> 1;
  const nqy2 = (nqy + 1) >> 1;
  // The scratch array holds at most nqx2*nqy2 codes but expansions write up to
  // the full quadrant size at intermediate levels; size it generously.
  const scratch = new Uint8Array(Math.max(1, nqx2 * nqy2 * 4 + 4));
  for (let bit = nbitplanes - 1; bit >= 0; bit--) {
    const planeValue = 2 ** bit;
    const code = r.nybble();
    if (code === 0) {
      const count = nqx2 * nqy2;
      for (let i = 0; i < count; i++) scratch[i] = r.nybble();
      qtreeBitIns(scratch, nqx, nqy, a, off, n, planeValue);
    } else if (code !== 0xf) {
      throw new TileCodecError(
        `HCOMPRESS_1 stream: bit-plane format code ${code} at byte ${r.pos} is not valid (0 or 15 expected)`,
      );
    } else {
      scratch[0] = r.huffman();
      let nx = 1;
      let ny = 1;
      let nfx = nqx;
      let nfy = nqy;
      let c = 1 << log2n;
      for (let k = 1; k < log2n; k++) {
        c >>= 1;
        nx <<= 1;
        ny <<= 1;
        if (nfx <= c) nx -= 1;
        else nfx -= c;
        if (nfy <= c) ny -= 1;
        else nfy -= c;
        qtreeCopy(scratch, nx, ny, scratch, ny);
        for (let i = nx * ny - 1; i >= 0; i--) {
          if (scratch[i] !== 0) scratch[i] = r.huffman();
        }
      }
      qtreeBitIns(scratch, nqx, nqy, a, off, n, planeValue);
    }
  }
}

/** Two's-complement bit `bit` (a power of two) of the integer x, as 0 or `bit`. */
function bitOf(x: number, bit: number): number {
  const q = Math.floor(x / bit);
  return (q - 2 * Math.floor(q / 2)) * bit;
}

/** x rounded down to a multiple of `bit` (x & -bit). */
function floorTo(x: number, bit: number): number {
  return Math.floor(x / bit) * bit;
}

function unshuffle(a: Float64Array, off: number, n: number, n2: number, tmp: Float64Array): void {
  const nhalf = (n + 1) >> 1;
  let pt = 0;
  let p1 = off + n2 * nhalf;
  for (let i = nhalf; i < n; i++) {
    tmp[pt++] = a[p1];
    p1 += n2;
  }
  let p2 = off + n2 * (nhalf - 1);
  p1 = off + ((n2 * (nhalf - 1)) << 1);
  for (let i = nhalf - 1; i >= 0; i--) {
    a[p1] = a[p2];
    p2 -= n2;
    p1 -= n2 + n2;
  }
  pt = 0;
  p1 = off + n2;
  for (let i = 1; i < n; i += 2) {
    a[p1] = tmp[pt++];
    p1 += n2 + n2;
  }
}

function hsmooth(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = scale >> 1;
  if (smax <= 0) return;
  const ny2 = ny << 1;
  const max = Math.max;
  const min = Math.min;
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    for (let j = 0; j < nytop; j += 2) {
      const hm = a[s00 - ny2];
      const h0 = a[s00];
      const hp = a[s00 + ny2];
      let diff = hp - hm;
      const dmax = max(min(hp - h0, h0 - hm), 0) * 4;
      const dmin = min(max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        diff = max(min(diff, dmax), dmin);
        let s = diff - a[s10] * 8;
        s = s >= 0 ? Math.floor(s / 8) : Math.floor((s + 7) / 8);
        s = max(min(s, smax), -smax);
        a[s10] = a[s10] + s;
      }
      s00 += 2;
      s10 += 2;
    }
  }
  for (let i = 0; i < nxtop; i += 2) {
    let s00 = ny * i + 2;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hm = a[s00 - 2];
      const h0 = a[s00];
      const hp = a[s00 + 2];
      let diff = hp - hm;
      const dmax = max(min(hp - h0, h0 - hm), 0) * 4;
      const dmin = min(max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        diff = max(min(diff, dmax), dmin);
        let s = diff - a[s00 + 1] * 8;
        s = s >= 0 ? Math.floor(s / 8) : Math.floor((s + 7) / 8);
        s = max(min(s, smax), -smax);
        a[s00 + 1] = a[s00 + 1] + s;
      }
      s00 += 2;
    }
  }
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i + 2;
    let s10 = s00 + ny;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hmm = a[s00 - ny2 - 2];
      const hpm = a[s00 + ny2 - 2];
      const hmp = a[s00 - ny2 + 2];
      const hpp = a[s00 + ny2 + 2];
      const h0 = a[s00];
      let diff = hpp + hmm - hmp - hpm;
      const hx2 = a[s10] * 2;
      const hy2 = a[s00 + 1] * 2;
      let m1 = min(max(hpp - h0, 0) - hx2 - hy2, max(h0 - hpm, 0) + hx2 - hy2);
      let m2 = min(max(h0 - hmp, 0) - hx2 + hy2, max(hmm - h0, 0) + hx2 + hy2);
      const dmax = min(m1, m2) * 16;
      m1 = max(min(hpp - h0, 0) - hx2 - hy2, min(h0 - hpm, 0) + hx2 - hy2);
      m2 = max(min(h0 - hmp, 0) - hx2 + hy2, min(hmm - h0, 0) + hx2 + hy2);
      const dmin = max(m1, m2) * 16;
      if (dmin < dmax) {
        diff = max(min(diff, dmax), dmin);
        let s = diff - a[s10 + 1] * 64;
        s = s >= 0 ? Math.floor(s / 64) : Math.floor((s + 63) / 64);
        s = max(min(s, smax), -smax);
        a[s10 + 1] = a[s10 + 1] + s;
      }
      s00 += 2;
      s10 += 2;
    }
  }
}

function hinv(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const nmax = nx > ny ? nx : ny;
  const log2n = ceilLog2(nmax);
  if (log2n === 0) return;
  const tmp = new Float64Array((nmax + 1) >> 1);
  let shift = 1;
  let bit0 = 2 ** (log2n - 1);
  let bit1 = bit0 * 2;
  const bit2 = bit0 * 4;
  let prnd0 = Math.floor(bit0 / 2);
  let prnd1 = bit1 / 2;
  const prnd2 = bit2 / 2;
  let nrnd0 = prnd0 - 1;
  let nrnd1 = prnd1 - 1;
  const nrnd2 = prnd2 - 1;
  a[0] = floorTo(a[0] + (a[0] >= 0 ? prnd2 : nrnd2), bit2);
  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 1 << log2n;
  for (let k = log2n - 1; k >= 0; k--) {
    c >>= 1;
    nxtop <<= 1;
    nytop <<= 1;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;
    if (k === 0) {
      nrnd0 = 0;
      shift = 2;
    }
    const div = shift === 1 ? 2 : 4;
    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) hsmooth(a, nxtop, nytop, ny, scale);
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00];
        let hx = a[s10];
        let hy = a[s00 + 1];
        let hc = a[s10 + 1];
        hx = floorTo(hx + (hx >= 0 ? prnd1 : nrnd1), bit1);
        hy = floorTo(hy + (hy >= 0 ? prnd1 : nrnd1), bit1);
        hc = floorTo(hc + (hc >= 0 ? prnd0 : nrnd0), bit0);
        const lowbit0 = bitOf(hc, bit0);
        hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
        hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
        const parity = (bitOf(hc, bit1) + bitOf(hx, bit1) + bitOf(hy, bit1)) / bit1;
        const lowbit1 = (parity & 1) * bit1;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = Math.floor((h0 + hx + hy + hc) / div);
        a[s10] = Math.floor((h0 + hx - hy - hc) / div);
        a[s00 + 1] = Math.floor((h0 - hx + hy - hc) / div);
        a[s00] = Math.floor((h0 - hx - hy + hc) / div);
        s00 += 2;
        s10 += 2;
      }
      if (oddy) {
        let h0 = a[s00];
        let hx = a[s10];
        hx = floorTo(hx >= 0 ? hx + prnd1 : hx + nrnd1, bit1);
        const lowbit1 = bitOf(hx, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = Math.floor((h0 + hx) / div);
        a[s00] = Math.floor((h0 - hx) / div);
      }
    }
    if (oddx) {
      let s00 = ny * i;
      let j = 0;
      for (; j < nytop - oddy; j += 2) {
        let h0 = a[s00];
        let hy = a[s00 + 1];
        hy = floorTo(hy >= 0 ? hy + prnd1 : hy + nrnd1, bit1);
        const lowbit1 = bitOf(hy, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = Math.floor((h0 + hy) / div);
        a[s00] = Math.floor((h0 - hy) / div);
        s00 += 2;
      }
      if (oddy) {
        a[s00] = Math.floor(a[s00] / div);
      }
    }
    bit1 = bit0;
    bit0 = bit0 / 2;
    prnd1 = prnd0;
    prnd0 = Math.floor(prnd0 / 2);
    nrnd1 = nrnd0;
    nrnd0 = prnd0 - 1;
  }
}

/** Result of {@link hcompressDecode}. */
export interface HcompressTile {
  /** Slow-axis length stored in the stream. */
  nx: number;
  /** Fast-axis length stored in the stream. */
  ny: number;
  /** Decoded pixels, row-major (ny fastest). */
  values: Float64Array;
}

/**
 * Decode an HCOMPRESS_1 stream that must hold `expectedCount` pixels.
 * `smooth` applies the decompression-time smoothing (ZNAME SMOOTH != 0).
 */
export function hcompressDecode(src: Uint8Array, expectedCount: number, smooth: boolean): HcompressTile {
  check(src.length >= 26, `HCOMPRESS_1 tile has ${src.length} bytes; at least 26 (header and one code) expected`);
  if (src[0] !== 0xdd || src[1] !== 0x99) {
    throw new TileCodecError(
      `HCOMPRESS_1 stream starts with 0x${src[0].toString(16)} 0x${src[1].toString(16)}; magic 0xdd 0x99 expected`,
    );
  }
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const nx = view.getInt32(2);
  const ny = view.getInt32(6);
  const scale = view.getInt32(10);
  const sumall = Number(view.getBigInt64(14));
  const nbitplanes = [src[22], src[23], src[24]];
  if (nx <= 0 || ny <= 0 || nx * ny !== expectedCount) {
    throw new TileCodecError(
      `HCOMPRESS_1 stream declares ${nx} x ${ny} pixels; the tile holds ${expectedCount}`,
    );
  }
  for (const nb of nbitplanes) check(nb <= 64, `HCOMPRESS_1 stream declares ${nb} bit planes (at most 64 expected)`);
  const nel = nx * ny;
  const a = new Float64Array(nel);
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  const r = new BitReader(src, 25);
  qtreeDecode(r, a, 0, ny, nx2, ny2, nbitplanes[0]);
  qtreeDecode(r, a, ny2, ny, nx2, ny >> 1, nbitplanes[1]);
  qtreeDecode(r, a, ny * nx2, ny, nx >> 1, ny2, nbitplanes[1]);
  qtreeDecode(r, a, ny * nx2 + ny2, ny, nx >> 1, ny >> 1, nbitplanes[2]);
  if (r.nybble() !== 0) {
    throw new TileCodecError(`HCOMPRESS_1 stream: end-of-planes nybble at byte ${r.pos} is not 0 (bad bit plane values)`);
  }
  r.reset();
  for (let i = 0; i < nel; i++) {
    if (a[i] !== 0 && r.bit() !== 0) a[i] = -a[i];
  }
  a[0] = sumall;
  if (scale > 1) for (let i = 0; i < nel; i++) a[i] *= scale;
  hinv(a, nx, ny, smooth, scale);
  return { nx, ny, values: a };
}
