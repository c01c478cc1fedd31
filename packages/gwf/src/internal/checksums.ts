/**
 * The three checksums of the frame format, all POSIX `cksum` CRCs:
 * the v8 per-structure CRC (the structure minus its trailing chkSum), the v6
 * frame checksum in FrEndOfFrame (the frame with the checksum field zeroed)
 * and the file checksum in FrEndOfFile (streamed over the file).
 */
import type { GwfChecksumResult, GwfEndOfFile } from '../types.js';
import { crcFinish, crcUpdate, posixCksum } from './cksum.js';
import type { FileWindow } from './file-window.js';
import type { StructHeader } from './structures.js';

/** A stored checksum that disagrees with the computed one. */
export interface CrcMismatch {
  stored: number;
  computed: number;
}

/**
 * Check the v8 CRC of a whole structure (`bytes`, header to chkSum).
 * Returns the mismatch, or undefined when it agrees, when the structure
 * carries none (chkType 0 or a stored 0) or before v8.
 */
export function structCrcMismatch(bytes: Uint8Array, h: StructHeader, version: number, littleEndian: boolean): CrcMismatch | undefined {
  if (version < 8 || h.chkType === 0) return undefined;
  const n = bytes.length - 4;
  const stored = new DataView(bytes.buffer, bytes.byteOffset + n, 4).getUint32(0, littleEndian);
  if (stored === 0) return undefined;
  const computed = posixCksum(bytes.subarray(0, n));
  return computed === stored ? undefined : { stored, computed };
}

/**
 * The v6 frame checksum: CRC of the frame from its FrameH to the end of its
 * FrEndOfFrame (`frameBytes`, owned: modified) with the 4-byte checksum
 * field at `checksumAt` zeroed.
 */
export function frameChecksum(frameBytes: Uint8Array, checksumAt: number): number {
  frameBytes.fill(0, checksumAt, checksumAt + 4);
  return posixCksum(frameBytes);
}

/**
 * Compute the file checksum (streamed in 4 MiB reads) and compare it with
 * the one stored in FrEndOfFile. v4 files, and files without FrEndOfFile or
 * with chkType 0, are reported as not present.
 */
export function verifyFileChecksum(
  window: FileWindow,
  size: number,
  version: number,
  eof: GwfEndOfFile | undefined,
): GwfChecksumResult {
  if (!eof || eof.chkType === 0 || version < 6) {
    return { present: false, stored: 0, computed: 0, ok: true };
  }
  const zeroAt = size - eof.chkSumFromEnd;
  const end = version >= 8 ? size - 4 : size;
  const chunk = 4 << 20;
  let crc = 0;
  for (let p = 0; p < end; p += chunk) {
    const bytes = window.readOwned(p, Math.min(chunk, end - p));
    if (version < 8 && zeroAt >= p && zeroAt < p + bytes.length) bytes.fill(0, zeroAt - p, zeroAt - p + 4);
    crc = crcUpdate(crc, bytes);
  }
  const computed = crcFinish(crc, end);
  return { present: true, stored: eof.chkSum, computed, ok: computed === eof.chkSum };
}
