/**
 * The HDUs given to {@link toFitsBytes} and {@link writeFits}: images, empty
 * HDUs, binary tables and ASCII tables with their columns.
 */
import type { Bitpix, FitsTypedArray } from './format.js';
import type { FitsHeaderInput } from './header-input.js';

/** An image HDU to write. */
export interface ImageHduInput {
  /** Discriminator. */
  kind: 'image';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Physical pixel values, x fastest (`data[y * shape[0] + x]`), native byte order. */
  data: FitsTypedArray;
  /** Shape in FITS order `[NAXIS1, NAXIS2, ...]`; its product must equal `data.length`. */
  shape: number[];
  /** Extra header cards (mandatory and scaling keywords are computed and override these). */
  header?: FitsHeaderInput;
  /**
   * Stored type. Default: from the array type (Uint8 8, Int8 8 + BZERO -128,
   * Int16 16, Uint16 16 + BZERO 32768, Int32 32, Uint32 32 + BZERO 2^31,
   * BigInt64 64, BigUint64 64 + BZERO 2^63, Float32 -32, Float64 -64).
   * An integer BITPIX with float data quantises: stored = round((value - bzero) / bscale).
   */
  bitpix?: Bitpix;
  /** BSCALE for quantising float data to an integer BITPIX (default 1). */
  bscale?: number;
  /** BZERO for quantising float data to an integer BITPIX (default 0). */
  bzero?: number;
  /** BLANK: stored value for NaN when quantising float data (default: the type's minimum; required for BITPIX 8). */
  blank?: number;
}

/** A header-only HDU (primary without data, or an IMAGE extension with NAXIS = 0). */
export interface EmptyHduInput {
  /** Discriminator. */
  kind: 'empty';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Extra header cards. */
  header?: FitsHeaderInput;
}

/**
 * One binary-table column to write. The TFORM is inferred from `data` unless
 * `format` is given: typed arrays give B, B+TZERO -128 (Int8), I, I+TZERO
 * 32768 (Uint16), J, J+TZERO 2^31 (Uint32), K, K+TZERO 2^63 (BigUint64), E, D
 * with repeat `data.length / nrows`; `string[]` gives `wA` (w = longest);
 * `boolean[]` gives L; an array of typed arrays or strings (one per row) gives
 * a variable-length `P<T>(max)` column (Q when the heap exceeds 2 GiB).
 * Give `format` for L from 0/1 Uint8Array, X bits (0/1 per bit), C/M
 * complex (interleaved re, im), or to quantise floats into an integer column
 * with `tscal`/`tzero`.
 */
export interface TableColumnInput {
  /** TTYPEn. */
  name: string;
  /** Values, row-major (`nrows * repeat` elements), or one entry per row for variable-length columns. */
  data: FitsTypedArray | string[] | boolean[] | Array<FitsTypedArray | string>;
  /** TFORMn, e.g. `1J`, `5E`, `12A`, `1PB(100)`, `8X`, `C`. */
  format?: string;
  /** TUNITn. */
  unit?: string;
  /** TDIMn in FITS order. */
  dim?: number[];
  /** TSCALn: float values are stored as round((value - tzero) / tscal). */
  tscal?: number;
  /** TZEROn (the unsigned offsets are set automatically for unsigned arrays). */
  tzero?: number | bigint;
  /** TNULLn for integer columns. */
  tnull?: number;
}

/** A binary-table HDU to write. */
export interface BinaryTableHduInput {
  /** Discriminator. */
  kind: 'binary-table';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Columns in order. */
  columns: TableColumnInput[];
  /** Number of rows (default: inferred from the first column; needed for tables without columns). */
  nrows?: number;
  /** Extra header cards written after the column keywords (e.g. the Z keywords of a compressed image). */
  header?: FitsHeaderInput;
}

/** One ASCII-table column to write. */
export interface AsciiColumnInput {
  /** TTYPEn. */
  name: string;
  /** Values: integer or float typed arrays, or strings. */
  data: FitsTypedArray | string[];
  /**
   * TFORMn: `Iw`, `Fw.d`, `Ew.d`, `Dw.d` or `Aw`. Default as astropy: I10
   * (8/16-bit), I11 (32-bit), I21 (64-bit), E15.7 (Float32), D25.17
   * (Float64), A<longest> (strings).
   */
  format?: string;
  /** TUNITn. */
  unit?: string;
  /** TNULLn: the text written for NaN (float columns); without it NaN is an error. */
  tnull?: string;
}

/** An ASCII-table HDU (XTENSION = 'TABLE') to write. */
export interface AsciiTableHduInput {
  /** Discriminator. */
  kind: 'ascii-table';
  /** EXTNAME (not written when absent). */
  name?: string;
  /** Columns in order (all of the same length). */
  columns: AsciiColumnInput[];
  /** Extra header cards. */
  header?: FitsHeaderInput;
}

/** Any HDU that {@link toFitsBytes} and {@link writeFits} accept. */
export type FitsHduInput = ImageHduInput | EmptyHduInput | BinaryTableHduInput | AsciiTableHduInput;
