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
}

/** Options accepted by {@link AstroError} and its subclasses. */
export interface AstroErrorOptions extends ErrorLocation {
  /** Machine-readable code, e.g. `FITS_TRUNCATED`, `HDF5_READ`. */
  code?: string;
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

  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'ASTRO_ERROR';
    const location: ErrorLocation = {};
    for (const key of LOCATION_KEYS) {
      const value = options[key];
      if (value !== undefined) (location as Record<string, unknown>)[key] = value;
    }
    this.location = location;
  }

  /** The file this error concerns, if any. */
  get file(): string | undefined {
    return this.location.file;
  }
}

/** Render an unknown thrown value as a one-line message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
