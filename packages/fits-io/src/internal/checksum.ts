/**
 * The FITS checksum (Seaman et al.): ones' complement sums, the ASCII
 * encoding of CHECKSUM and the check of an HDU's CHECKSUM/DATASUM.
 */
import type { ChecksumStatus } from '../checksum.js';
import type { FitsHeader } from '../header.js';


/**
 * 32-bit ones' complement sum of big-endian words (the FITS checksum
 * arithmetic, Seaman et al.), continuing from `sum`. `bytes.length` must be a
 * multiple of 4 (blocks of 2880 are).
 */
export function onesComplementSum(bytes: Uint8Array, sum = 0): number {
  let hi = sum >>> 16;
  let lo = sum & 0xffff;
  const n = bytes.length - (bytes.length % 4);
  // accumulate in doubles; fold every 2^20 words to stay exact
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + 4 * (1 << 20));
    for (; i < end; i += 4) {
      hi += (bytes[i] << 8) | bytes[i + 1];
      lo += (bytes[i + 2] << 8) | bytes[i + 3];
    }
    [hi, lo] = fold(hi, lo);
  }
  [hi, lo] = fold(hi, lo);
  return ((hi << 16) | lo) >>> 0;
}

function fold(hi: number, lo: number): [number, number] {
  let hicarry = Math.floor(hi / 65536);
  let locarry = Math.floor(lo / 65536);
  while (hicarry !== 0 || locarry !== 0) {
    hi = (hi % 65536) + locarry;
    lo = (lo % 65536) + hicarry;
    hicarry = Math.floor(hi / 65536);
    locarry = Math.floor(lo / 65536);
  }
  return [hi, lo];
}

const EXCLUDE = new Set([0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60]);

/**
 * Encode a 32-bit value as the 16-character ASCII CHECKSUM string (the
 * standard algorithm; pass the complement of the HDU sum, as writers do).
 */
export function encodeChecksum(value: number, complement = true): string {
  const v = (complement ? ~value : value) >>> 0;
  const asc = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    const byte = (v >>> (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    let check = true;
    while (check) {
      check = false;
      for (let k = 0; k < 4; k += 2) {
        if (EXCLUDE.has(ch[k]) || EXCLUDE.has(ch[k + 1])) {
          ch[k]++;
          ch[k + 1]--;
          check = true;
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  // rotate right by one character
  const rotated = [asc[15], ...asc.slice(0, 15)];
  return String.fromCharCode(...rotated);
}

/**
 * Check DATASUM and CHECKSUM of one HDU from its header bytes (all header
 * blocks) and its padded data bytes.
 */
export function verifyHduChecksum(header: FitsHeader, headerBytes: Uint8Array, dataBytes: Uint8Array): ChecksumStatus {
  return checksumStatus(header, headerBytes, onesComplementSum(dataBytes));
}

/** {@link verifyHduChecksum} when the data sum was computed already (e.g. chunk by chunk). */
export function checksumStatus(header: FitsHeader, headerBytes: Uint8Array, dsum: number): ChecksumStatus {
  let datasum: ChecksumStatus['datasum'] = 'missing';
  const stored = header.get('DATASUM');
  if (stored !== undefined && stored !== null) {
    const n = typeof stored === 'string' ? Number(stored.trim()) : Number(stored);
    datasum = n === dsum ? 'ok' : 'bad';
  }
  let checksum: ChecksumStatus['checksum'] = 'missing';
  if (header.has('CHECKSUM')) {
    const total = onesComplementSum(headerBytes, dsum);
    checksum = total === 0xffffffff || total === 0 ? 'ok' : 'bad';
  }
  return { datasum, checksum, computedDatasum: dsum };
}
