/**
 * FITS errors and warnings: the codes, the {@link FitsFormatError} class and
 * the FITS way of naming a place (`HDU 1: card NAXIS2`, `HDU 1: column
 * "FLUX": row 3`), rendered by core's `AstroError` with `format: 'FITS'`.
 */
import { AstroError } from '@astro/core';
import type { AstroErrorOptions, AstroWarning, ErrorLocation } from '@astro/core';

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

/** One of the {@link FitsErrorCode} values (`'FITS_TRUNCATED'`, ...). */
export type FitsErrorCode = (typeof FitsErrorCode)[keyof typeof FitsErrorCode];

/** @deprecated Use the type {@link FitsErrorCode}. */
export type FitsErrorCodeValue = FitsErrorCode;

/** Machine-readable codes of the warnings in `FitsFile.warnings` and `FitsHeader.warnings`. */
export const FitsWarningCode = {
  /** A card does not follow the fixed format (no blank after '='); its value was read anyway. */
  cardFormat: 'FITS_CARD_FORMAT',
  /** A card value cannot be parsed; it is kept as text. */
  cardValue: 'FITS_CARD_VALUE',
  /** Bytes after the last HDU are ignored. */
  trailingBytes: 'FITS_TRAILING_BYTES',
  /** The last data unit is not padded to a whole 2880-byte block. */
  unpadded: 'FITS_UNPADDED',
  /** A gzip-compressed file was decompressed whole into memory (no lazy reads). */
  gzipInMemory: 'FITS_GZIP_IN_MEMORY',
} as const;

/** One of the {@link FitsWarningCode} values. */
export type FitsWarningCode = (typeof FitsWarningCode)[keyof typeof FitsWarningCode];

/** A problem found while reading that did not stop it: core's `AstroWarning` with a FITS code. */
export interface FitsWarning extends AstroWarning {
  /** What kind of problem. */
  code: FitsWarningCode;
}

/**
 * Error thrown for a FITS file that is malformed, truncated or not supported,
 * or for a request that does not fit it. `location` names the file, the HDU
 * (zero-based, 0 = primary), the card keyword, the column, the tile or the
 * row, and the message reads `FITS <file>: HDU <n>: card <KEY>: what was
 * found (what was expected)`.
 */
export class FitsFormatError extends AstroError {
  override name = 'FitsFormatError';
  /** What was found, without the file and place (the whole message when no `format` was given). */
  readonly problem: string;

  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: FitsErrorCode.badKeyword, ...options });
    this.problem = message;
  }
}

/** Where a FITS problem is: file, HDU and optionally card, column, row, tile or byte offset. */
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

/** The place of a location in FITS words, without the file: `HDU 1: card NAXIS2`. */
export function describeFitsPlace(loc: FitsLocation): string {
  const parts: string[] = [];
  if (loc.hdu !== undefined) parts.push(`HDU ${loc.hdu}`);
  if (loc.card !== undefined) parts.push(`card ${loc.card}`);
  if (loc.column !== undefined) parts.push(`column ${JSON.stringify(loc.column)}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.tile !== undefined) parts.push(`tile ${loc.tile}`);
  if (loc.offset !== undefined) parts.push(`byte ${loc.offset}`);
  return parts.join(': ');
}

/** A FITS location as core's `ErrorLocation` (the same fields; `column` stays `column`). */
export function toErrorLocation(loc: FitsLocation): ErrorLocation {
  return { file: loc.file, hdu: loc.hdu, card: loc.card, column: loc.column, row: loc.row, tile: loc.tile, offset: loc.offset };
}

/**
 * Build a {@link FitsFormatError}: core renders `FITS file: place: problem`
 * with the place in FITS words. `problem` says what was found and what was
 * expected.
 */
export function fitsError(loc: FitsLocation, problem: string, code: FitsErrorCode, cause?: unknown): FitsFormatError {
  return new FitsFormatError(problem, {
    format: 'FITS',
    place: describeFitsPlace(loc),
    code,
    ...toErrorLocation(loc),
    cause,
  });
}

/** A {@link FitsWarning} at `loc`. */
export function fitsWarning(loc: FitsLocation, message: string, code: FitsWarningCode): FitsWarning {
  const location: ErrorLocation = {};
  for (const [k, v] of Object.entries(toErrorLocation(loc))) if (v !== undefined) (location as Record<string, unknown>)[k] = v;
  return { code, message, location };
}
