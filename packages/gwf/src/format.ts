/**
 * The IGWD frame format (LIGO-T970130) described once: vector types,
 * compression codes and structure names. Class ids are NOT here: each file
 * numbers its structures in its own dictionary (FrSH), see `GwfFile.dictionary`.
 */
import type { DtypeArray } from '@astro/core';

/**
 * Samples of a decoded FrVect (complex types interleave re, im; STRING gives
 * `string[]`): core's {@link DtypeArray}, every numeric typed array but
 * Uint8ClampedArray. Kept under this name for users who import it.
 */
export type GwfSamples = DtypeArray;

/** Name of a FrVect type as in the specification. */
export type GwfTypeName =
  | 'CHAR'
  | 'INT_2S'
  | 'REAL_8'
  | 'REAL_4'
  | 'INT_4S'
  | 'INT_8S'
  | 'COMPLEX_8'
  | 'COMPLEX_16'
  | 'STRING'
  | 'INT_2U'
  | 'INT_4U'
  | 'INT_8U'
  | 'CHAR_U'
  | 'HALF_COMPLEX_8'
  | 'HALF_COMPLEX_16';

/** One row of the FrVect type table. */
export interface GwfVectType {
  /** Type code stored in FrVect.type. */
  readonly code: number;
  /** Specification name. */
  readonly name: GwfTypeName;
  /** numpy-style dtype of the decoded samples ('complex64' interleaves two float32). */
  readonly dtype: string;
  /** Bytes per sample (a complex sample counts both parts); 0 for STRING. */
  readonly bytesPerSample: number;
  /** Bytes of one scalar word (byte-swap unit). */
  readonly wordBytes: 1 | 2 | 4 | 8;
  /** Scalar words per sample (2 for complex). */
  readonly wordsPerSample: 1 | 2;
  /** Name of the typed array holding decoded samples. */
  readonly array:
    | 'Int8Array'
    | 'Uint8Array'
    | 'Int16Array'
    | 'Uint16Array'
    | 'Int32Array'
    | 'Uint32Array'
    | 'BigInt64Array'
    | 'BigUint64Array'
    | 'Float32Array'
    | 'Float64Array'
    | 'string[]';
  /** True for signed or unsigned integers (integrated by the difference codes). */
  readonly integer: boolean;
}

const T = (
  code: number,
  name: GwfTypeName,
  dtype: string,
  wordBytes: 1 | 2 | 4 | 8,
  wordsPerSample: 1 | 2,
  array: GwfVectType['array'],
  integer: boolean,
): GwfVectType => ({
  code,
  name,
  dtype,
  bytesPerSample: array === 'string[]' ? 0 : wordBytes * wordsPerSample,
  wordBytes,
  wordsPerSample,
  array,
  integer,
});

/** Everything the reader and the writer know about the format, in one place. */
export const GwfFormat = {
  /** First 5 bytes of every frame file. */
  magic: 'IGWD\0',
  /** Bytes of the file header. */
  headerBytes: 40,
  /** Frame format versions this package reads. */
  supportedVersions: [4, 6, 8] as readonly number[],
  /** FrVect types by code (index = FrVect.type). */
  vectTypes: [
    T(0, 'CHAR', 'int8', 1, 1, 'Int8Array', true),
    T(1, 'INT_2S', 'int16', 2, 1, 'Int16Array', true),
    T(2, 'REAL_8', 'float64', 8, 1, 'Float64Array', false),
    T(3, 'REAL_4', 'float32', 4, 1, 'Float32Array', false),
    T(4, 'INT_4S', 'int32', 4, 1, 'Int32Array', true),
    T(5, 'INT_8S', 'int64', 8, 1, 'BigInt64Array', true),
    T(6, 'COMPLEX_8', 'complex64', 4, 2, 'Float32Array', false),
    T(7, 'COMPLEX_16', 'complex128', 8, 2, 'Float64Array', false),
    T(8, 'STRING', 'string', 1, 1, 'string[]', false),
    T(9, 'INT_2U', 'uint16', 2, 1, 'Uint16Array', true),
    T(10, 'INT_4U', 'uint32', 4, 1, 'Uint32Array', true),
    T(11, 'INT_8U', 'uint64', 8, 1, 'BigUint64Array', true),
    T(12, 'CHAR_U', 'uint8', 1, 1, 'Uint8Array', true),
    T(13, 'HALF_COMPLEX_8', 'float32', 4, 1, 'Float32Array', false),
    T(14, 'HALF_COMPLEX_16', 'float64', 8, 1, 'Float64Array', false),
  ] as readonly GwfVectType[],
  /**
   * FrVect compression codes (low byte of FrVect.compress; bit 0x100 set
   * means the compressed words were written little-endian).
   */
  compression: {
    raw: 0,
    zlib: 1,
    differenceZlib: 3,
    zeroSuppress2: 5,
    zeroSuppressOrZlib: 6,
    zeroSuppress4: 8,
    zeroSuppress8: 10,
  },
  /** Compression codes the reader decodes (6 is read as 5, as FrameL does). */
  knownCompression: [0, 1, 3, 5, 6, 8, 10] as readonly number[],
  /** Bit of FrVect.compress meaning "written by a little-endian machine". */
  littleEndianBit: 0x100,
  /** Structure classes with fixed ids in every file: the dictionary itself. */
  fixedClasses: { FrSH: 1, FrSE: 2 },
} as const;

/** The type table row for `code`, or undefined for an unknown type. */
export function vectTypeOf(code: number): GwfVectType | undefined {
  return GwfFormat.vectTypes[code];
}
