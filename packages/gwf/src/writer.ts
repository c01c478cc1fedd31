import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { tempNameFor } from '@astro/core';
import type { GwfSamples } from './format.js';
import { GwfFormat } from './format.js';
import { GwfFormatError } from './errors.js';
import { littleEndianBytes } from './sample-stats.js';
import { crcFinish, crcUpdate, posixCksum } from './internal/cksum.js';
import { compressZeroSuppressed, compressZeroSuppressed64 } from './internal/zero-suppress.js';
import { swapWordsInPlace } from './internal/byte-swap.js';

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

/** Queued output is written once it reaches this size (and at every frame end). */
const FLUSH_BYTES = 4 << 20;

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
}

// Class ids of this writer. Readers must take them from the dictionary; they
// deliberately differ from FrameL's and FrameCPP's numbering.
const CLASS = {
  FrameH: 3,
  FrAdcData: 4,
  FrEndOfFrame: 6,
  FrProcData: 8,
  FrRawData: 9,
  FrSimData: 10,
  FrTOC: 11,
  FrVect: 12,
  FrEndOfFile: 13,
} as const;

type ClassName = keyof typeof CLASS;
const NULL_REF: [number, number] = [0, 0];

const DICTIONARY: Record<ClassName, [string, string, string][]> = {
  FrameH: [
    ['name', 'STRING', ''], ['run', 'INT_4S', ''], ['frame', 'INT_4U', ''], ['dataQuality', 'INT_4U', ''],
    ['GTimeS', 'INT_4U', ''], ['GTimeN', 'INT_4U', ''], ['ULeapS', 'INT_2U', ''], ['dt', 'REAL_8', ''],
    ['type', 'PTR_STRUCT(FrVect *)', ''], ['user', 'PTR_STRUCT(FrVect *)', ''],
    ['detectSim', 'PTR_STRUCT(FrDetector *)', ''], ['detectProc', 'PTR_STRUCT(FrDetector *)', ''],
    ['history', 'PTR_STRUCT(FrHistory *)', ''], ['rawData', 'PTR_STRUCT(FrRawData *)', ''],
    ['procData', 'PTR_STRUCT(FrProcData *)', ''], ['simData', 'PTR_STRUCT(FrSimData *)', ''],
    ['event', 'PTR_STRUCT(FrEvent *)', ''], ['simEvent', 'PTR_STRUCT(FrSimEvent *)', ''],
    ['summaryData', 'PTR_STRUCT(FrSummary *)', ''], ['auxData', 'PTR_STRUCT(FrVect *)', ''],
    ['auxTable', 'PTR_STRUCT(FrTable *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrAdcData: [
    ['name', 'STRING', ''], ['comment', 'STRING', ''], ['channelGroup', 'INT_4U', ''], ['channelNumber', 'INT_4U', ''],
    ['nBits', 'INT_4U', ''], ['bias', 'REAL_4', ''], ['slope', 'REAL_4', ''], ['units', 'STRING', ''],
    ['sampleRate', 'REAL_8', ''], ['timeOffset', 'REAL_8', ''], ['fShift', 'REAL_8', ''], ['phase', 'REAL_4', ''],
    ['dataValid', 'INT_2U', ''], ['data', 'PTR_STRUCT(FrVect *)', ''], ['aux', 'PTR_STRUCT(FrVect *)', ''],
    ['next', 'PTR_STRUCT(FrAdcData *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrEndOfFrame: [['run', 'INT_4S', ''], ['frame', 'INT_4U', ''], ['GTimeS', 'INT_4U', ''], ['GTimeN', 'INT_4U', ''], ['chkSum', 'INT_4U', '']],
  FrProcData: [
    ['name', 'STRING', ''], ['comment', 'STRING', ''], ['type', 'INT_2U', ''], ['subType', 'INT_2U', ''],
    ['timeOffset', 'REAL_8', ''], ['tRange', 'REAL_8', ''], ['fShift', 'REAL_8', ''], ['phase', 'REAL_4', ''],
    ['fRange', 'REAL_8', ''], ['BW', 'REAL_8', ''], ['nAuxParam', 'INT_2U', ''], ['auxParam', 'REAL_8[nAuxParam]', ''],
    ['auxParamNames', 'STRING[nAuxParam]', ''], ['data', 'PTR_STRUCT(FrVect *)', ''], ['aux', 'PTR_STRUCT(FrVect *)', ''],
    ['table', 'PTR_STRUCT(FrTable *)', ''], ['history', 'PTR_STRUCT(FrHistory *)', ''],
    ['next', 'PTR_STRUCT(FrProcData *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrRawData: [
    ['name', 'STRING', ''], ['firstSer', 'PTR_STRUCT(FrSerData *)', ''], ['firstAdc', 'PTR_STRUCT(FrAdcData *)', ''],
    ['firstTable', 'PTR_STRUCT(FrTable *)', ''], ['logMsg', 'PTR_STRUCT(FrMsg *)', ''], ['more', 'PTR_STRUCT(FrVect *)', ''],
    ['chkSum', 'INT_4U', ''],
  ],
  FrSimData: [
    ['name', 'STRING', ''], ['comment', 'STRING', ''], ['sampleRate', 'REAL_8', ''], ['timeOffset', 'REAL_8', ''],
    ['fShift', 'REAL_8', ''], ['phase', 'REAL_4', ''], ['data', 'PTR_STRUCT(FrVect *)', ''], ['input', 'PTR_STRUCT(FrVect *)', ''],
    ['table', 'PTR_STRUCT(FrTable *)', ''], ['next', 'PTR_STRUCT(FrSimData *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrTOC: [['ULeapS', 'INT_2S', ''], ['nFrame', 'INT_4U', ''], ['chkSum', 'INT_4U', '']],
  FrVect: [
    ['name', 'STRING', ''], ['compress', 'INT_2U', ''], ['type', 'INT_2U', ''], ['nData', 'INT_8U', ''],
    ['nBytes', 'INT_8U', ''], ['data', 'CHAR[nBytes]', ''], ['nDim', 'INT_4U', ''], ['nx', 'INT_8U[nDim]', ''],
    ['dx', 'REAL_8[nDim]', ''], ['startX', 'REAL_8[nDim]', ''], ['unitX', 'STRING[nDim]', ''], ['unitY', 'STRING', ''],
    ['next', 'PTR_STRUCT(FrVect *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrEndOfFile: [
    ['nFrames', 'INT_4U', ''], ['nBytes', 'INT_8U', ''], ['seekTOC', 'INT_8U', ''], ['chkSumFrHeader', 'INT_4U', ''],
    ['chkSum', 'INT_4U', ''], ['chkSumFile', 'INT_4U', ''],
  ],
};

/** Little-endian byte builder. */
class Out {
  constructor(private readonly le = true) {}
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  length = 0;
  private grow(n: number): number {
    const p = this.length;
    if (p + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, p + n));
      next.set(this.buf.subarray(0, p));
      this.buf = next;
      this.dv = new DataView(next.buffer);
    }
    this.length = p + n;
    return p;
  }
  u8(v: number): this {
    const p = this.grow(1);
    this.dv.setUint8(p, v);
    return this;
  }
  u16(v: number): this {
    const p = this.grow(2);
    this.dv.setUint16(p, v, this.le);
    return this;
  }
  i16(v: number): this {
    const p = this.grow(2);
    this.dv.setInt16(p, v, this.le);
    return this;
  }
  u32(v: number): this {
    const p = this.grow(4);
    this.dv.setUint32(p, v >>> 0, this.le);
    return this;
  }
  i32(v: number): this {
    const p = this.grow(4);
    this.dv.setInt32(p, v | 0, this.le);
    return this;
  }
  u64(v: number): this {
    const p = this.grow(8);
    this.dv.setUint32(this.le ? p : p + 4, v % 4294967296, this.le);
    this.dv.setUint32(this.le ? p + 4 : p, Math.floor(v / 4294967296), this.le);
    return this;
  }
  f32(v: number): this {
    const p = this.grow(4);
    this.dv.setFloat32(p, v, this.le);
    return this;
  }
  f64(v: number): this {
    const p = this.grow(8);
    this.dv.setFloat64(p, v, this.le);
    return this;
  }
  str(s: string): this {
    const bytes = Buffer.from(s, 'latin1');
    this.u16(bytes.length + 1);
    this.bytes(bytes);
    return this.u8(0);
  }
  ref(r: [number, number]): this {
    return this.u16(r[0]).u32(r[1]);
  }
  bytes(b: Uint8Array): this {
    const p = this.grow(b.length);
    this.buf.set(b, p);
    return this;
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

interface VectorPlan {
  type: number;
  compress: number;
  payload: Uint8Array;
  nData: number;
  bytesPerSample: number;
}

function typeOf(c: GwfWriteChannel): number {
  const d = c.data;
  if (c.complex) {
    if (d instanceof Float32Array) return 6;
    if (d instanceof Float64Array) return 7;
    throw new GwfFormatError(`channel "${c.name}": complex data must be Float32Array or Float64Array`, { code: 'GWF_WRITE', channel: c.name });
  }
  if (d instanceof Float64Array) return 2;
  if (d instanceof Float32Array) return 3;
  if (d instanceof Int32Array) return 4;
  if (d instanceof Int16Array) return 1;
  if (d instanceof Int8Array) return 0;
  if (d instanceof Uint8Array) return 12;
  if (d instanceof Uint16Array) return 9;
  if (d instanceof Uint32Array) return 10;
  if (d instanceof BigInt64Array) return 5;
  if (d instanceof BigUint64Array) return 11;
  throw new GwfFormatError(`channel "${c.name}": unsupported sample array`, { code: 'GWF_WRITE', channel: c.name });
}

/** First differences with wrap-around, in the vector's integer type (FrameL's FrVectDiff). */
function differences(data: GwfSamples): GwfSamples {
  const ctor = data.constructor as new (n: number) => GwfSamples;
  const out = ctor === Float32Array ? new Int32Array(data.length) : new ctor(data.length);
  const src = data instanceof Float32Array ? new Int32Array(data.buffer, data.byteOffset, data.length) : data;
  const o = out as Int32Array;
  const s = src as Int32Array;
  if (o.length > 0) o[0] = s[0];
  for (let i = 1; i < s.length; i++) o[i] = s[i] - s[i - 1];
  return out;
}

function planVector(c: GwfWriteChannel, compression: GwfCompression, level: number, bigEndian: boolean): VectorPlan {
  const type = typeOf(c);
  const vt = GwfFormat.vectTypes[type];
  const nData = c.data.length / vt.wordsPerSample;
  // Payload words in the file's byte order; the 0x100 bit says "little-endian words".
  const order = (le: Uint8Array, copy: boolean): Uint8Array => {
    if (!bigEndian || vt.wordBytes === 1) return le;
    const out = copy ? le.slice() : le;
    swapWordsInPlace(out, vt.wordBytes);
    return out;
  };
  const leBit = bigEndian ? 0 : 0x100;
  const native = littleEndianBytes(c.data, vt.wordBytes);
  const raw = order(native, native.buffer === c.data.buffer);
  const rawPlan: VectorPlan = { type, compress: leBit, payload: raw, nData, bytesPerSample: vt.bytesPerSample };
  let mode = compression;
  if (nData < 8) mode = 'raw'; // FrameL does not compress tiny vectors
  if (mode === 'diff-zlib' && ![0, 12, 1, 9, 4, 10].includes(type)) mode = 'zlib';
  if (mode === 'zero-suppress' && ![1, 9, 4, 10, 3, 5, 11].includes(type)) mode = 'zlib';
  if (mode === 'raw') return rawPlan;
  if (mode === 'zlib' || mode === 'diff-zlib') {
    const src = mode === 'zlib' ? raw : order(littleEndianBytes(differences(c.data), vt.wordBytes), false);
    const z = deflateSync(src, { level });
    if (z.length >= raw.length) return rawPlan;
    return { ...rawPlan, compress: leBit | (mode === 'zlib' ? 1 : 3), payload: z };
  }
  if (vt.wordBytes === 8) {
    const z = compressZeroSuppressed64(new BigInt64Array(c.data.buffer, c.data.byteOffset, c.data.length), 8);
    if (z && bigEndian) swapWordsInPlace(z, 8);
    return z ? { ...rawPlan, compress: leBit | 10, payload: z } : rawPlan;
  }
  const words =
    vt.wordBytes === 2
      ? new Int16Array(c.data.buffer, c.data.byteOffset, c.data.length)
      : new Int32Array(c.data.buffer, c.data.byteOffset, c.data.length);
  const z = compressZeroSuppressed(words, vt.wordBytes === 2 ? 12 : 8);
  if (!z) return rawPlan;
  if (bigEndian) swapWordsInPlace(z, vt.wordBytes as 2 | 4);
  return { ...rawPlan, compress: leBit | (vt.wordBytes === 2 ? 5 : 8), payload: z };
}

/**
 * Streaming writer of GWF v8 files, little-endian unless `byteOrder: 'big'` (FrameL layout: dictionary,
 * frames of FrameH, FrRawData, channel structures each followed by its
 * FrVect, FrEndOfFrame; then FrTOC and FrEndOfFile with CRCs). The file is
 * written under a temporary name and renamed on {@link GwfWriter.close}.
 * Memory holds one frame at a time.
 */
export class GwfWriter {
  private offset = 0;
  private crc = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private nFrames = 0;
  private readonly tocFrames: {
    GTimeS: number; GTimeN: number; dt: number; run: number; frame: number; dq: number; positionH: number; nFirstADC: number;
  }[] = [];
  private readonly tocChannels = { adc: new Map<string, number[]>(), proc: new Map<string, number[]>(), sim: new Map<string, number[]>() };
  private leapSeconds = 37;
  private closed = false;
  private header = new Uint8Array(0);

  private constructor(
    /** Final path of the file. */
    readonly path: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
    private readonly options: Required<GwfWriterOptions>,
  ) {}

  /** Create a writer; the file appears at `path` when {@link GwfWriter.close} succeeds. */
  static async create(path: string, options: GwfWriterOptions = {}): Promise<GwfWriter> {
    const temp = tempNameFor(path);
    let handle: FileHandle;
    try {
      handle = await fsp.open(temp, 'w');
    } catch (error) {
      throw new GwfFormatError(`cannot create (${(error as Error).message})`, { code: 'GWF_IO', file: path, cause: error });
    }
    const w = new GwfWriter(path, temp, handle, {
      compression: options.compression ?? 'zlib',
      zlibLevel: options.zlibLevel ?? 6,
      toc: options.toc ?? true,
      checksums: options.checksums ?? true,
      frameName: options.frameName ?? 'AstroGWF',
      byteOrder: options.byteOrder ?? 'little',
    });
    await w.writeHeaderAndDictionary();
    return w;
  }

  /**
   * Queue bytes for the file (copied: builders reuse their buffers) and keep
   * the running file CRC and offset. Writes go out in blocks of at least
   * {@link FLUSH_BYTES} and at the end of each frame, not once per structure.
   */
  private async emit(bytes: Uint8Array): Promise<void> {
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    this.crc = crcUpdate(this.crc, bytes);
    this.offset += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flushPending();
  }

  /** Write the queued bytes with one positional write. */
  private async flushPending(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const block = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    while (done < block.length) {
      const { bytesWritten } = await this.handle.write(block, done, block.length - done);
      done += bytesWritten;
    }
  }

  /** Wrap a body into a structure with header and (optional) checksum. */
  private struct(classId: number, instance: number, body: Uint8Array): Uint8Array {
    const length = 14 + body.length + 4;
    const o = this.out();
    o.u64(length).u8(this.options.checksums ? 1 : 0).u8(classId).u32(instance).bytes(body);
    const head = o.done();
    o.u32(this.options.checksums ? posixCksum(head) : 0);
    return o.done().slice();
  }

  private async writeHeaderAndDictionary(): Promise<void> {
    const h = this.out();
    h.bytes(Buffer.from('IGWD\0', 'latin1')).u8(8).u8(0);
    h.u8(2).u8(4).u8(8).u8(4).u8(8);
    h.u16(0x1234).u32(0x12345678);
    if (this.options.byteOrder === 'little') h.u32(0x89abcdef).u32(0x01234567);
    else h.u32(0x01234567).u32(0x89abcdef);
    h.f32(Math.PI).f64(Math.PI);
    h.u8(0).u8(this.options.checksums ? 1 : 0);
    this.header = h.done().slice();
    await this.emit(this.header);
    for (const [name, id] of Object.entries(CLASS) as [ClassName, number][]) {
      await this.emit(this.struct(1, 0, this.out().str(name).u16(id).str(`${name} (written by @astro/gwf)`).done()));
      for (const [field, type, comment] of DICTIONARY[name]) {
        await this.emit(this.struct(2, 0, this.out().str(field).str(type).str(comment).done()));
      }
    }
  }

  private out(): Out {
    return new Out(this.options.byteOrder === 'little');
  }

  /** Append one frame. */
  async writeFrame(frame: GwfWriteFrame): Promise<void> {
    if (this.closed) throw new GwfFormatError('writer is closed', { code: 'GWF_WRITE', file: this.path });
    const index = this.nFrames;
    const GTimeS = Number(frame.t0Gps / 1_000_000_000n);
    const GTimeN = Number(frame.t0Gps % 1_000_000_000n);
    const run = frame.run ?? 0;
    const frameNumber = frame.frameNumber ?? index;
    this.leapSeconds = frame.leapSeconds ?? 37;
    const names = new Set<string>();
    for (const c of frame.channels) {
      if (names.has(c.name)) {
        throw new GwfFormatError(`channel "${c.name}" appears twice in frame ${index}`, { code: 'GWF_WRITE', file: this.path, frame: index, channel: c.name });
      }
      names.add(c.name);
    }
    const adc = frame.channels.filter((c) => (c.kind ?? 'proc') === 'adc');
    const proc = frame.channels.filter((c) => (c.kind ?? 'proc') === 'proc');
    const sim = frame.channels.filter((c) => (c.kind ?? 'proc') === 'sim');
    let vectInstance = 0;

    const positionH = this.offset;
    const fh = this.out()
      .str(frame.name ?? this.options.frameName).i32(run).u32(frameNumber).u32(frame.dataQuality ?? 0)
      .u32(GTimeS).u32(GTimeN).u16(this.leapSeconds).f64(frame.durationSeconds)
      .ref(NULL_REF).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF)
      .ref(adc.length ? [CLASS.FrRawData, 0] : NULL_REF)
      .ref(proc.length ? [CLASS.FrProcData, 0] : NULL_REF)
      .ref(sim.length ? [CLASS.FrSimData, 0] : NULL_REF)
      .ref(NULL_REF).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF);
    await this.emit(this.struct(CLASS.FrameH, index, fh.done()));
    let nFirstADC = 0;
    if (adc.length) {
      const raw = this.out().str('').ref(NULL_REF).ref([CLASS.FrAdcData, 0]).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF);
      await this.emit(this.struct(CLASS.FrRawData, 0, raw.done()));
      nFirstADC = this.offset;
    }
    const writeList = async (list: GwfWriteChannel[], kind: 'adc' | 'proc' | 'sim'): Promise<void> => {
      for (let i = 0; i < list.length; i++) {
        const c = list[i];
        const plan = planVector(c, c.compression ?? this.options.compression, this.options.zlibLevel, this.options.byteOrder === 'big');
        const vi = vectInstance++;
        const next: [number, number] = i + 1 < list.length ? [CLASS[kindClass(kind)], i + 1] : NULL_REF;
        const o = this.out();
        if (kind === 'adc') {
          o.str(c.name).str(c.comment ?? '').u32(c.channelGroup ?? 0).u32(c.channelNumber ?? 0)
            .u32(c.nBits ?? GwfFormat.vectTypes[plan.type].bytesPerSample * 8).f32(c.bias ?? 0).f32(c.slope ?? 1)
            .str(c.unit ?? '').f64(c.sampleRate).f64(c.timeOffset ?? 0).f64(0).f32(0).u16(0)
            .ref([CLASS.FrVect, vi]).ref(NULL_REF).ref(next);
        } else if (kind === 'proc') {
          o.str(c.name).str(c.comment ?? '').u16(1).u16(0).f64(c.timeOffset ?? 0).f64(frame.durationSeconds)
            .f64(0).f32(0).f64(0).f64(0).u16(0)
            .ref([CLASS.FrVect, vi]).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF).ref(next);
        } else {
          o.str(c.name).str(c.comment ?? '').f64(c.sampleRate).f64(c.timeOffset ?? 0).f64(0).f32(0)
            .ref([CLASS.FrVect, vi]).ref(NULL_REF).ref(NULL_REF).ref(next);
        }
        let positions = this.tocChannels[kind].get(c.name);
        if (!positions) {
          positions = [];
          this.tocChannels[kind].set(c.name, positions);
        }
        while (positions.length < index) positions.push(0);
        positions.push(this.offset);
        await this.emit(this.struct(CLASS[kindClass(kind)], i, o.done()));
        const v = this.out()
          .str(c.name).u16(plan.compress).u16(plan.type).u64(plan.nData).u64(plan.payload.length);
        const head = v.done().slice();
        const tail = this.out()
          .u32(1).u64(plan.nData).f64(c.sampleRate > 0 ? 1 / c.sampleRate : 0).f64(0).str('s').str(c.unit ?? '').ref(NULL_REF)
          .done()
          .slice();
        await this.emitVector(vi, head, plan.payload, tail);
      }
    };
    await writeList(adc, 'adc');
    await writeList(proc, 'proc');
    await writeList(sim, 'sim');
    const eof = this.out().i32(run).u32(frameNumber).u32(GTimeS).u32(GTimeN);
    await this.emit(this.struct(CLASS.FrEndOfFrame, index, eof.done()));
    await this.flushPending();
    this.tocFrames.push({ GTimeS, GTimeN, dt: frame.durationSeconds, run, frame: frameNumber, dq: frame.dataQuality ?? 0, positionH, nFirstADC });
    this.nFrames++;
  }

  /** A FrVect without concatenating its (possibly large) payload. */
  private async emitVector(instance: number, head: Uint8Array, payload: Uint8Array, tail: Uint8Array): Promise<void> {
    const length = 14 + head.length + payload.length + tail.length + 4;
    const h = this.out().u64(length).u8(this.options.checksums ? 1 : 0).u8(CLASS.FrVect).u32(instance).done().slice();
    let crc = 0;
    if (this.options.checksums) {
      crc = crcUpdate(crcUpdate(crcUpdate(crcUpdate(0, h), head), payload), tail);
      crc = crcFinish(crc, length - 4);
    }
    await this.emit(h);
    await this.emit(head);
    await this.emit(payload);
    await this.emit(tail);
    await this.emit(this.out().u32(crc).done().slice());
  }

  /** Write the TOC and FrEndOfFile, fsync, close and rename into place. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      let tocPos = 0;
      if (this.options.toc) {
        tocPos = this.offset;
        const n = this.nFrames;
        const t = this.out().i16(this.leapSeconds).u32(n);
        for (const f of this.tocFrames) t.u32(f.dq);
        for (const f of this.tocFrames) t.u32(f.GTimeS);
        for (const f of this.tocFrames) t.u32(f.GTimeN);
        for (const f of this.tocFrames) t.f64(f.dt);
        for (const f of this.tocFrames) t.i32(f.run);
        for (const f of this.tocFrames) t.u32(f.frame);
        for (const f of this.tocFrames) t.u64(f.positionH);
        for (const f of this.tocFrames) t.u64(f.nFirstADC);
        for (let k = 0; k < 3; k++) for (let i = 0; i < n; i++) t.u64(0);
        const classes = Object.entries(CLASS) as [string, number][];
        t.u32(classes.length);
        for (const [, id] of classes) t.u16(id);
        for (const [name] of classes) t.str(name);
        t.u32(0); // detectors
        t.u32(0).u32(0); // static data: nStatType, nTotalStat
        for (const kind of ['adc', 'proc', 'sim'] as const) {
          const entries = [...this.tocChannels[kind]].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          t.u32(entries.length);
          for (const [name] of entries) t.str(name);
          if (kind === 'adc') {
            for (let i = 0; i < entries.length; i++) t.u32(0);
            for (let i = 0; i < entries.length; i++) t.u32(0);
          }
          for (const [, pos] of entries) for (let i = 0; i < n; i++) t.u64(pos[i] ?? 0);
        }
        t.u32(0).u32(0); // ser, summary
        t.u32(0).u32(0).u32(0).u32(0); // events, simulated events
        await this.emit(this.struct(CLASS.FrTOC, 0, t.done()));
      }
      const total = this.offset + 46;
      const header = this.header;
      const body = this.out()
        .u32(this.nFrames).u64(total).u64(tocPos ? total - tocPos : 0)
        .u32(this.options.checksums ? posixCksum(header) : 0);
      const eofHead = this.out().u64(46).u8(this.options.checksums ? 1 : 0).u8(CLASS.FrEndOfFile).u32(0).bytes(body.done()).done().slice();
      const structCrc = this.options.checksums ? posixCksum(eofHead) : 0;
      const withCrc = this.out().bytes(eofHead).u32(structCrc).done().slice();
      const fileCrc = this.options.checksums ? crcFinish(crcUpdate(this.crc, withCrc), this.offset + withCrc.length) : 0;
      await this.emit(this.out().bytes(withCrc).u32(fileCrc).done().slice());
      await this.flushPending();
      await this.handle.sync();
      await this.handle.close();
      await fsp.rename(this.temp, this.path);
    } catch (error) {
      await this.handle.close().catch(() => undefined);
      await fsp.rm(this.temp, { force: true });
      throw new GwfFormatError(`write failed (${(error as Error).message})`, { code: 'GWF_WRITE', file: this.path, cause: error });
    }
  }

  /** Give up: close and delete the temporary file. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
    await fsp.rm(this.temp, { force: true });
  }
}

function kindClass(kind: 'adc' | 'proc' | 'sim'): 'FrAdcData' | 'FrProcData' | 'FrSimData' {
  return kind === 'adc' ? 'FrAdcData' : kind === 'proc' ? 'FrProcData' : 'FrSimData';
}

/** Write `frames` to a new GWF v8 file at `path` (atomically). */
export async function writeGwf(path: string, frames: Iterable<GwfWriteFrame>, options: GwfWriterOptions = {}): Promise<void> {
  const w = await GwfWriter.create(path, options);
  try {
    for (const f of frames) await w.writeFrame(f);
  } catch (error) {
    await w.abort();
    throw error;
  }
  await w.close();
}
