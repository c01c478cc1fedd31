import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GwfFormat, vectTypeOf } from './format.js';
import type { GwfSamples } from './format.js';
import { GwfFormatError } from './errors.js';
import type { GwfErrorCode } from './errors.js';
import type {
  GwfChannelKind,
  GwfChannelRecord,
  GwfChannelSummary,
  GwfDetector,
  GwfEndOfFile,
  GwfFileHeader,
  GwfFrameInfo,
  GwfToc,
  GwfVectorInfo,
} from './types.js';
import { FileWindow } from './internal/file-window.js';
import { StructOverrun, StructReader } from './internal/struct-reader.js';
import {
  endOfFileBytes,
  headerBytesFor,
  parseAdc,
  parseDetector,
  parseEndOfFile,
  parseEndOfFrame,
  parseFrSH,
  parseFrameH,
  parseProc,
  parseSer,
  parseSim,
  parseStructHeader,
  parseToc,
  parseVectHead,
  parseVectTail,
} from './internal/structures.js';
import type { StructHeader } from './internal/structures.js';
import { CodecError, decodeVector } from './internal/vector-codec.js';
import { crcFinish, crcUpdate, posixCksum } from './internal/cksum.js';

/** Options of {@link GwfFile.open}. */
export interface OpenGwfOptions {
  /**
   * Verify checksums of every structure read (v8 structure CRCs); a mismatch
   * throws `GWF_CRC_MISMATCH`. Default false. The whole-file CRC is checked
   * by {@link GwfFile.verifyFileChecksum}.
   */
  verifyChecksums?: boolean;
  /** Bytes of the read window used to scan small structures (default 1 MiB; smaller files are read whole). */
  windowBytes?: number;
}

/** One channel of one frame: the channel structure, its vector and the decoded samples. */
export interface GwfChannelData {
  /** The channel structure (FrAdcData, FrProcData, FrSimData, FrSerData). */
  record: GwfChannelRecord;
  /** Metadata of its data vector. */
  vector: GwfVectorInfo;
  /** Decoded samples in native byte order (`string[]` for STRING vectors). A new array. */
  data: GwfSamples | string[];
}

/** Everything in one frame, without decoding samples. */
export interface GwfFrameContent {
  /** The frame header. */
  info: GwfFrameInfo;
  /** Channel structures in file order, each with its vector's metadata (undefined when it has none). */
  channels: { record: GwfChannelRecord; vector: GwfVectorInfo | undefined }[];
  /** FrHistory entries. */
  history: { name: string; time: number; comment: string }[];
  /** FrDetector entries (v6/v8). */
  detectors: GwfDetector[];
  /** Names of the structures skipped because this reader does not decode them. */
  skipped: string[];
}

/** Result of {@link GwfFile.verifyFileChecksum}. */
export interface GwfChecksumResult {
  /** True when the file carries a file checksum. */
  present: boolean;
  /** Stored checksum. */
  stored: number;
  /** Computed checksum. */
  computed: number;
  /** True when they agree (or when none is stored). */
  ok: boolean;
}

interface FrameIndex {
  info: GwfFrameInfo;
  start: number;
  end: number;
}

type Locator = Map<string, number[]>;

const CHANNEL_STRUCTS: Record<string, GwfChannelKind> = {
  FrAdcData: 'adc',
  FrProcData: 'proc',
  FrSimData: 'sim',
  FrSerData: 'ser',
};

const PARSERS = { adc: parseAdc, proc: parseProc, sim: parseSim, ser: parseSer } as const;

/**
 * A GWF frame file opened for lazy reading: the header, the table of
 * contents (or an index built by one sequential scan when the file has
 * none) and positional reads of single channels. The file is never loaded
 * whole. Call {@link GwfFile.close} when done.
 */
export class GwfFile {
  /** Class id → structure name, from this file's dictionary (FrSH). */
  readonly dictionary = new Map<number, string>();
  /** The frames in file order. */
  readonly frames: GwfFrameInfo[] = [];
  /** The table of contents, when the file has one. */
  toc: GwfToc | undefined;
  /** FrEndOfFile, when the file ends with one. */
  endOfFile: GwfEndOfFile | undefined;

  private readonly index: FrameIndex[] = [];
  private readonly locators: Record<GwfChannelKind, Locator> = {
    adc: new Map(),
    proc: new Map(),
    sim: new Map(),
    ser: new Map(),
  };
  private readonly window: FileWindow;
  private readonly classIds = new Map<string, number>();
  private closed = false;
  /** Read-ahead of window refills (small while locating FrameH records at open). */
  private readAhead = 64 * 1024;

  private constructor(
    /** Path of the file. */
    readonly path: string,
    private readonly fd: number,
    /** Size in bytes. */
    readonly size: number,
    /** The file header. */
    readonly header: GwfFileHeader,
    private readonly options: OpenGwfOptions,
  ) {
    this.window = new FileWindow(fd, size, options.windowBytes);
  }

  /** Format version (4, 6 or 8). */
  get version(): number {
    return this.header.formatVersion;
  }

  /** True when the file had a table of contents (reads seek straight to channels). */
  get hasToc(): boolean {
    return this.toc !== undefined;
  }

  /**
   * Open a frame file: check the header, read FrEndOfFile and the FrTOC (or
   * scan the file once when it has none) and every FrameH. Throws
   * {@link GwfFormatError} for a file that is not GWF or is damaged.
   */
  static async open(path: string, options: OpenGwfOptions = {}): Promise<GwfFile> {
    return GwfFile.openSync(path, options);
  }

  /** Synchronous {@link GwfFile.open} (reads are synchronous positional reads either way). */
  static openSync(path: string, options: OpenGwfOptions = {}): GwfFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new GwfFormatError(`cannot open (${(error as Error).message})`, { code: 'GWF_IO', file: path, cause: error });
    }
    try {
      const size = fstatSync(fd).size;
      const head = new Uint8Array(GwfFormat.headerBytes);
      const bytesRead = readSync(fd, head, 0, head.length, 0);
      const header = checkHeader(path, head, bytesRead);
      const file = new GwfFile(path, fd, size, header, options);
      file.init();
      return file;
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already failing: keep the first error
      }
      if (error instanceof GwfFormatError) throw error;
      throw new GwfFormatError(`cannot read (${(error as Error).message})`, { code: 'GWF_IO', file: path, cause: error });
    }
  }

  /** Close the file handle. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.window.release();
    closeSync(this.fd);
  }

  /** Names of every channel of `kind` (all kinds when omitted), sorted. */
  channelNames(kind?: GwfChannelKind): string[] {
    const kinds: GwfChannelKind[] = kind ? [kind] : ['adc', 'proc', 'sim', 'ser'];
    const names = new Set<string>();
    for (const k of kinds) for (const n of this.locators[k].keys()) names.add(n);
    return [...names].sort();
  }

  /** Number of distinct channel names (all kinds). */
  get channelCount(): number {
    let n = 0;
    for (const k of ['adc', 'proc', 'sim', 'ser'] as const) n += this.locators[k].size;
    return n;
  }

  /** Kind of channel `name`, or undefined when the file does not have it. */
  channelKind(name: string): GwfChannelKind | undefined {
    for (const k of ['adc', 'proc', 'sim', 'ser'] as const) if (this.locators[k].has(name)) return k;
    return undefined;
  }

  /**
   * List the channels with sample rate, dtype and compression, reading only
   * the channel structures and vector headers of the first frame that has
   * each channel (no samples are decoded).
   */
  async listChannels(): Promise<GwfChannelSummary[]> {
    this.assertOpen();
    const out: GwfChannelSummary[] = [];
    for (const kind of ['adc', 'proc', 'sim', 'ser'] as const) {
      for (const [name, positions] of [...this.locators[kind]].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const f = positions.findIndex((p) => p > 0);
        if (f < 0) continue;
        const { record, vector } = this.readChannelMeta(kind, name, f);
        const vt = vector ? vectTypeOf(vector.type) : undefined;
        out.push({
          name,
          kind,
          sampleRate: record.sampleRate,
          dtype: vt?.dtype ?? 'none',
          typeName: vt?.name ?? 'none',
          compress: vector?.compress ?? 0,
          nData: vector?.nData ?? 0,
          unit: vector?.unitY || record.units || '',
        });
      }
    }
    return out;
  }

  /**
   * Read and decode channel `name` in frame `frameIndex` (seeks with the
   * TOC). Throws `GWF_CHANNEL_NOT_FOUND` when the frame lacks it.
   */
  async readChannel(name: string, frameIndex: number, kind?: GwfChannelKind): Promise<GwfChannelData> {
    this.assertOpen();
    const k = kind ?? this.channelKind(name);
    if (!k) {
      throw this.error(`channel not in file (it has ${this.channelNames().length} channels)`, 'GWF_CHANNEL_NOT_FOUND', {
        channel: name,
      });
    }
    const { record, vector, vectorBytes } = this.readChannelMeta(k, name, frameIndex, true);
    if (!vector || !vectorBytes) {
      throw this.error('channel has no data vector', 'GWF_NO_DATA', { frame: frameIndex, structure: 'FrVect', channel: name });
    }
    const data = this.decode(vector, vectorBytes, frameIndex, name);
    return { record, vector, data };
  }

  /** True when frame `frameIndex` has channel `name`. */
  hasChannel(name: string, frameIndex: number): boolean {
    const k = this.channelKind(name);
    if (!k) return false;
    const p = this.locators[k].get(name)?.[frameIndex];
    return p !== undefined && p > 0;
  }

  /**
   * Read every structure of frame `frameIndex` in file order (a sequential
   * scan of the frame), without decoding samples. Duplicated channel names
   * are all returned.
   */
  async readFrame(frameIndex: number): Promise<GwfFrameContent> {
    this.assertOpen();
    const fi = this.index[frameIndex];
    if (!fi) throw this.error(`frame ${frameIndex} does not exist (the file has ${this.index.length})`, 'GWF_NO_DATA', {});
    const channels: GwfFrameContent['channels'] = [];
    const vectors = new Map<number, GwfVectorInfo[]>();
    const history: GwfFrameContent['history'] = [];
    const detectors: GwfDetector[] = [];
    const skipped = new Set<string>();
    this.scan(fi.start, fi.end, frameIndex, (h, offset, structName) => {
      if (structName === 'FrVect') {
        const v = this.readVectorMeta(offset, h, frameIndex);
        const list = vectors.get(v.instance) ?? [];
        list.push(v);
        vectors.set(v.instance, list);
      } else if (structName && CHANNEL_STRUCTS[structName]) {
        const kind = CHANNEL_STRUCTS[structName];
        const { r } = this.readBody(offset, h, frameIndex, structName);
        const record = this.parseChannel(kind, r, h, offset, frameIndex, structName);
        channels.push({ record, vector: undefined });
      } else if (structName === 'FrHistory') {
        const { r } = this.readBody(offset, h, frameIndex, structName);
        history.push(this.parseOrFail(() => ({ name: r.string(), time: r.u32(), comment: r.string() }), frameIndex, structName, offset));
      } else if (structName === 'FrDetector' && this.version >= 6) {
        const { r } = this.readBody(offset, h, frameIndex, structName);
        detectors.push(this.parseOrFail(() => parseDetector(r), frameIndex, structName, offset));
      } else if (structName === 'FrEndOfFrame') {
        const { r } = this.readBody(offset, h, frameIndex, structName);
        const eof = this.parseOrFail(() => parseEndOfFrame(r), frameIndex, structName, offset);
        if (this.options.verifyChecksums && eof.chkType === 1) {
          // v6 frame checksum: the frame from its FrameH to the end of FrEndOfFrame, checksum field zeroed.
          const from = fi.info.offset;
          const bytes = this.window.readOwned(from, offset + h.length - from);
          const at = offset - from + h.headerBytes + 12;
          bytes.fill(0, at, at + 4);
          const computed = posixCksum(bytes);
          if (computed !== eof.chkSum) {
            throw this.error(`frame checksum mismatch: stored CRC ${eof.chkSum}, computed ${computed} (the frame is corrupt)`, 'GWF_CRC_MISMATCH', {
              frame: frameIndex,
              structure: structName,
              offset,
            });
          }
        }
        if (eof.run !== fi.info.run || eof.frame !== fi.info.frame) {
          throw this.error(
            `FrEndOfFrame says run ${eof.run} frame ${eof.frame} but FrameH says run ${fi.info.run} frame ${fi.info.frame}`,
            'GWF_BAD_STRUCTURE',
            { frame: frameIndex, structure: structName, offset },
          );
        }
      } else if (structName && !['FrSH', 'FrSE', 'FrameH', 'FrRawData'].includes(structName)) {
        skipped.add(structName);
      }
      return true;
    });
    for (const c of channels) {
      const ref = c.record.dataRef;
      if (ref.classId === 0) continue;
      const list = vectors.get(ref.instance);
      if (!list) continue;
      c.vector = list.find((v) => v.offset > c.record.offset) ?? list[0];
    }
    for (const c of channels) if (c.record.kind === 'proc') fixProcRate(c.record, c.vector);
    return { info: fi.info, channels, history, detectors, skipped: [...skipped] };
  }

  /**
   * Read and decode the channels of frame `frameIndex` (all, or those named
   * in `options.channels`), in file order. The frame is read with one
   * positional read and parsed in one pass (frames larger than
   * `maxFrameBytes`, default 64 MiB, and requests for fewer than 1/8 of the
   * file's channels are read channel by channel instead, seeking with the TOC),
   * which is much faster than {@link GwfFile.readChannel} per channel when
   * many channels are wanted. Every result owns its samples. Channels
   * without a data vector are left out; duplicated names are all returned.
   */
  async readFrameData(
    frameIndex: number,
    options: { channels?: Iterable<string>; maxFrameBytes?: number } = {},
  ): Promise<GwfChannelData[]> {
    this.assertOpen();
    const fi = this.index[frameIndex];
    if (!fi) throw this.error(`frame ${frameIndex} does not exist (the file has ${this.index.length})`, 'GWF_NO_DATA', {});
    const wanted = options.channels ? new Set(options.channels) : undefined;
    const span = fi.end - fi.start;
    // Few channels of many: seek to each (TOC) rather than read the whole frame.
    const few = wanted !== undefined && wanted.size * 8 < this.channelCount;
    if (few || span > (options.maxFrameBytes ?? 64 << 20)) {
      const out: GwfChannelData[] = [];
      const names = wanted ? [...wanted] : this.channelNames();
      for (const name of names) {
        const kind = this.channelKind(name);
        if (!kind || kind === 'ser' || !this.hasChannel(name, frameIndex)) continue;
        out.push(await this.readChannel(name, frameIndex, kind));
      }
      return out;
    }
    const buf = this.window.readOwned(fi.start, span);
    if (buf.length < span) {
      throw this.error(`frame cut after ${buf.length} of ${span} bytes: the file is truncated`, 'GWF_TRUNCATED', {
        frame: frameIndex,
        offset: fi.start,
      });
    }
    const le = this.header.littleEndian;
    const v8 = this.version >= 8;
    const channels: GwfChannelRecord[] = [];
    const vectors = new Map<number, { info: GwfVectorInfo; at: number }[]>();
    let pos = 0;
    while (pos < span) {
      const offset = fi.start + pos;
      if (span - pos < headerBytesFor(this.version)) break;
      const h = parseStructHeader(buf, le, this.version, pos);
      if (h.length < h.headerBytes + (v8 ? 4 : 0) || pos + h.length > span) {
        throw this.error(`structure length ${h.length} runs past the frame (${span - pos} bytes left)`, 'GWF_TRUNCATED', {
          frame: frameIndex,
          structure: this.dictionary.get(h.classId),
          offset,
        });
      }
      const bodyLength = h.length - h.headerBytes - (v8 ? 4 : 0);
      const structName =
        h.classId === GwfFormat.fixedClasses.FrSH ? 'FrSH' : h.classId === GwfFormat.fixedClasses.FrSE ? 'FrSE' : this.dictionary.get(h.classId);
      if (structName === 'FrSH') {
        const sh = parseFrSH(new StructReader(buf, le, this.version, pos + h.headerBytes, bodyLength));
        this.addClass(sh.classId, sh.name);
      } else if (structName === 'FrVect') {
        const r = new StructReader(buf, le, this.version, pos + h.headerBytes, bodyLength);
        let info: GwfVectorInfo;
        try {
          const head = parseVectHead(r);
          r.skip(head.nBytes);
          info = parseVectTail(r, head, h.instance, offset, offset + h.headerBytes + head.dataStart);
        } catch (error) {
          throw this.structError(error, frameIndex, 'FrVect', offset);
        }
        const list = vectors.get(h.instance);
        if (list) list.push({ info, at: pos });
        else vectors.set(h.instance, [{ info, at: pos }]);
      } else if (structName !== undefined && CHANNEL_STRUCTS[structName] !== undefined) {
        const kind = CHANNEL_STRUCTS[structName];
        if (kind !== 'ser') {
          const r = new StructReader(buf, le, this.version, pos + h.headerBytes, bodyLength);
          if (!wanted || wanted.has(peekName(r))) {
            if (this.options.verifyChecksums) this.checkStructCrc(buf.subarray(pos, pos + h.length), h, offset, frameIndex, structName);
            channels.push(this.parseChannel(kind, r, h, offset, frameIndex, structName));
          }
        }
      }
      pos += h.length;
    }
    const out: GwfChannelData[] = [];
    for (const record of channels) {
      const list = vectors.get(record.dataRef.instance);
      if (record.dataRef.classId === 0 || !list) continue;
      const found = list.find((v) => v.info.offset > record.offset) ?? list[0];
      const vector = found.info;
      if (record.kind === 'proc') fixProcRate(record, vector);
      const whole = buf.subarray(found.at, found.at + (vector.dataOffset - vector.offset) + vector.nBytes + 64);
      if (this.options.verifyChecksums) {
        const h = parseStructHeader(buf.subarray(found.at), le, this.version);
        this.checkStructCrc(buf.subarray(found.at, found.at + h.length), h, vector.offset, frameIndex, 'FrVect', record.name);
      }
      const start = vector.dataOffset - vector.offset;
      const stored = whole.subarray(start, start + vector.nBytes);
      // Raw payloads are copied so each result owns its memory and the frame
      // buffer is dropped — except a payload that is most of the frame, which
      // is used in place (it would retain little else).
      const raw = (vector.compress & 0xff) === 0;
      const bytes = raw && vector.nBytes * 2 < span ? stored.slice() : stored;
      out.push({ record, vector, data: this.decode(vector, bytes, frameIndex, record.name) });
    }
    return out;
  }

  /**
   * Decode the samples of a vector found by {@link GwfFile.readFrame}.
   * `channel` names it in errors.
   */
  async readVectorData(vector: GwfVectorInfo, frameIndex: number, channel = vector.name): Promise<GwfSamples | string[]> {
    this.assertOpen();
    const h = this.readHeaderAt(vector.offset, frameIndex);
    const bytes = this.readVectorBytes(vector, h, frameIndex, channel);
    return this.decode(vector, bytes, frameIndex, channel);
  }

  /**
   * The stored data bytes of a vector in a new buffer owned by the caller
   * (the whole structure is read and its CRC checked when verifying).
   */
  private readVectorBytes(vector: GwfVectorInfo, h: StructHeader, frame: number, channel: string): Uint8Array {
    if (this.options.verifyChecksums) {
      const whole = this.readStruct(vector.offset, h, frame, 'FrVect', channel);
      const start = vector.dataOffset - vector.offset;
      return whole.subarray(start, start + vector.nBytes);
    }
    // Compressed payloads are decoded into new arrays: a transient view of the
    // read window is enough (decoding is synchronous). Raw payloads become the
    // result, so they get their own buffer.
    const raw = (vector.compress & 0xff) === 0;
    const bytes = raw
      ? this.window.readOwned(vector.dataOffset, vector.nBytes)
      : this.window.peek(vector.dataOffset, vector.nBytes);
    if (bytes.length < vector.nBytes) {
      throw this.error(`FrVect data cut after ${bytes.length} of ${vector.nBytes} bytes: the file is truncated`, 'GWF_TRUNCATED', {
        frame,
        structure: 'FrVect',
        channel,
        offset: vector.offset,
      });
    }
    return bytes;
  }

  /**
   * Compute the file checksum (POSIX cksum CRC, streamed) and compare with
   * the one stored in FrEndOfFile. v4 files are reported as not present.
   */
  async verifyFileChecksum(): Promise<GwfChecksumResult> {
    this.assertOpen();
    const eof = this.endOfFile;
    if (!eof || eof.chkType === 0 || this.version < 6) {
      return { present: false, stored: 0, computed: 0, ok: true };
    }
    const zeroAt = this.size - eof.chkSumFromEnd;
    const end = this.version >= 8 ? this.size - 4 : this.size;
    const chunk = 4 << 20;
    let crc = 0;
    for (let p = 0; p < end; p += chunk) {
      const bytes = this.window.readOwned(p, Math.min(chunk, end - p));
      if (this.version < 8 && zeroAt >= p && zeroAt < p + bytes.length) bytes.fill(0, zeroAt - p, zeroAt - p + 4);
      crc = crcUpdate(crc, bytes);
    }
    const computed = crcFinish(crc, end);
    return { present: true, stored: eof.chkSum, computed, ok: computed === eof.chkSum };
  }

  // ---------------------------------------------------------------- internals

  private init(): void {
    const eofSize = endOfFileBytes(this.version);
    const hb = headerBytesFor(this.version);
    if (this.size >= GwfFormat.headerBytes + eofSize) {
      const tail = this.window.readOwned(this.size - eofSize, eofSize);
      const h = parseStructHeader(tail, this.header.littleEndian, this.version);
      if (h.length === eofSize) {
        const eof = parseEndOfFile(new StructReader(tail.subarray(hb), this.header.littleEndian, this.version));
        if (eof.nBytes === this.size || (this.version < 6 && eof.nBytes === this.size % 4294967296)) this.endOfFile = eof;
      }
    }
    const eof = this.endOfFile;
    if (eof && eof.seekTOC > 0 && eof.seekTOC < this.size - GwfFormat.headerBytes) {
      this.readTocAt(this.size - eof.seekTOC);
    }
    if (this.toc) {
      const toc = this.toc;
      for (const sh of toc.SH) this.addClass(sh.id, sh.name);
      const ends = toc.frames.map((f, i) => (i + 1 < toc.frames.length ? toc.frames[i + 1].positionH : toc.position));
      // Only the FrameH records are read here: small refills, not 64 KiB per frame.
      this.readAhead = 4096;
      for (let i = 0; i < toc.frames.length; i++) {
        const start = toc.frames[i].positionH;
        // positionH may point at dictionary records written just before the FrameH.
        let found: FrameIndex | undefined;
        this.scan(start, ends[i], i, (h, offset, structName) => {
          if (structName !== 'FrameH') return true;
          const { r } = this.readBody(offset, h, i, 'FrameH');
          const info = frameInfo(i, this.parseOrFail(() => parseFrameH(r), i, 'FrameH', offset), offset);
          found = { info, start, end: ends[i] };
          return false;
        });
        if (!found) throw this.error('no FrameH where the TOC says the frame starts', 'GWF_BAD_STRUCTURE', { frame: i, structure: 'FrameH', offset: start });
        this.frames.push(found.info);
        this.index.push(found);
      }
      this.readAhead = 64 * 1024;
      for (const kind of ['adc', 'proc', 'sim', 'ser'] as const) {
        for (const c of toc[kind]) if (!this.locators[kind].has(c.name)) this.locators[kind].set(c.name, c.positions);
      }
    } else {
      this.scanIndex();
    }
  }

  private readTocAt(pos: number): void {
    const h = this.readHeaderAt(pos, undefined);
    const bytes = this.readStruct(pos, h, undefined, 'FrTOC');
    const r = new StructReader(this.bodyOf(bytes, h), this.header.littleEndian, this.version);
    try {
      this.toc = parseToc(r, pos);
    } catch (error) {
      if (error instanceof StructOverrun) {
        throw this.error(`FrTOC is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', { structure: 'FrTOC', offset: pos, cause: error });
      }
      throw error;
    }
    const tocId = this.toc.SH.find((s) => s.name === 'FrTOC')?.id;
    if (tocId !== undefined && tocId !== h.classId) {
      throw this.error(
        `structure at the TOC position has class ${h.classId} but the dictionary gives FrTOC class ${tocId}`,
        'GWF_BAD_STRUCTURE',
        { structure: 'FrTOC', offset: pos },
      );
    }
  }

  /** Build frames and channel locators with one sequential scan (files without FrTOC). */
  private scanIndex(): void {
    let current: FrameIndex | undefined;
    const end = this.endOfFile ? this.size - endOfFileBytes(this.version) : this.size;
    let frameNo = -1;
    this.scan(GwfFormat.headerBytes, end, () => (frameNo >= 0 ? frameNo : undefined), (h, offset, structName) => {
      if (structName === 'FrameH') {
        frameNo++;
        const { r } = this.readBody(offset, h, frameNo, 'FrameH');
        const info = frameInfo(frameNo, this.parseOrFail(() => parseFrameH(r), frameNo, 'FrameH', offset), offset);
        if (current) current.end = offset;
        current = { info, start: offset, end };
        this.frames.push(info);
        this.index.push(current);
      } else if (structName && CHANNEL_STRUCTS[structName] && frameNo >= 0) {
        const kind = CHANNEL_STRUCTS[structName];
        const { r } = this.readBody(offset, h, frameNo, structName);
        const name = r.string();
        let positions = this.locators[kind].get(name);
        if (!positions) {
          positions = [];
          this.locators[kind].set(name, positions);
        }
        while (positions.length < frameNo) positions.push(0);
        if (positions.length === frameNo) positions.push(offset);
      } else if (structName === 'FrEndOfFrame' && current) {
        current.end = offset + h.length;
      }
      return true;
    });
    const n = this.frames.length;
    for (const loc of Object.values(this.locators)) for (const p of loc.values()) while (p.length < n) p.push(0);
  }

  /**
   * Walk structures in [start, end). The visitor gets each header, its
   * offset and its structure name (from the dictionary; FrSH records are
   * added as they come). Returning false stops the walk.
   */
  private scan(
    start: number,
    end: number,
    frameOf: number | undefined | (() => number | undefined),
    visit: (h: StructHeader, offset: number, structName: string | undefined) => boolean,
  ): void {
    let pos = start;
    while (pos < end) {
      const frame = typeof frameOf === 'function' ? frameOf() : frameOf;
      const h = this.readHeaderAt(pos, frame);
      if (pos + h.length > this.size) {
        const name = this.dictionary.get(h.classId) ?? `class ${h.classId}`;
        throw this.error(
          `${name} structure claims ${h.length} bytes but the file ends after ${this.size - pos}: the file is truncated`,
          'GWF_TRUNCATED',
          { frame, structure: name, offset: pos },
        );
      }
      let structName = this.dictionary.get(h.classId);
      if (h.classId === GwfFormat.fixedClasses.FrSH) {
        structName = 'FrSH';
        const { r } = this.readBody(pos, h, frame, 'FrSH');
        const sh = parseFrSH(r);
        this.addClass(sh.classId, sh.name);
      } else if (h.classId === GwfFormat.fixedClasses.FrSE) {
        structName = 'FrSE';
      }
      if (!(visit(h, pos, structName))) return;
      pos += h.length;
    }
  }

  private addClass(id: number, name: string): void {
    if (id === GwfFormat.fixedClasses.FrSH || id === GwfFormat.fixedClasses.FrSE) return;
    this.dictionary.set(id, name);
    this.classIds.set(name, id);
  }

  private readHeaderAt(pos: number, frame: number | undefined): StructHeader {
    const hb = headerBytesFor(this.version);
    const b = this.window.peek(pos, hb, this.readAhead);
    if (b.length < hb) {
      throw this.error(`structure header at byte ${pos} is cut by the end of the file: the file is truncated`, 'GWF_TRUNCATED', {
        frame,
        offset: pos,
      });
    }
    const h = parseStructHeader(b, this.header.littleEndian, this.version);
    const min = hb + (this.version >= 8 ? 4 : 0);
    if (h.length < min || h.length > Number.MAX_SAFE_INTEGER) {
      throw this.error(`structure length ${h.length} is impossible (minimum ${min})`, 'GWF_BAD_STRUCTURE', {
        frame,
        structure: this.dictionary.get(h.classId),
        offset: pos,
      });
    }
    return h;
  }

  /** Read a whole structure into an owned buffer, checking its length and (optionally) its CRC. */
  private readStruct(
    pos: number,
    h: StructHeader,
    frame: number | undefined,
    structure: string,
    channel?: string,
  ): Uint8Array {
    const bytes = this.window.readOwned(pos, h.length);
    if (bytes.length < h.length) {
      throw this.error(
        `structure claims ${h.length} bytes but the file ends after ${bytes.length}: the file is truncated`,
        'GWF_TRUNCATED',
        { frame, structure, channel, offset: pos },
      );
    }
    if (this.options.verifyChecksums) this.checkStructCrc(bytes, h, pos, frame, structure, channel);
    return bytes;
  }

  private checkStructCrc(
    bytes: Uint8Array,
    h: StructHeader,
    pos: number,
    frame: number | undefined,
    structure: string,
    channel?: string,
  ): void {
    if (this.version < 8 || h.chkType === 0) return;
    const n = bytes.length - 4;
    const stored = new DataView(bytes.buffer, bytes.byteOffset + n, 4).getUint32(0, this.header.littleEndian);
    if (stored === 0) return;
    const computed = posixCksum(bytes.subarray(0, n));
    if (computed !== stored) {
      throw this.error(
        `checksum mismatch: stored CRC ${stored}, computed ${computed} (the structure is corrupt)`,
        'GWF_CRC_MISMATCH',
        { frame, structure, channel, offset: pos },
      );
    }
  }

  private bodyOf(bytes: Uint8Array, h: StructHeader): Uint8Array {
    const end = this.version >= 8 ? bytes.length - 4 : bytes.length;
    return bytes.subarray(h.headerBytes, end);
  }

  /** Read a (small) structure and return a reader over its body. */
  private readBody(
    pos: number,
    h: StructHeader,
    frame: number | undefined,
    structure: string,
  ): { r: StructReader; bytes: Uint8Array } {
    let bytes: Uint8Array;
    if (this.options.verifyChecksums) {
      bytes = this.readStruct(pos, h, frame, structure);
    } else {
      bytes = this.window.peek(pos, h.length, this.readAhead);
      if (bytes.length < h.length) {
        throw this.error(
          `structure claims ${h.length} bytes but the file ends after ${bytes.length}: the file is truncated`,
          'GWF_TRUNCATED',
          { frame, structure, offset: pos },
        );
      }
    }
    return { r: new StructReader(this.bodyOf(bytes, h), this.header.littleEndian, this.version), bytes };
  }

  private parseChannel(
    kind: GwfChannelKind,
    r: StructReader,
    h: StructHeader,
    offset: number,
    frame: number | undefined,
    structure: string,
  ): GwfChannelRecord {
    try {
      const rec = PARSERS[kind](r) as GwfChannelRecord;
      rec.instance = h.instance;
      rec.offset = offset;
      return rec;
    } catch (error) {
      if (error instanceof StructOverrun) {
        throw this.error(`structure is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', {
          frame,
          structure,
          offset,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Parse a FrVect's metadata (reads the head and the tail, not the data). */
  private readVectorMeta(offset: number, h: StructHeader, frame: number | undefined, channel?: string): GwfVectorInfo {
    const bodyEnd = h.length - (this.version >= 8 ? 4 : 0);
    const headLen = Math.min(bodyEnd, h.headerBytes + 2 + 1024 + 20);
    const hb = this.window.peek(offset, headLen);
    try {
      const r = new StructReader(hb.subarray(h.headerBytes), this.header.littleEndian, this.version);
      const head = parseVectHead(r);
      const dataOffset = offset + h.headerBytes + head.dataStart;
      const tailStart = dataOffset + head.nBytes;
      if (tailStart > offset + bodyEnd) {
        throw this.error(
          `FrVect nBytes ${head.nBytes} runs past the end of the structure (${h.length} bytes)`,
          'GWF_TRUNCATED',
          { frame, structure: 'FrVect', channel: channel ?? head.name, offset },
        );
      }
      const tb = this.window.peek(tailStart, offset + bodyEnd - tailStart);
      const tr = new StructReader(tb, this.header.littleEndian, this.version);
      return parseVectTail(tr, head, h.instance, offset, dataOffset);
    } catch (error) {
      if (error instanceof StructOverrun) {
        throw this.error(`FrVect is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', {
          frame,
          structure: 'FrVect',
          channel,
          offset,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Locate and read the channel structure and its vector (optionally with the vector bytes). */
  private readChannelMeta(
    kind: GwfChannelKind,
    name: string,
    frameIndex: number,
    withBytes = false,
  ): { record: GwfChannelRecord; vector: GwfVectorInfo | undefined; vectorBytes?: Uint8Array } {
    const fi = this.index[frameIndex];
    const pos = this.locators[kind].get(name)?.[frameIndex];
    const structure = kindStruct(kind);
    if (!fi || pos === undefined || pos <= 0 || pos >= this.size) {
      throw this.error(
        fi ? 'channel not in this frame' : `frame ${frameIndex} does not exist (the file has ${this.index.length})`,
        'GWF_CHANNEL_NOT_FOUND',
        { frame: frameIndex, structure, channel: name },
      );
    }
    const h = this.readHeaderAt(pos, frameIndex);
    const { r } = this.readBody(pos, h, frameIndex, structure);
    const record = this.parseChannel(kind, r, h, pos, frameIndex, structure);
    if (record.name !== name) {
      throw this.error(`the TOC points at a structure named "${record.name}"`, 'GWF_BAD_STRUCTURE', {
        frame: frameIndex,
        structure,
        channel: name,
        offset: pos,
      });
    }
    if (record.dataRef.classId === 0) return { record, vector: undefined };
    // The data vector follows its channel structure (FrameL's FrVectReadNext); scan forward to it.
    const vectId = this.classIds.get('FrVect');
    let vector: GwfVectorInfo | undefined;
    let vectorBytes: Uint8Array | undefined;
    let p = pos + h.length;
    const limit = Math.max(fi.end, p);
    while (p < limit) {
      const vh = this.readHeaderAt(p, frameIndex);
      if (vh.classId === (vectId ?? record.dataRef.classId) && vh.instance === record.dataRef.instance) {
        vector = this.readVectorMeta(p, vh, frameIndex, name);
        if (withBytes) vectorBytes = this.readVectorBytes(vector, vh, frameIndex, name);
        break;
      }
      if (vh.classId === GwfFormat.fixedClasses.FrSH) {
        const { r: shr } = this.readBody(p, vh, frameIndex, 'FrSH');
        const sh = parseFrSH(shr);
        this.addClass(sh.classId, sh.name);
      }
      p += vh.length;
    }
    if (!vector) {
      throw this.error(
        `data vector (FrVect instance ${record.dataRef.instance}) not found in the frame`,
        'GWF_BAD_STRUCTURE',
        { frame: frameIndex, structure: 'FrVect', channel: name, offset: pos },
      );
    }
    if (kind === 'proc') fixProcRate(record, vector);
    return { record, vector, vectorBytes };
  }

  private decode(vector: GwfVectorInfo, bytes: Uint8Array, frame: number, channel: string): GwfSamples | string[] {
    try {
      return decodeVector({
        bytes,
        compress: vector.compress,
        type: vector.type,
        nData: vector.nData,
        fileLittleEndian: this.header.littleEndian,
        owned: (vector.compress & 0xff) === 0 || this.options.verifyChecksums === true,
      });
    } catch (error) {
      if (error instanceof CodecError) {
        throw this.error(error.message, error.code, { frame, structure: 'FrVect', channel, offset: vector.offset, cause: error });
      }
      throw error;
    }
  }

  private structError(error: unknown, frame: number | undefined, structure: string, offset: number): unknown {
    if (error instanceof StructOverrun) {
      return this.error(`structure is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', { frame, structure, offset, cause: error });
    }
    return error;
  }

  private assertOpen(): void {
    if (this.closed) throw this.error('the file is closed', 'GWF_IO', {});
  }

  private parseOrFail<T>(fn: () => T, frame: number | undefined, structure: string, offset: number): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof StructOverrun) {
        throw this.error(`structure is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', { frame, structure, offset, cause: error });
      }
      throw error;
    }
  }

  private error(
    problem: string,
    code: GwfErrorCode,
    where: { frame?: number; structure?: string; channel?: string; offset?: number; cause?: unknown },
  ): GwfFormatError {
    return new GwfFormatError(problem, { code, file: this.path, ...where });
  }
}

/** The name (first STRING) of a channel structure, without moving the reader. */
function peekName(r: StructReader): string {
  const at = r.pos;
  const name = r.string();
  r.pos = at;
  return name;
}

function kindStruct(kind: GwfChannelKind): string {
  return kind === 'adc' ? 'FrAdcData' : kind === 'proc' ? 'FrProcData' : kind === 'sim' ? 'FrSimData' : 'FrSerData';
}

/** FrameL's rule: a proc channel's sample rate is 1/dx[0] of its data vector. */
function fixProcRate(record: GwfChannelRecord, vector: GwfVectorInfo | undefined): void {
  if (record.sampleRate === 0 && vector && vector.dx.length > 0 && vector.dx[0] > 0) record.sampleRate = 1 / vector.dx[0];
}

function frameInfo(
  index: number,
  fh: { name: string; run: number; frame: number; dataQuality: number; GTimeS: number; GTimeN: number; ULeapS: number; dt: number },
  offset: number,
): GwfFrameInfo {
  return {
    index,
    name: fh.name,
    run: fh.run,
    frame: fh.frame,
    dataQuality: fh.dataQuality,
    gpsSeconds: fh.GTimeS,
    gpsNanoseconds: fh.GTimeN,
    t0Gps: BigInt(fh.GTimeS) * 1_000_000_000n + BigInt(fh.GTimeN),
    leapSeconds: fh.ULeapS,
    durationSeconds: fh.dt,
    offset,
  };
}

/** Validate the 40-byte header: magic, version, byte-order probes and word sizes. */
function checkHeader(path: string, b: Uint8Array, n: number): GwfFileHeader {
  const fail = (problem: string, code: GwfErrorCode): GwfFormatError =>
    new GwfFormatError(problem, { code, file: path, structure: 'file header', offset: 0 });
  if (n < 5 || String.fromCharCode(...b.subarray(0, 5)) !== GwfFormat.magic) {
    const shown = [...b.subarray(0, Math.min(n, 5))].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    throw fail(`bad magic: expected "IGWD\\0", found bytes [${shown}] (not a frame file)`, 'GWF_BAD_MAGIC');
  }
  if (n < GwfFormat.headerBytes) throw fail(`file header cut after ${n} of 40 bytes: the file is truncated`, 'GWF_TRUNCATED');
  const version = b[5];
  if (!GwfFormat.supportedVersions.includes(version)) {
    throw fail(
      `frame format version ${version} is not supported (supported: ${GwfFormat.supportedVersions.join(', ')})`,
      'GWF_UNSUPPORTED_VERSION',
    );
  }
  const sizes = { int2: b[7], int4: b[8], int8: b[9], real4: b[10], real8: b[11] };
  if (sizes.int2 !== 2 || sizes.int4 !== 4 || sizes.int8 !== 8 || sizes.real4 !== 4 || sizes.real8 !== 8) {
    throw fail(`unsupported word sizes ${JSON.stringify(sizes)} (expected 2,4,8,4,8)`, 'GWF_BAD_MAGIC');
  }
  let littleEndian: boolean;
  if (b[12] === 0x34 && b[13] === 0x12) littleEndian = true;
  else if (b[12] === 0x12 && b[13] === 0x34) littleEndian = false;
  else throw fail(`byte-order probe 0x1234 reads [${b[12]}, ${b[13]}]`, 'GWF_BAD_MAGIC');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(14, littleEndian) !== 0x12345678) throw fail('INT_4 probe 0x12345678 does not read back', 'GWF_BAD_MAGIC');
  const hi = dv.getUint32(littleEndian ? 22 : 18, littleEndian);
  const lo = dv.getUint32(littleEndian ? 18 : 22, littleEndian);
  // v4 writers on 32-bit machines stored a 4-byte long there: only check v6+.
  if (version >= 6 && !(hi === 0x01234567 && lo === 0x89abcdef)) {
    throw fail('INT_8 probe 0x0123456789abcdef does not read back', 'GWF_BAD_MAGIC');
  }
  if (Math.abs(dv.getFloat32(26, littleEndian) - Math.PI) > 1e-6 || dv.getFloat64(30, littleEndian) !== Math.PI) {
    throw fail('REAL_4/REAL_8 probes do not read back as pi', 'GWF_BAD_MAGIC');
  }
  return {
    formatVersion: version,
    libraryMinorVersion: b[6],
    littleEndian,
    sizes,
    byte38: b[38],
    byte39: b[39],
  };
}

