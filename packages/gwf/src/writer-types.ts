/**
 * What {@link GwfWriter} and {@link writeGwf} take: frames, channels and
 * options.
 */
import type { Durability } from '@astro/core';
import type { GwfSamples } from './format.js';

/**
 * Compression of a written vector:
 * `raw` (code 0), `zlib` (1), `diff-zlib` (3: first differences then zlib,
 * integer types only, others fall back to zlib) and `zero-suppress` (5 for
 * 2-byte integers, 8 for 4-byte integers and float32, 10 for 8-byte
 * integers, zlib for other types).
 * As FrameL, a vector is stored raw when compression does not make it smaller
 * or cannot represent it.
 */
export type GwfCompression = 'raw' | 'zlib' | 'diff-zlib' | 'zero-suppress';

/** One channel of a frame to write. */
export interface GwfWriteChannel {
  /** Channel name, e.g. `V1:Hrec_hoft_16384Hz`. */
  name: string;
  /** Structure kind (default 'proc'). */
  kind?: 'adc' | 'proc' | 'sim';
  /**
   * Samples (native byte order). The FrVect type follows the array:
   * Float64Array REAL_8, Float32Array REAL_4, Int32Array INT_4S, Int16Array
   * INT_2S, Int8Array CHAR, Uint8Array CHAR_U, Uint16Array INT_2U,
   * Uint32Array INT_4U, BigInt64Array INT_8S, BigUint64Array INT_8U; with
   * `complex`, interleaved float pairs are COMPLEX_8 / COMPLEX_16.
   */
  data: GwfSamples;
  /** Interleaved (re, im) pairs. */
  complex?: boolean;
  /** Samples per second. */
  sampleRate: number;
  /** Unit of the samples (FrVect.unitY, and FrAdcData.units). */
  unit?: string;
  /** Offset of the first sample from the frame start, seconds (default 0). */
  timeOffset?: number;
  /** Compression of this channel (default: the writer's). */
  compression?: GwfCompression;
  /** Comment. */
  comment?: string;
  /** ADC calibration offset (default 0). */
  bias?: number;
  /** ADC calibration factor (default 1). */
  slope?: number;
  /** ADC digitiser bits (default from the type). */
  nBits?: number;
  /** ADC channel group / number (default 0). */
  channelGroup?: number;
  /** ADC channel number (default 0). */
  channelNumber?: number;
}

/** One frame to write. */
export interface GwfWriteFrame {
  /** Frame start, GPS nanoseconds. */
  t0Gps: bigint;
  /** Frame length, seconds. */
  durationSeconds: number;
  /** Frame name (default the writer's `frameName`). */
  name?: string;
  /** Run number (default 0). */
  run?: number;
  /** Frame number (default: running count). */
  frameNumber?: number;
  /** Data quality word (default 0). */
  dataQuality?: number;
  /** Leap seconds TAI-UTC (default 37, valid since 2017). */
  leapSeconds?: number;
  /** Channels of the frame. */
  channels: GwfWriteChannel[];
}

/** Options of {@link GwfWriter.create} and {@link writeGwf}. */
export interface GwfWriterOptions {
  /** Default compression of channels (default 'zlib'). */
  compression?: GwfCompression;
  /** zlib level 0-9 (default 6). */
  zlibLevel?: number;
  /** Write a table of contents (default true). */
  toc?: boolean;
  /** Write structure and file checksums (default true). */
  checksums?: boolean;
  /** Frame name when a frame has none (default 'AstroGWF'). */
  frameName?: string;
  /**
   * Byte order of the file (default 'little'). 'big' writes what a
   * big-endian machine would: big-endian structures and payloads, and
   * compression codes without the 0x100 little-endian bit.
   */
  byteOrder?: 'little' | 'big';
  /**
   * How hard {@link GwfWriter.close} works to survive a crash (default
   * 'fsync': the file is fsynced, renamed into place and its directory
   * fsynced; 'none' skips both fsyncs, for scratch files). Core's
   * `openAtomicFile` rule, the same for every format.
   */
  durability?: Durability;
}
