import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/**
 * Machine-readable codes of {@link GwfFormatError}, each with what it means.
 * Compare with `error.code === GwfErrorCode.TRUNCATED` or the string itself.
 */
export const GwfErrorCode = {
  /** The file could not be opened or read (the cause says why), or the GwfFile is closed. */
  IO: 'GWF_IO',
  /** Not a frame file: bad magic, word sizes or byte-order probes. */
  BAD_MAGIC: 'GWF_BAD_MAGIC',
  /** A frame format version other than 4, 6 or 8. */
  UNSUPPORTED_VERSION: 'GWF_UNSUPPORTED_VERSION',
  /** A structure or the file ends early. */
  TRUNCATED: 'GWF_TRUNCATED',
  /** Structures disagree (impossible length, TOC pointing elsewhere, missing FrameH or FrVect). */
  BAD_STRUCTURE: 'GWF_BAD_STRUCTURE',
  /** A vector's sizes disagree (nData, nBytes, decompressed length). */
  BAD_SIZE: 'GWF_BAD_SIZE',
  /** A compression code this reader does not know. */
  UNKNOWN_COMPRESSION: 'GWF_UNKNOWN_COMPRESSION',
  /** A vector type this reader does not know. */
  UNKNOWN_TYPE: 'GWF_UNKNOWN_TYPE',
  /** A stored checksum disagrees with the bytes (verifyChecksums). */
  CRC_MISMATCH: 'GWF_CRC_MISMATCH',
  /** The channel is not in the file or frame. */
  CHANNEL_NOT_FOUND: 'GWF_CHANNEL_NOT_FOUND',
  /** The channel or frame has no data. */
  NO_DATA: 'GWF_NO_DATA',
  /** The requested interval has gaps and `padGaps` is off. */
  GAP: 'GWF_GAP',
  /** A frame file list (FFL/cache) is malformed. */
  BAD_LIST: 'GWF_BAD_LIST',
  /** Writing failed or the frames to write are invalid. */
  WRITE: 'GWF_WRITE',
} as const;

/** One of the {@link GwfErrorCode} values: `'GWF_IO' | 'GWF_BAD_MAGIC' | ...`. */
export type GwfErrorCode = (typeof GwfErrorCode)[keyof typeof GwfErrorCode];

/** Options of {@link GwfFormatError}: a code plus where it happened. */
export interface GwfErrorOptions extends AstroErrorOptions {
  /** Machine-readable code. */
  code: GwfErrorCode;
}

/**
 * Error thrown for a bad or unreadable GWF file. The message names the file,
 * the frame, the structure and the channel when known, what was found and
 * what was expected:
 * `GWF: /data/x.gwf: frame 3, FrVect "H1:STRAIN": compression code 42 is not defined (known: 0,1,3,5,8,10)`.
 */
export class GwfFormatError extends AstroError {
  override name = 'GwfFormatError';
  /** Machine-readable code (narrowed). */
  declare readonly code: GwfErrorCode;

  constructor(problem: string, options: GwfErrorOptions) {
    super(formatGwfMessage(problem, options), options);
  }
}

/** Build "GWF: file: frame N, Struct "channel" (offset X): problem". */
function formatGwfMessage(problem: string, o: AstroErrorOptions): string {
  const where: string[] = [];
  if (o.frame !== undefined) where.push(`frame ${o.frame}`);
  if (o.structure !== undefined || o.channel !== undefined) {
    const s = o.structure ?? 'channel';
    where.push(o.channel !== undefined ? `${s} "${o.channel}"` : s);
  }
  let loc = where.join(', ');
  if (o.offset !== undefined) loc += `${loc ? ' ' : ''}(byte ${o.offset})`;
  const parts = ['GWF'];
  if (o.file !== undefined) parts.push(o.file);
  if (loc) parts.push(loc);
  return `${parts.join(': ')}: ${problem}`;
}

/** Causes of a `GWF_IO` error that are about this one file, not the system. */
const FILE_LEVEL_IO_CAUSES: ReadonlySet<string> = new Set(['ENOENT', 'EISDIR', 'EACCES']);

/**
 * Whether `error` condemns one file rather than the run: `true` for a
 * {@link GwfFormatError} (any code starting `GWF_`) that says the file is
 * bad — corrupt, truncated, not GWF, a failed checksum — and for `GWF_IO`
 * when the cause is the file itself (`ENOENT`, `EISDIR`, `EACCES`).
 * A caller skips such a file and its span becomes a gap.
 *
 * `false` for everything else: other I/O failures (`EIO`, `EMFILE`,
 * `ENOSPC`, network file systems timing out), which are transient or
 * fatal and should be retried or stop the run, and errors that are not
 * from this package.
 *
 * @param error - Anything caught.
 * @returns `true` when the file should be skipped.
 */
export function isFileLevelError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('GWF_')) return false;
  if (code !== 'GWF_IO') return true;
  const cause = (error as { cause?: unknown }).cause;
  const causeCode = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof causeCode === 'string' && FILE_LEVEL_IO_CAUSES.has(causeCode);
}
