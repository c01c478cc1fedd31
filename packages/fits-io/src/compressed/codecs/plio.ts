/**
 * PLIO_1 codec (IRAF pixel-list "line list" encoding, as in the FITS tiled
 * image convention): a header of 16-bit words followed by 16-bit
 * instructions, 4-bit opcode and 12-bit data each. Only non-negative integer
 * values below 2^24 can be represented.
 */
import { TileCodecError, check } from './codec-error.js';

/**
 * Decode a PLIO line list (`words`, signed 16-bit values) into `count`
 * pixels of `out`. The instruction loop is bounded by the list length and
 * every write by `count`.
 */
export function plioDecode(words: Int16Array, out: Int32Array, count: number): void {
  check(out.length >= count, 'PLIO_1 output buffer too small');
  check(words.length >= 3, `PLIO_1 line list has ${words.length} words; at least 3 expected`);
  let length: number;
  let first: number;
  if (words[2] > 0) {
    // Old-style header: length in word 2, instructions from word 3.
    length = words[2];
    first = 3;
  } else {
    check(words.length >= 7, `PLIO_1 line list has ${words.length} words; a 7-word header expected`);
    length = (words[4] << 15) + words[3];
    first = words[1];
  }
  if (count <= 0) return;
  if (length <= 0) {
    out.fill(0, 0, count);
    return;
  }
  if (length > words.length) {
    throw new TileCodecError(
      `PLIO_1 line list declares ${length} words but the tile holds ${words.length}`,
    );
  }
  check(first >= 0 && first <= length, `PLIO_1 line list starts at word ${first}, beyond its length ${length}`);
  // Positions are 1-based as in IRAF: x1 is the next input pixel, op the next output index (0-based here).
  const xs = 1;
  const xe = xs + count - 1;
  let op = 0;
  let x1 = 1;
  let pv = 1;
  let skip = false;
  for (let ip = first; ip < length; ip++) {
    if (skip) {
      skip = false;
      continue;
    }
    const word = words[ip];
    const opcode = Math.trunc(word / 4096);
    const data = word & 4095;
    switch (opcode) {
      case 0:
      case 4:
      case 5: {
        const x2 = x1 + data - 1;
        const i1 = x1 > xs ? x1 : xs;
        const i2 = x2 < xe ? x2 : xe;
        const np = i2 - i1 + 1;
        if (np > 0) {
          const otop = op + np - 1;
          if (opcode === 4) {
            out.fill(pv, op, otop + 1);
          } else {
            out.fill(0, op, otop + 1);
            if (opcode === 5 && i2 === x2) out[otop] = pv;
          }
          op = otop + 1;
        }
        x1 = x2 + 1;
        break;
      }
      case 1:
        check(ip + 1 < length, `PLIO_1 line list: set-value instruction at word ${ip} has no second word`);
        pv = (words[ip + 1] << 12) + data;
        skip = true;
        break;
      case 2:
        pv += data;
        break;
      case 3:
        pv -= data;
        break;
      case 6:
      case 7:
        pv += opcode === 6 ? data : -data;
        if (x1 >= xs && x1 <= xe) out[op++] = pv;
        x1++;
        break;
      default:
        // Negative words have no meaning; IRAF ignores them.
        break;
    }
    if (x1 > xe) break;
  }
  if (op < count) out.fill(0, op, count);
}

/**
 * Encode `count` non-negative pixel values as a PLIO line list (the inverse of
 * {@link plioDecode}). Returns the 16-bit words.
 */
export function plioEncode(values: Int32Array, count: number): Int16Array {
  const ll: number[] = [0, 7, -100, 0, 0, 0, 0];
  if (count <= 0) return new Int16Array(ll);
  const px = (i: number): number => {
    const v = values[i];
    check(v >= 0 && v < 1 << 24, `PLIO_1 can only store values in 0..16777215; pixel ${i} is ${v}`);
    return v;
  };
  let hi = 1;
  let i = 0;
  while (i < count) {
    // Zero run.
    let z = i;
    while (z < count && px(z) === 0) z++;
    let nz = z - i;
    if (z >= count) {
      while (nz > 0) {
        ll.push(Math.min(4095, nz));
        nz -= 4095;
      }
      break;
    }
    // Run of a constant non-zero value.
    const pv = px(z);
    let e = z;
    while (e < count && px(e) === pv) e++;
    let np = e - z;
    const dv = pv - hi;
    if (dv !== 0) {
      hi = pv;
      if (Math.abs(dv) > 4095) {
        ll.push((pv & 4095) + 4096, Math.trunc(pv / 4096));
      } else {
        ll.push(dv < 0 ? -dv + 12288 : dv + 8192);
      }
    }
    while (nz > 0) {
      ll.push(Math.min(4095, nz));
      nz -= 4095;
    }
    while (np > 0) {
      ll.push(Math.min(4095, np) + 16384);
      np -= 4095;
    }
    i = e;
  }
  const length = ll.length;
  ll[3] = length % 32768;
  ll[4] = Math.trunc(length / 32768);
  return new Int16Array(ll);
}
