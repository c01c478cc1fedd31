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
