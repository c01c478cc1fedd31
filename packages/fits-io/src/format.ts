/**
 * The FITS format described once: block and card sizes, the BITPIX and
 * TFORM tables with the dtype each decodes to (core's `DTYPE_ARRAY` gives
 * the TypedArray of a dtype).
 */
import type { Dtype, DtypeArray } from '@astro/core';

/** Element type of decoded arrays, named as numpy names them: core's {@link Dtype}. */
export type FitsDtype = Dtype;

/** A decoded numeric array of one of the {@link FitsDtype} types: core's {@link DtypeArray}. */
export type FitsTypedArray = DtypeArray;

/** Legal values of BITPIX. */
export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

/** FITS format constants and type tables. */
export const FitsFormat = {
  /** Bytes per block (headers and data units are padded to a multiple). */
  blockSize: 2880,
  /** Bytes per header card. */
  cardSize: 80,
  /** Cards per block. */
  cardsPerBlock: 36,
  /**
   * BITPIX -> stored dtype and bytes per value; `unsignedBzero` is the BZERO
   * that turns the signed stored type into `unsigned` (astropy's convention).
   */
  bitpix: {
    8: { dtype: 'uint8', bytes: 1, unsignedBzero: -128, unsigned: 'int8', scaled: 'float32' },
    16: { dtype: 'int16', bytes: 2, unsignedBzero: 32768, unsigned: 'uint16', scaled: 'float32' },
    32: { dtype: 'int32', bytes: 4, unsignedBzero: 2147483648, unsigned: 'uint32', scaled: 'float64' },
    64: { dtype: 'int64', bytes: 8, unsignedBzero: 9223372036854775808, unsigned: 'uint64', scaled: 'float64' },
    [-32]: { dtype: 'float32', bytes: 4, unsignedBzero: undefined, unsigned: undefined, scaled: 'float32' },
    [-64]: { dtype: 'float64', bytes: 8, unsignedBzero: undefined, unsigned: undefined, scaled: 'float64' },
  },
  /**
   * Binary-table TFORM letters -> bytes per element and the dtype of a
   * column without scaling (`string`, `bool`, `bit`, `complex64`/`complex128`
   * for the non-numeric kinds; P and Q are variable-length descriptors).
   */
  tform: {
    L: { bytes: 1, dtype: 'bool' },
    X: { bytes: 0, dtype: 'bit' },
    B: { bytes: 1, dtype: 'uint8' },
    I: { bytes: 2, dtype: 'int16' },
    J: { bytes: 4, dtype: 'int32' },
    K: { bytes: 8, dtype: 'int64' },
    A: { bytes: 1, dtype: 'string' },
    E: { bytes: 4, dtype: 'float32' },
    D: { bytes: 8, dtype: 'float64' },
    C: { bytes: 8, dtype: 'complex64' },
    M: { bytes: 16, dtype: 'complex128' },
    P: { bytes: 8, dtype: 'descriptor32' },
    Q: { bytes: 16, dtype: 'descriptor64' },
  },
  /**
   * TZERO values that make a signed integer table column unsigned (astropy
   * has no signed-byte convention for tables: B with TZERO -128 is float64).
   */
  unsignedTzero: { I: 32768, J: 2147483648, K: 9223372036854775808 },
} as const;

/** True for a legal BITPIX value. */
export function isBitpix(value: unknown): value is Bitpix {
  return value === 8 || value === 16 || value === 32 || value === 64 || value === -32 || value === -64;
}

/** Round `n` up to a whole number of blocks. */
export function padToBlock(n: number): number {
  return Math.ceil(n / FitsFormat.blockSize) * FitsFormat.blockSize;
}
