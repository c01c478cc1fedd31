/**
 * What every read of one open GWF file shares: the file's identity and byte
 * order, its read window, its class dictionary (grown as FrSH records are
 * met), and the small helpers that read a structure, check its length and
 * CRC, and turn low-level problems into {@link GwfFormatError}s naming the
 * file, frame, structure and offset.
 */
import { GwfFormat } from '../format.js';
import { GwfFormatError } from '../errors.js';
import type { GwfErrorCode } from '../errors.js';
import type { GwfChannelKind, GwfChannelRecord, GwfFileHeader, GwfVectorInfo, OpenGwfOptions } from '../types.js';
import type { FileWindow } from './file-window.js';
import { StructOverrun, StructReader } from './struct-reader.js';
import { headerBytesFor, parseAdc, parseProc, parseSer, parseSim, parseStructHeader } from './structures.js';
import type { StructHeader } from './structures.js';
import { structCrcMismatch } from './checksums.js';

/** Where a problem is, beyond the file. */
export interface Place {
  frame?: number;
  structure?: string;
  channel?: string;
  offset?: number;
  cause?: unknown;
}

/** Channel structure name → channel kind. */
export const CHANNEL_STRUCTS: Readonly<Record<string, GwfChannelKind>> = {
  FrAdcData: 'adc',
  FrProcData: 'proc',
  FrSimData: 'sim',
  FrSerData: 'ser',
};

const PARSERS = { adc: parseAdc, proc: parseProc, sim: parseSim, ser: parseSer } as const;

/** Structure name of a channel kind. */
export function kindStruct(kind: GwfChannelKind): string {
  return kind === 'adc' ? 'FrAdcData' : kind === 'proc' ? 'FrProcData' : kind === 'sim' ? 'FrSimData' : 'FrSerData';
}

/** FrameL's rule: a proc channel's sample rate is 1/dx[0] of its data vector. */
export function fixProcRate(record: GwfChannelRecord, vector: GwfVectorInfo | undefined): void {
  if (record.sampleRate === 0 && vector && vector.dx.length > 0 && vector.dx[0] > 0) record.sampleRate = 1 / vector.dx[0];
}

/** The name (first STRING) of a channel structure, without moving the reader. */
export function peekName(r: StructReader): string {
  const at = r.pos;
  const name = r.string();
  r.pos = at;
  return name;
}

/** State and helpers shared by the reads of one open file. */
export class ReadContext {
  /** Class id → structure name, from this file's dictionary (FrSH). */
  readonly dictionary = new Map<number, string>();
  /** Structure name → class id. */
  readonly classIds = new Map<string, number>();
  /** Read-ahead of window refills (small while locating FrameH records at open). */
  readAhead = 64 * 1024;
  /** Format version (4, 6 or 8). */
  readonly version: number;
  /** Byte order of the file. */
  readonly littleEndian: boolean;

  constructor(
    /** Path of the file. */
    readonly path: string,
    /** Size in bytes. */
    readonly size: number,
    /** The file header. */
    readonly header: GwfFileHeader,
    readonly window: FileWindow,
    readonly options: OpenGwfOptions,
  ) {
    this.version = header.formatVersion;
    this.littleEndian = header.littleEndian;
  }

  /** A {@link GwfFormatError} about this file. */
  error(problem: string, code: GwfErrorCode, where: Place): GwfFormatError {
    return new GwfFormatError(problem, { code, file: this.path, ...where });
  }

  /** Record a dictionary entry (FrSH); the fixed classes FrSH and FrSE are not renamed. */
  addClass(id: number, name: string): void {
    if (id === GwfFormat.fixedClasses.FrSH || id === GwfFormat.fixedClasses.FrSE) return;
    this.dictionary.set(id, name);
    this.classIds.set(name, id);
  }

  /** Structure name of a class id (FrSH and FrSE are fixed; others from the dictionary). */
  structName(classId: number): string | undefined {
    if (classId === GwfFormat.fixedClasses.FrSH) return 'FrSH';
    if (classId === GwfFormat.fixedClasses.FrSE) return 'FrSE';
    return this.dictionary.get(classId);
  }

  /** Header of the structure at file offset `pos`; throws when it is cut or its length impossible. */
  readHeaderAt(pos: number, frame: number | undefined): StructHeader {
    const hb = headerBytesFor(this.version);
    const b = this.window.peek(pos, hb, this.readAhead);
    if (b.length < hb) {
      throw this.error(`structure header at byte ${pos} is cut by the end of the file: the file is truncated`, 'GWF_TRUNCATED', {
        frame,
        offset: pos,
      });
    }
    const h = parseStructHeader(b, this.littleEndian, this.version);
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
  readStruct(pos: number, h: StructHeader, frame: number | undefined, structure: string, channel?: string): Uint8Array {
    const bytes = this.window.readOwned(pos, h.length);
    if (bytes.length < h.length) {
      throw this.error(
        `structure claims ${h.length} bytes but the file ends after ${bytes.length}: the file is truncated`,
        'GWF_TRUNCATED',
        { frame, structure, channel, offset: pos },
      );
    }
    if (this.options.verifyChecksums) this.checkCrc(bytes, h, pos, { frame, structure, channel });
    return bytes;
  }

  /** Check a v8 structure CRC (no-op for v4/v6 or when the structure has none). */
  checkCrc(bytes: Uint8Array, h: StructHeader, pos: number, where: Place): void {
    const bad = structCrcMismatch(bytes, h, this.version, this.littleEndian);
    if (bad) {
      throw this.error(`checksum mismatch: stored CRC ${bad.stored}, computed ${bad.computed} (the structure is corrupt)`, 'GWF_CRC_MISMATCH', {
        ...where,
        offset: pos,
      });
    }
  }

  /** The body of a whole structure (without its header and v8 chkSum). */
  bodyOf(bytes: Uint8Array, h: StructHeader): Uint8Array {
    const end = this.version >= 8 ? bytes.length - 4 : bytes.length;
    return bytes.subarray(h.headerBytes, end);
  }

  /** Read a (small) structure and return a reader over its body. */
  readBody(pos: number, h: StructHeader, frame: number | undefined, structure: string): StructReader {
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
    return new StructReader(this.bodyOf(bytes, h), this.littleEndian, this.version);
  }

  /** Parse a channel structure of `kind` from `r`, stamping its instance and offset. */
  parseChannel(
    kind: GwfChannelKind,
    r: StructReader,
    h: StructHeader,
    offset: number,
    frame: number | undefined,
    structure: string,
  ): GwfChannelRecord {
    const rec = this.parseOrFail(() => PARSERS[kind](r) as GwfChannelRecord, frame, structure, offset);
    rec.instance = h.instance;
    rec.offset = offset;
    return rec;
  }

  /** Run a parser; a field running past the structure becomes `GWF_TRUNCATED`. */
  parseOrFail<T>(fn: () => T, frame: number | undefined, structure: string, offset: number): T {
    try {
      return fn();
    } catch (error) {
      throw this.structError(error, frame, structure, offset);
    }
  }

  /** A StructOverrun as `GWF_TRUNCATED` naming the place; other errors unchanged. */
  structError(error: unknown, frame: number | undefined, structure: string, offset: number): unknown {
    if (error instanceof StructOverrun) {
      return this.error(`structure is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', { frame, structure, offset, cause: error });
    }
    return error;
  }
}
