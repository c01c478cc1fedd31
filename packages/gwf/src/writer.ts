import { openAtomicFile } from '@astro/core';
import type { AtomicFile } from '@astro/core';
import { GwfFormat } from './format.js';
import { GwfFormatError } from './errors.js';
import type { GwfWriteChannel, GwfWriteFrame, GwfWriterOptions } from './writer-types.js';
import { crcFinish, crcUpdate, posixCksum } from './internal/cksum.js';
import { GwfStructBuilder } from './internal/struct-builder.js';
import { planVector } from './internal/vector-plan.js';
import { CLASS, DICTIONARY, NULL_REF, kindClass } from './internal/writer-dictionary.js';
import type { ClassName } from './internal/writer-dictionary.js';

/** Queued output is written once it reaches this size (and at every frame end). */
const FLUSH_BYTES = 4 << 20;

/**
 * Streaming writer of GWF v8 files, little-endian unless `byteOrder: 'big'` (FrameL layout: dictionary,
 * frames of FrameH, FrRawData, channel structures each followed by its
 * FrVect, FrEndOfFrame; then FrTOC and FrEndOfFile with CRCs). The file is
 * written under a temporary name and committed on {@link GwfWriter.close}
 * (core's `openAtomicFile`: fsync, rename, fsync the directory).
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
    private readonly file: AtomicFile,
    private readonly options: Required<GwfWriterOptions>,
  ) {}

  /** Create a writer; the file appears at `path` when {@link GwfWriter.close} succeeds. */
  static async create(path: string, options: GwfWriterOptions = {}): Promise<GwfWriter> {
    let file: AtomicFile;
    try {
      file = await openAtomicFile(path, { durability: options.durability ?? 'fsync' });
    } catch (error) {
      throw new GwfFormatError(`cannot create (${(error as Error).message})`, { code: 'GWF_IO', file: path, cause: error });
    }
    const w = new GwfWriter(path, file, {
      compression: options.compression ?? 'zlib',
      zlibLevel: options.zlibLevel ?? 6,
      toc: options.toc ?? true,
      checksums: options.checksums ?? true,
      frameName: options.frameName ?? 'AstroGWF',
      byteOrder: options.byteOrder ?? 'little',
      durability: options.durability ?? 'fsync',
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
    await this.file.write(block);
  }

  /** Wrap a body into a structure with header and (optional) checksum. */
  private struct(classId: number, instance: number, body: Uint8Array): Uint8Array {
    const length = 14 + body.length + 4;
    const o = this.out();
    o.u64(length).u8(this.options.checksums ? 1 : 0).u8(classId).u32(instance).bytes(body);
    const head = o.result();
    o.u32(this.options.checksums ? posixCksum(head) : 0);
    return o.result().slice();
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
    this.header = h.result().slice();
    await this.emit(this.header);
    for (const [name, id] of Object.entries(CLASS) as [ClassName, number][]) {
      await this.emit(this.struct(1, 0, this.out().str(name).u16(id).str(`${name} (written by @astro/gwf)`).result()));
      for (const [field, type, comment] of DICTIONARY[name]) {
        await this.emit(this.struct(2, 0, this.out().str(field).str(type).str(comment).result()));
      }
    }
  }

  private out(): GwfStructBuilder {
    return new GwfStructBuilder({ littleEndian: this.options.byteOrder === 'little' });
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
    await this.emit(this.struct(CLASS.FrameH, index, fh.result()));
    let nFirstADC = 0;
    if (adc.length) {
      const raw = this.out().str('').ref(NULL_REF).ref([CLASS.FrAdcData, 0]).ref(NULL_REF).ref(NULL_REF).ref(NULL_REF);
      await this.emit(this.struct(CLASS.FrRawData, 0, raw.result()));
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
        await this.emit(this.struct(CLASS[kindClass(kind)], i, o.result()));
        const v = this.out()
          .str(c.name).u16(plan.compress).u16(plan.type).u64(plan.nData).u64(plan.payload.length);
        const head = v.result().slice();
        const tail = this.out()
          .u32(1).u64(plan.nData).f64(c.sampleRate > 0 ? 1 / c.sampleRate : 0).f64(0).str('s').str(c.unit ?? '').ref(NULL_REF)
          .result()
          .slice();
        await this.emitVector(vi, head, plan.payload, tail);
      }
    };
    await writeList(adc, 'adc');
    await writeList(proc, 'proc');
    await writeList(sim, 'sim');
    const eof = this.out().i32(run).u32(frameNumber).u32(GTimeS).u32(GTimeN);
    await this.emit(this.struct(CLASS.FrEndOfFrame, index, eof.result()));
    await this.flushPending();
    this.tocFrames.push({ GTimeS, GTimeN, dt: frame.durationSeconds, run, frame: frameNumber, dq: frame.dataQuality ?? 0, positionH, nFirstADC });
    this.nFrames++;
  }

  /** A FrVect without concatenating its (possibly large) payload. */
  private async emitVector(instance: number, head: Uint8Array, payload: Uint8Array, tail: Uint8Array): Promise<void> {
    const length = 14 + head.length + payload.length + tail.length + 4;
    const h = this.out().u64(length).u8(this.options.checksums ? 1 : 0).u8(CLASS.FrVect).u32(instance).result().slice();
    let crc = 0;
    if (this.options.checksums) {
      crc = crcUpdate(crcUpdate(crcUpdate(crcUpdate(0, h), head), payload), tail);
      crc = crcFinish(crc, length - 4);
    }
    await this.emit(h);
    await this.emit(head);
    await this.emit(payload);
    await this.emit(tail);
    await this.emit(this.out().u32(crc).result().slice());
  }

  /** Write the TOC and FrEndOfFile and commit the file (fsync, rename, fsync the directory; see `durability`). */
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
        await this.emit(this.struct(CLASS.FrTOC, 0, t.result()));
      }
      const total = this.offset + 46;
      const header = this.header;
      const body = this.out()
        .u32(this.nFrames).u64(total).u64(tocPos ? total - tocPos : 0)
        .u32(this.options.checksums ? posixCksum(header) : 0);
      const eofHead = this.out().u64(46).u8(this.options.checksums ? 1 : 0).u8(CLASS.FrEndOfFile).u32(0).bytes(body.result()).result().slice();
      const structCrc = this.options.checksums ? posixCksum(eofHead) : 0;
      const withCrc = this.out().bytes(eofHead).u32(structCrc).result().slice();
      const fileCrc = this.options.checksums ? crcFinish(crcUpdate(this.crc, withCrc), this.offset + withCrc.length) : 0;
      await this.emit(this.out().bytes(withCrc).u32(fileCrc).result().slice());
      await this.flushPending();
      await this.file.commit();
    } catch (error) {
      await this.file.abort();
      throw new GwfFormatError(`write failed (${(error as Error).message})`, { code: 'GWF_WRITE', file: this.path, cause: error });
    }
  }

  /** Give up: close and delete the temporary file. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.abort();
  }
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
