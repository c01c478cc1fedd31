/**
 * The one dtype table of this package: HDF5 class/size/sign <-> our dtype
 * name <-> TypedArray. docs/hdf5-io.md shows the same table.
 */
import type { NumericArray, TypedArrayConstructor } from '@astro/core';
import type { NumericDtype } from '../types.js';

/** HDF5 datatype classes (H5T_class_t). */
export const H5T = {
  INTEGER: 0,
  FLOAT: 1,
  TIME: 2,
  STRING: 3,
  BITFIELD: 4,
  OPAQUE: 5,
  COMPOUND: 6,
  REFERENCE: 7,
  ENUM: 8,
  VLEN: 9,
  ARRAY: 10,
} as const;

/** Everything about one numeric dtype. */
export interface NumericDtypeSpec {
  readonly dtype: NumericDtype;
  readonly h5class: typeof H5T.INTEGER | typeof H5T.FLOAT;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly ctor: TypedArrayConstructor;
  /** h5py/numpy type string (little-endian). */
  readonly numpy: string;
}

export const NUMERIC_DTYPES: Readonly<Record<NumericDtype, NumericDtypeSpec>> = {
  int8: { dtype: 'int8', h5class: H5T.INTEGER, size: 1, signed: true, ctor: Int8Array, numpy: '<i1' },
  uint8: { dtype: 'uint8', h5class: H5T.INTEGER, size: 1, signed: false, ctor: Uint8Array, numpy: '<u1' },
  int16: { dtype: 'int16', h5class: H5T.INTEGER, size: 2, signed: true, ctor: Int16Array, numpy: '<i2' },
  uint16: { dtype: 'uint16', h5class: H5T.INTEGER, size: 2, signed: false, ctor: Uint16Array, numpy: '<u2' },
  int32: { dtype: 'int32', h5class: H5T.INTEGER, size: 4, signed: true, ctor: Int32Array, numpy: '<i4' },
  uint32: { dtype: 'uint32', h5class: H5T.INTEGER, size: 4, signed: false, ctor: Uint32Array, numpy: '<u4' },
  int64: { dtype: 'int64', h5class: H5T.INTEGER, size: 8, signed: true, ctor: BigInt64Array as unknown as TypedArrayConstructor, numpy: '<i8' },
  uint64: { dtype: 'uint64', h5class: H5T.INTEGER, size: 8, signed: false, ctor: BigUint64Array as unknown as TypedArrayConstructor, numpy: '<u8' },
  float32: { dtype: 'float32', h5class: H5T.FLOAT, size: 4, signed: true, ctor: Float32Array, numpy: '<f4' },
  float64: { dtype: 'float64', h5class: H5T.FLOAT, size: 8, signed: true, ctor: Float64Array, numpy: '<f8' },
};

/** Numeric dtype of an HDF5 integer/float type, or undefined (e.g. float16, 3-byte ints). */
export function numericDtypeOf(h5class: number, size: number, signed: boolean): NumericDtype | undefined {
  if (h5class === H5T.INTEGER) {
    switch (size) {
      case 1:
        return signed ? 'int8' : 'uint8';
      case 2:
        return signed ? 'int16' : 'uint16';
      case 4:
        return signed ? 'int32' : 'uint32';
      case 8:
        return signed ? 'int64' : 'uint64';
      default:
        return undefined;
    }
  }
  if (h5class === H5T.FLOAT) {
    if (size === 4) return 'float32';
    if (size === 8) return 'float64';
  }
  return undefined;
}

/** Numeric dtype of a TypedArray (Uint8ClampedArray counts as uint8). */
export function dtypeOfArray(data: NumericArray): NumericDtype {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/** True for the dtypes held in BigInt64Array / BigUint64Array. */
export function isBigDtype(dtype: NumericDtype): boolean {
  return dtype === 'int64' || dtype === 'uint64';
}

/** Convert `data` to the TypedArray of `dtype` (no copy when it already is one). */
export function toDtype(data: NumericArray, dtype: NumericDtype): NumericArray {
  const spec = NUMERIC_DTYPES[dtype];
  if (dtypeOfArray(data) === dtype) return data;
  const out = new spec.ctor(data.length);
  if (isBigDtype(dtype)) {
    const big = out as BigInt64Array | BigUint64Array;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      big[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
    }
  } else {
    const num = out as Exclude<NumericArray, BigInt64Array | BigUint64Array>;
    for (let i = 0; i < data.length; i++) num[i] = Number(data[i]);
  }
  return out;
}
