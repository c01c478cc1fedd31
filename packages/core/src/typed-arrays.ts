import type { NumericArray } from './dtype.js';

/**
 * A `Uint8Array` over exactly the bytes of `view` (respects `byteOffset` and
 * `byteLength`; does not copy).
 */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Constructor of a numeric typed array. */
export type TypedArrayConstructor<T extends NumericArray = NumericArray> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * View `bytes` as a typed array of `ctor` when aligned, otherwise copy once.
 * Bytes must already be in native byte order. Copies only when
 * `bytes.byteOffset` is not a multiple of the element size.
 */
export function viewAs<T extends NumericArray>(ctor: TypedArrayConstructor<T>, bytes: Uint8Array): T {
  const size = ctor.BYTES_PER_ELEMENT;
  const length = Math.floor(bytes.byteLength / size);
  if (bytes.byteOffset % size === 0) return new ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = new Uint8Array(length * size);
  copy.set(bytes.subarray(0, length * size));
  return new ctor(copy.buffer, 0, length);
}
