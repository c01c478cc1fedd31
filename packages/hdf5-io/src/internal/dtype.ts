/**
 * HDF5's on-disk codes for core's dtypes: datatype class and sign of each
 * numeric {@link Dtype}, and the way back from an HDF5 class/size/sign. The
 * dtype names, typed arrays and sizes are core's (`DTYPE_ARRAY`,
 * `DTYPE_SIZE`, `dtypeOf`); docs/hdf5-io.md shows the same table.
 */
import { DTYPE_ARRAY, dtypeOf } from '@astro/core';
import type { Dtype, DtypeArray, DtypeArrayConstructor, NumericArray } from '@astro/core';

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

/** HDF5 class and sign of one numeric dtype (its size is core's `DTYPE_SIZE`). */
export interface H5NumericCode {
  readonly h5class: typeof H5T.INTEGER | typeof H5T.FLOAT;
  readonly signed: boolean;
}

const int = (signed: boolean): H5NumericCode => ({ h5class: H5T.INTEGER, signed });
const float: H5NumericCode = { h5class: H5T.FLOAT, signed: true };

/** dtype -> HDF5 class and sign. */
export const H5_NUMERIC: { readonly [D in Dtype]: H5NumericCode } = {
  int8: int(true),
  uint8: int(false),
  int16: int(true),
  uint16: int(false),
  int32: int(true),
  uint32: int(false),
  int64: int(true),
  uint64: int(false),
  float32: float,
  float64: float,
};

/** Whether `name` is one of core's numeric dtypes. */
export function isNumericDtype(name: string): name is Dtype {
  return Object.hasOwn(DTYPE_ARRAY, name);
}

/** A typed array of `dtype` over `count` values of `bytes` (a view; `bytes` must be aligned for the type). */
export function arrayOfBytes(dtype: Dtype, bytes: Uint8Array, count: number): DtypeArray {
  const ctor = DTYPE_ARRAY[dtype] as DtypeArrayConstructor;
  return new ctor(bytes.buffer, bytes.byteOffset, count);
}

/** An empty-initialised typed array of `dtype` and `length` values. */
export function newArrayOf(dtype: Dtype, length: number): DtypeArray {
  const ctor = DTYPE_ARRAY[dtype] as DtypeArrayConstructor;
  return new ctor(length);
}

/** Numeric dtype of an HDF5 integer/float type, or undefined (e.g. float16, 3-byte ints). */
export function numericDtypeOf(h5class: number, size: number, signed: boolean): Dtype | undefined {
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

/** Dtype of a numeric typed array (core's `dtypeOf`; a `Uint8ClampedArray` is `uint8`). */
export function dtypeOfArray(data: NumericArray): Dtype {
  return dtypeOf(data) ?? 'uint8';
}

/** True for the dtypes held in BigInt64Array / BigUint64Array. */
export function isBigDtype(dtype: Dtype): boolean {
  return dtype === 'int64' || dtype === 'uint64';
}

/** Convert `data` to the TypedArray of `dtype` (no copy when it already is one). */
export function toDtype(data: NumericArray, dtype: Dtype): NumericArray {
  if (dtypeOf(data) === dtype) return data;
  const out = newArrayOf(dtype, data.length);
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
