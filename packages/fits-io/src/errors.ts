import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link FitsFormatError}. */
export const FitsErrorCode = {
  /** The file ends before a header or data unit is complete. */
  truncated: 'FITS_TRUNCATED',
  /** A header has no END card. */
  noEnd: 'FITS_NO_END',
  /** A mandatory keyword is missing or has the wrong type or value. */
  badKeyword: 'FITS_BAD_KEYWORD',
  /** A header card cannot be parsed. */
  badCard: 'FITS_BAD_CARD',
  /** A binary or ASCII table column format (TFORMn) is not valid. */
  badTform: 'FITS_BAD_TFORM',
  /** Table contents are inconsistent (descriptor outside the heap, bad number). */
  badTable: 'FITS_BAD_TABLE',
  /** A compressed tile cannot be decoded. */
  badTile: 'FITS_BAD_TILE',
  /** CHECKSUM or DATASUM does not match the contents. */
  checksum: 'FITS_CHECKSUM',
  /** The request does not fit the HDU (wrong kind, section outside the image). */
  badRequest: 'FITS_BAD_REQUEST',
  /** A value cannot be written as FITS. */
  badValue: 'FITS_BAD_VALUE',
  /** An operating-system error while reading or writing. */
  io: 'FITS_IO',
  /** A feature of the standard that this package does not implement. */
  unsupported: 'FITS_UNSUPPORTED',
} as const;

/** One of the {@link FitsErrorCode} values. */
export type FitsErrorCodeValue = (typeof FitsErrorCode)[keyof typeof FitsErrorCode];

/**
 * Error thrown for a FITS file that is malformed, truncated or not supported,
 * or for a request that does not fit it. `location` names the file, the HDU
 * (zero-based, 0 = primary), the card keyword, the tile or the row, and the
 * message reads `FITS <file>: HDU <n>: card <KEY>: what was found (what was
 * expected)`.
 */
export class FitsFormatError extends AstroError {
  override name = 'FitsFormatError';

  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: FitsErrorCode.badKeyword, ...options });
  }
}

/** Where a FITS problem is: file, HDU and optionally card, column, row or tile. */
export interface FitsLocation {
  /** File path or a label for in-memory bytes. */
  file?: string;
  /** HDU index (0 = primary). */
  hdu?: number;
  /** Card keyword. */
  card?: string;
  /** Table column name. */
  column?: string;
  /** Table row (zero-based). */
  row?: number;
  /** Compressed tile (zero-based). */
  tile?: number;
  /** Byte offset in the file. */
  offset?: number;
}

/** Human-readable prefix "FITS file: HDU n: card K" for a location. */
export function describeFitsLocation(loc: FitsLocation): string {
  const parts = [`FITS ${loc.file ?? '<bytes>'}`];
  if (loc.hdu !== undefined) parts.push(`HDU ${loc.hdu}`);
  if (loc.card !== undefined) parts.push(`card ${loc.card}`);
  if (loc.column !== undefined) parts.push(`column ${JSON.stringify(loc.column)}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.tile !== undefined) parts.push(`tile ${loc.tile}`);
  if (loc.offset !== undefined) parts.push(`byte ${loc.offset}`);
  return parts.join(': ');
}

/**
 * Build a {@link FitsFormatError} whose message starts with the location.
 * `problem` says what was found and what was expected.
 */
export function fitsError(
  loc: FitsLocation,
  problem: string,
  code: FitsErrorCodeValue,
  cause?: unknown,
): FitsFormatError {
  return new FitsFormatError(`${describeFitsLocation(loc)}: ${problem}`, {
    code,
    file: loc.file,
    hdu: loc.hdu,
    card: loc.card ?? loc.column,
    row: loc.row,
    tile: loc.tile,
    offset: loc.offset,
    cause,
  });
}
