/**
 * Where in a file (or batch) something went wrong. Every field is optional;
 * format packages fill the ones that apply (FITS: hdu/card, GWF: frame/channel,
 * HDF5: dataset, VIRAC: tile).
 */
export interface ErrorLocation {
  /** Path of the file, when the error concerns one. */
  file?: string;
  /** HDF5 object path, e.g. `/timeSeries/hfad_mag`. */
  dataset?: string;
  /** FITS HDU index (0 = primary). */
  hdu?: number;
  /** FITS header card keyword. */
  card?: string;
  /** FITS compressed tile (zero-based) or VIRAC tile id. */
  tile?: number | string;
  /** GWF frame number (zero-based). */
  frame?: number;
  /** GWF structure name (FrVect, FrAdcData, ...). */
  structure?: string;
  /** Channel name. */
  channel?: string;
  /** Byte offset in the file. */
  offset?: number;
  /** Row index (tables, sources). */
  row?: number;
  /** Column name or number (tables, CSV). */
  column?: string | number;
}

/** Options accepted by {@link AstroError} and its subclasses. */
export interface AstroErrorOptions extends ErrorLocation {
  /** Machine-readable code, e.g. `FITS_TRUNCATED`, `HDF5_READ`. */
  code?: string;
  /**
   * The format or package the error comes from (`'FITS'`, `'GWF'`, `'HDF5'`,
   * `'VIRAC'` ...). When given, the constructor's `message` is only the
   * problem and the full message is rendered by {@link formatErrorMessage}:
   * `FORMAT file: place: problem`.
   */
  format?: string;
  /**
   * The place, already rendered in the format's own words (FITS:
   * `HDU 1: column "FLUX": row 3`), used by the `format` rendering instead of
   * {@link describeLocation}. The location fields are still recorded.
   */
  place?: string;
  /**
   * The head, already rendered in the format's own words (HDF5:
   * `HDF5: /data/t.h5`), used by the `format` rendering instead of
   * `FORMAT file`. The location fields are still recorded.
   */
  head?: string;
  /** The underlying error (h5wasm, fs, zlib ...). */
  cause?: unknown;
}

const LOCATION_KEYS = [
  'file',
  'dataset',
  'hdu',
  'card',
  'tile',
  'frame',
  'structure',
  'channel',
  'offset',
  'row',
  'column',
] as const satisfies readonly (keyof ErrorLocation)[];

/**
 * Base class of every error thrown by an `@astro` package.
 *
 * It carries a string `code`, the `cause` (kept, never swallowed) and the
 * location where the problem was found, so a batch job can log it and go on.
 * The message is the one given: format packages build it as
 * "format: location: what was found (what was expected / what to do)".
 */
export class AstroError extends Error {
  override name = 'AstroError';
  /** Machine-readable error code. */
  readonly code: string;
  /** Where it happened. */
  readonly location: ErrorLocation;

  /** The format or package the error comes from, when given. */
  readonly format: string | undefined;

  constructor(message: string, options: AstroErrorOptions = {}) {
    const location = pickLocation(options);
    super(
      options.format === undefined ? message : formatErrorMessage(options.format, location, message, options.place, options.head),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = options.code ?? 'ASTRO_ERROR';
    this.format = options.format;
    this.location = location;
  }

  /** The file this error concerns, if any. */
  get file(): string | undefined {
    return this.location.file;
  }
}

/** The location fields of `options` (undefined ones dropped). */
export function pickLocation(options: ErrorLocation): ErrorLocation {
  const location: ErrorLocation = {};
  for (const key of LOCATION_KEYS) {
    const value = options[key];
    if (value !== undefined) (location as Record<string, unknown>)[key] = value;
  }
  return location;
}

/**
 * Describe a location without its file, in reading order:
 * `HDU 1, card NAXIS2, row 3`.
 */
export function describeLocation(location: ErrorLocation): string {
  const parts: string[] = [];
  if (location.hdu !== undefined) parts.push(`HDU ${location.hdu}`);
  if (location.dataset !== undefined) parts.push(`dataset ${location.dataset}`);
  if (location.tile !== undefined) parts.push(`tile ${location.tile}`);
  if (location.frame !== undefined) parts.push(`frame ${location.frame}`);
  if (location.structure !== undefined) parts.push(location.structure);
  if (location.channel !== undefined) parts.push(`channel "${location.channel}"`);
  if (location.card !== undefined) parts.push(`card ${location.card}`);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  if (location.offset !== undefined) parts.push(`byte ${location.offset}`);
  return parts.join(', ');
}

/**
 * The SDK's one message shape: `FORMAT file: place: problem`, leaving out
 * what is not known (`GWF a.gwf: frame 3, FrVect, channel "H1:X": compression
 * code 42 is not defined`). `place` replaces the rendered location and
 * `head` the `FORMAT file` part when a format words them its own way.
 */
export function formatErrorMessage(
  format: string,
  location: ErrorLocation,
  problem: string,
  place = describeLocation(location),
  head = location.file === undefined ? format : `${format} ${location.file}`,
): string {
  return place === '' ? `${head}: ${problem}` : `${head}: ${place}: ${problem}`;
}

/**
 * A problem that did not stop the work, returned as data (never printed by a
 * library): a code, a message and where it was found.
 */
export interface AstroWarning {
  /** Machine-readable code, e.g. `FITS_CARD_ORDER`. */
  code: string;
  /** What was found and what was done about it. */
  message: string;
  /** Where it was found. */
  location: ErrorLocation;
}

/** Render an unknown thrown value as a one-line message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
