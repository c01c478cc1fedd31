/**
 * The 40-byte file header: magic, version, byte-order probes and word sizes.
 */
import { GwfFormat } from '../format.js';
import { GwfFormatError } from '../errors.js';
import type { GwfErrorCode } from '../errors.js';
import type { GwfFileHeader } from '../types.js';

/** Validate the 40-byte header: magic, version, byte-order probes and word sizes. */
export function checkHeader(path: string, b: Uint8Array, n: number): GwfFileHeader {
  const fail = (problem: string, code: GwfErrorCode): GwfFormatError =>
    new GwfFormatError(problem, { code, file: path, structure: 'file header', offset: 0 });
  if (n < 5 || String.fromCharCode(...b.subarray(0, 5)) !== GwfFormat.magic) {
    const shown = [...b.subarray(0, Math.min(n, 5))].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    throw fail(`bad magic: expected "IGWD\\0", found bytes [${shown}] (not a frame file)`, 'GWF_BAD_MAGIC');
  }
  if (n < GwfFormat.headerBytes) throw fail(`file header cut after ${n} of 40 bytes: the file is truncated`, 'GWF_TRUNCATED');
  const version = b[5];
  if (!GwfFormat.supportedVersions.includes(version)) {
    throw fail(
      `frame format version ${version} is not supported (supported: ${GwfFormat.supportedVersions.join(', ')})`,
      'GWF_UNSUPPORTED_VERSION',
    );
  }
  const sizes = { int2: b[7], int4: b[8], int8: b[9], real4: b[10], real8: b[11] };
  if (sizes.int2 !== 2 || sizes.int4 !== 4 || sizes.int8 !== 8 || sizes.real4 !== 4 || sizes.real8 !== 8) {
    throw fail(`unsupported word sizes ${JSON.stringify(sizes)} (expected 2,4,8,4,8)`, 'GWF_BAD_MAGIC');
  }
  let littleEndian: boolean;
  if (b[12] === 0x34 && b[13] === 0x12) littleEndian = true;
  else if (b[12] === 0x12 && b[13] === 0x34) littleEndian = false;
  else throw fail(`byte-order probe 0x1234 reads [${b[12]}, ${b[13]}]`, 'GWF_BAD_MAGIC');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(14, littleEndian) !== 0x12345678) throw fail('INT_4 probe 0x12345678 does not read back', 'GWF_BAD_MAGIC');
  const hi = dv.getUint32(littleEndian ? 22 : 18, littleEndian);
  const lo = dv.getUint32(littleEndian ? 18 : 22, littleEndian);
  // v4 writers on 32-bit machines stored a 4-byte long there: only check v6+.
  if (version >= 6 && !(hi === 0x01234567 && lo === 0x89abcdef)) {
    throw fail('INT_8 probe 0x0123456789abcdef does not read back', 'GWF_BAD_MAGIC');
  }
  if (Math.abs(dv.getFloat32(26, littleEndian) - Math.PI) > 1e-6 || dv.getFloat64(30, littleEndian) !== Math.PI) {
    throw fail('REAL_4/REAL_8 probes do not read back as pi', 'GWF_BAD_MAGIC');
  }
  return {
    formatVersion: version,
    libraryMinorVersion: b[6],
    littleEndian,
    sizes,
    byte38: b[38],
    byte39: b[39],
  };
}

