import type { NumericArray } from './types.js';

/** True when this machine stores multi-byte numbers little-endian. */
export const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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

/**
 * Swap the byte order of every `wordSize`-byte word of `bytes` in place
 * (wordSize 1 is a no-op). Used once at an I/O edge to reach native order.
 */
export function swapBytesInPlace(bytes: Uint8Array, wordSize: 1 | 2 | 4 | 8 | 16): void {
  const n = bytes.length - (bytes.length % wordSize);
  switch (wordSize) {
    case 1:
      return;
    case 2:
      for (let i = 0; i < n; i += 2) {
        const a = bytes[i];
        bytes[i] = bytes[i + 1];
        bytes[i + 1] = a;
      }
      return;
    case 4:
      for (let i = 0; i < n; i += 4) {
        const a = bytes[i];
        const b = bytes[i + 1];
        bytes[i] = bytes[i + 3];
        bytes[i + 1] = bytes[i + 2];
        bytes[i + 2] = b;
        bytes[i + 3] = a;
      }
      return;
    default: {
      const half = wordSize >> 1;
      for (let i = 0; i < n; i += wordSize) {
        for (let j = 0; j < half; j++) {
          const a = bytes[i + j];
          bytes[i + j] = bytes[i + wordSize - 1 - j];
          bytes[i + wordSize - 1 - j] = a;
        }
      }
    }
  }
}
