/**
 * The numeric element types of the SDK, described once. Formats keep only
 * their on-disk codes (FITS BITPIX/TFORM, HDF5 datatype messages, GWF
 * FrVect types) and map them to a {@link Dtype}.
 */

/** Any numeric typed array. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Name of a numeric element type (numpy's names). */
export type Dtype = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/** The typed array of each dtype. */
export interface DtypeArrayMap {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** The typed array holding values of dtype `D`. */
export type ArrayOfDtype<D extends Dtype> = DtypeArrayMap[D];

/** A typed array that holds one of the {@link Dtype}s (no Uint8ClampedArray). */
export type DtypeArray = DtypeArrayMap[Dtype];

/** Constructor of the typed array of `D`. */
export interface DtypeArrayConstructor<D extends Dtype = Dtype> {
  new (length: number): ArrayOfDtype<D>;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayOfDtype<D>;
  readonly BYTES_PER_ELEMENT: number;
}

/** dtype -> typed-array constructor. */
export const DTYPE_ARRAY: { readonly [D in Dtype]: DtypeArrayConstructor<D> } = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: { readonly [D in Dtype]: 1 | 2 | 4 | 8 } = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

/** Every dtype, in the order of the table above. */
export const DTYPES = Object.keys(DTYPE_ARRAY) as readonly Dtype[];

/**
 * The dtype of a typed array (a `Uint8ClampedArray` is `uint8`), or
 * `undefined` for anything else.
 */
export function dtypeOf(array: unknown): Dtype | undefined {
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint32Array) return 'uint32';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Uint16Array) return 'uint16';
  if (array instanceof Uint8Array || array instanceof Uint8ClampedArray) return 'uint8';
  if (array instanceof Int8Array) return 'int8';
  if (array instanceof BigInt64Array) return 'int64';
  if (array instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/** True for the integer dtypes. */
export function isIntegerDtype(dtype: Dtype): boolean {
  return !dtype.startsWith('float');
}
