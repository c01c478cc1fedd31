import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link GwfFormatError}. */
export type GwfErrorCode =
  | 'GWF_IO'
  | 'GWF_BAD_MAGIC'
  | 'GWF_UNSUPPORTED_VERSION'
  | 'GWF_TRUNCATED'
  | 'GWF_BAD_STRUCTURE'
  | 'GWF_BAD_SIZE'
  | 'GWF_UNKNOWN_COMPRESSION'
  | 'GWF_UNKNOWN_TYPE'
  | 'GWF_CRC_MISMATCH'
  | 'GWF_CHANNEL_NOT_FOUND'
  | 'GWF_NO_DATA'
  | 'GWF_GAP'
  | 'GWF_BAD_LIST'
  | 'GWF_WRITE';

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
