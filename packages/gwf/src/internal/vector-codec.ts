import { constants as bufferConstants } from 'node:buffer';
import { inflateSync } from 'node:zlib';
import { IS_LITTLE_ENDIAN, swapBytesInPlace, toNativeOrderInPlace } from '@astro/core';
import { GwfFormat, vectTypeOf } from '../format.js';
import type { GwfSamples, GwfVectType } from '../format.js';
import { ZeroSuppressError, expandZeroSuppressed, expandZeroSuppressed64 } from './zero-suppress.js';

/** A decoding problem; the caller adds file/frame/channel. */
export class CodecError extends Error {
  constructor(
    message: string,
    readonly code: 'GWF_BAD_SIZE' | 'GWF_UNKNOWN_COMPRESSION' | 'GWF_UNKNOWN_TYPE' | 'GWF_BAD_STRUCTURE',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What is needed to decode a stored FrVect payload. */
export interface StoredVector {
  /** The stored (possibly compressed) bytes, exactly nBytes long. */
  bytes: Uint8Array;
  /** FrVect.compress as stored. */
  compress: number;
  /** FrVect.type. */
  type: number;
  /** FrVect.nData. */
  nData: number;
  /** Byte order of the file (used for raw data). */
  fileLittleEndian: boolean;
  /** The caller owns `bytes`: raw data may be byte-swapped in place and returned as a view. */
  owned?: boolean;
}

type Ctor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => GwfSamples;
const CTORS: Record<Exclude<GwfVectType['array'], 'string[]'>, Ctor> = {
  Int8Array: Int8Array as unknown as Ctor,
  Uint8Array: Uint8Array as unknown as Ctor,
  Int16Array: Int16Array as unknown as Ctor,
  Uint16Array: Uint16Array as unknown as Ctor,
  Int32Array: Int32Array as unknown as Ctor,
  Uint32Array: Uint32Array as unknown as Ctor,
  BigInt64Array: BigInt64Array as unknown as Ctor,
  BigUint64Array: BigUint64Array as unknown as Ctor,
  Float32Array: Float32Array as unknown as Ctor,
  Float64Array: Float64Array as unknown as Ctor,
};

/** View `bytes` (native order, owned) as the type's typed array; copies only when unaligned. */
function viewSamples(vt: GwfVectType, bytes: Uint8Array, nData: number): GwfSamples {
  const ctor = CTORS[vt.array as Exclude<GwfVectType['array'], 'string[]'>];
  const length = nData * vt.wordsPerSample;
  if (bytes.byteOffset % vt.wordBytes === 0) return new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, length);
  const copy = new Uint8Array(length * vt.wordBytes);
  copy.set(bytes.subarray(0, copy.length));
  return new ctor(copy.buffer, 0, length);
}

/** FrameL's FrVectInt: integrate in place for C, 2S, 4S, 8S, 1U, 2U, 4U (not 8U). */
function integrateInPlace(type: number, samples: GwfSamples): void {
  switch (type) {
    case 0:
    case 12:
    case 1:
    case 9:
    case 4:
    case 10: {
      const a = samples as Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
      for (let i = 1; i < a.length; i++) a[i] = a[i] + a[i - 1];
      return;
    }
    case 5: {
      const a = samples as BigInt64Array;
      for (let i = 1; i < a.length; i++) a[i] = BigInt.asIntN(64, a[i] + a[i - 1]);
      return;
    }
    default:
      return;
  }
}

/** Bytes with words put into little-endian order (copy). */
function wordsToLittleEndian(bytes: Uint8Array, wordBytes: 1 | 2 | 4 | 8, dataLittleEndian: boolean): Uint8Array {
  if (dataLittleEndian) return bytes;
  const copy = bytes.slice(0, bytes.length - (bytes.length % wordBytes));
  swapBytesInPlace(copy, wordBytes);
  return copy;
}

/**
 * Before allocating nData samples: a zero-suppressed stream of n bits holds
 * at most (n - 16) / fieldBits blocks of blockSize samples.
 */
function checkZeroSuppressCapacity(le: Uint8Array, nData: number, fieldBits: number): void {
  if (le.length < 2) return; // the decoder reports it
  const bSize = le[0] | (le[1] << 8);
  if (bSize === 0) return; // the decoder reports it
  const most = Math.floor((le.length * 8 - 16) / fieldBits) * bSize;
  if (nData > most) {
    throw new CodecError(
      `zero-suppressed data of ${le.length} bytes (block ${bSize}) can hold at most ${most} samples, nData is ${nData}`,
      'GWF_BAD_SIZE',
    );
  }
}

const latin1 = new TextDecoder('latin1');

function decodeStrings(bytes: Uint8Array, nData: number, littleEndian: boolean): string[] {
  const out: string[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  for (let i = 0; i < nData; i++) {
    if (p + 2 > bytes.length) throw new CodecError(`STRING vector ends after ${i} of ${nData} strings`, 'GWF_BAD_SIZE');
    const n = dv.getUint16(p, littleEndian);
    p += 2;
    if (p + n > bytes.length) throw new CodecError(`STRING vector ends inside string ${i}`, 'GWF_BAD_SIZE');
    let end = p + n;
    while (end > p && bytes[end - 1] === 0) end--;
    out.push(latin1.decode(bytes.subarray(p, end)));
    p += n;
  }
  return out;
}

/**
 * Decode a stored FrVect payload into native-order samples, exactly as
 * FrameL's FrVectExpand. The result may share memory with `v.bytes` for raw
 * native-order aligned data (no copy); otherwise it is a new array.
 */
export function decodeVector(v: StoredVector): GwfSamples | string[] {
  const vt = vectTypeOf(v.type);
  if (!vt) {
    throw new CodecError(`vector type ${v.type} is not defined (known: 0-14)`, 'GWF_UNKNOWN_TYPE');
  }
  const base = v.compress & 0xff;
  const dataLE = (v.compress & GwfFormat.littleEndianBit) !== 0;
  const expected = v.nData * vt.bytesPerSample;
  if (!Number.isSafeInteger(expected) || expected > bufferConstants.MAX_LENGTH) {
    throw new CodecError(`nData ${v.nData} × ${vt.bytesPerSample} bytes is larger than any buffer (corrupt FrVect?)`, 'GWF_BAD_SIZE');
  }
  if (vt.name === 'STRING') {
    if (base !== 0) throw new CodecError(`compressed STRING vectors are not supported (code ${v.compress})`, 'GWF_UNKNOWN_COMPRESSION');
    if (v.nData * 2 > v.bytes.length) {
      throw new CodecError(`STRING vector of ${v.bytes.length} bytes cannot hold nData ${v.nData} strings`, 'GWF_BAD_SIZE');
    }
    return decodeStrings(v.bytes, v.nData, v.fileLittleEndian);
  }
  switch (base) {
    case 0: {
      if (v.bytes.length !== expected) {
        throw new CodecError(
          `raw data holds ${v.bytes.length} bytes but nData ${v.nData} × ${vt.bytesPerSample} bytes (${vt.name}) = ${expected}`,
          'GWF_BAD_SIZE',
        );
      }
      if (v.fileLittleEndian === IS_LITTLE_ENDIAN || vt.wordBytes === 1) return viewSamples(vt, v.bytes, v.nData);
      const copy = v.owned && v.bytes.byteOffset % vt.wordBytes === 0 ? v.bytes : v.bytes.slice();
      swapBytesInPlace(copy, vt.wordBytes);
      return viewSamples(vt, copy, v.nData);
    }
    case 1:
    case 3: {
      let out: Uint8Array;
      try {
        // One output chunk of the announced size (no concatenation); a stream
        // longer than announced stops at once instead of filling memory.
        out = inflateSync(v.bytes, {
          chunkSize: Math.max(64, Math.min(expected + 64, 64 << 20)),
          maxOutputLength: Math.max(1, expected),
        });
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new CodecError(
            `zlib data decompresses to more than nData ${v.nData} × ${vt.bytesPerSample} bytes (${vt.name}) = ${expected}`,
            'GWF_BAD_SIZE',
            { cause: error },
          );
        }
        throw new CodecError(`zlib data is corrupt (${(error as Error).message})`, 'GWF_BAD_STRUCTURE', { cause: error });
      }
      if (out.length !== expected) {
        throw new CodecError(
          `zlib data decompresses to ${out.length} bytes but nData ${v.nData} × ${vt.bytesPerSample} bytes (${vt.name}) = ${expected}`,
          'GWF_BAD_SIZE',
        );
      }
      toNativeOrderInPlace(out, vt.wordBytes, dataLE);
      const samples = viewSamples(vt, out, v.nData);
      if (base === 3) integrateInPlace(v.type, samples);
      return samples;
    }
    case 5:
    case 6:
    case 8: {
      const width = base === 8 ? 4 : 2;
      if (vt.bytesPerSample !== width) {
        throw new CodecError(
          `compression code ${base} packs ${width}-byte words but the vector type is ${vt.name}`,
          'GWF_BAD_STRUCTURE',
        );
      }
      const le = wordsToLittleEndian(v.bytes, width as 2 | 4, dataLE);
      checkZeroSuppressCapacity(le, v.nData, width === 2 ? 4 : 5);
      const out = width === 2 ? new Int16Array(v.nData) : new Int32Array(v.nData);
      try {
        expandZeroSuppressed(le, out, width === 2 ? 4 : 5);
      } catch (error) {
        if (error instanceof ZeroSuppressError) throw new CodecError(error.message, 'GWF_BAD_SIZE', { cause: error });
        throw error;
      }
      if ((width === 2 && vt.array === 'Int16Array') || (width === 4 && vt.array === 'Int32Array')) return out;
      return viewSamples(vt, new Uint8Array(out.buffer), v.nData);
    }
    case 10: {
      if (vt.bytesPerSample !== 8) {
        throw new CodecError(`compression code 10 packs 8-byte words but the vector type is ${vt.name}`, 'GWF_BAD_STRUCTURE');
      }
      const le = wordsToLittleEndian(v.bytes, 8, dataLE);
      checkZeroSuppressCapacity(le, v.nData, 6);
      const out = new BigInt64Array(v.nData);
      try {
        expandZeroSuppressed64(le, out);
      } catch (error) {
        if (error instanceof ZeroSuppressError) throw new CodecError(error.message, 'GWF_BAD_SIZE', { cause: error });
        throw error;
      }
      return viewSamples(vt, new Uint8Array(out.buffer), v.nData);
    }
    default:
      throw new CodecError(
        `compression code ${v.compress} (base ${base}) is not defined (known: ${GwfFormat.knownCompression.join(',')})`,
        'GWF_UNKNOWN_COMPRESSION',
      );
  }
}
