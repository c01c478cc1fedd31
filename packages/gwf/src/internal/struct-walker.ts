/**
 * The one walk over a run of structures: header, length check, dictionary
 * records (FrSH add a class as they come; FrSE are named), then the
 * caller's visitor, then the next structure. The bytes come from a
 * {@link ByteSource}: the file through its read window ({@link FileSource},
 * for the index scan, frame reads and channel lookups) or one frame read
 * whole into a buffer ({@link FrameBufferSource}, for bulk frame reads).
 * Offsets are file offsets for both.
 */
import { GwfFormat } from '../format.js';
import type { ReadContext } from './read-context.js';
import { StructReader } from './struct-reader.js';
import { headerBytesFor, parseFrSH, parseStructHeader } from './structures.js';
import type { StructHeader } from './structures.js';

/** Where the walked structures' bytes come from. */
export interface ByteSource {
  /**
   * Header of the structure at file offset `pos`, its length checked against
   * the source; undefined when the source ends before a whole header (the
   * walk stops there).
   */
  headerAt(pos: number, frame: number | undefined): StructHeader | undefined;
  /** A reader over the body of the structure at `pos` (header and v8 chkSum excluded). */
  bodyAt(pos: number, h: StructHeader, frame: number | undefined, structure: string): StructReader;
}

/** The file itself, read through the context's window; structures are checked against the file size. */
export class FileSource implements ByteSource {
  constructor(private readonly ctx: ReadContext) {}

  headerAt(pos: number, frame: number | undefined): StructHeader {
    const ctx = this.ctx;
    const h = ctx.readHeaderAt(pos, frame);
    if (pos + h.length > ctx.size) {
      const name = ctx.dictionary.get(h.classId) ?? `class ${h.classId}`;
      throw ctx.error(
        `${name} structure claims ${h.length} bytes but the file ends after ${ctx.size - pos}: the file is truncated`,
        'GWF_TRUNCATED',
        { frame, structure: name, offset: pos },
      );
    }
    return h;
  }

  bodyAt(pos: number, h: StructHeader, frame: number | undefined, structure: string): StructReader {
    return this.ctx.readBody(pos, h, frame, structure);
  }
}

/** One frame read whole: `buffer` holds the file's bytes from offset `base`. */
export class FrameBufferSource implements ByteSource {
  private readonly headerBytes: number;
  private readonly trailerBytes: number;

  constructor(
    private readonly ctx: ReadContext,
    /** The frame's bytes. */
    readonly buffer: Uint8Array,
    /** File offset of `buffer[0]`. */
    readonly base: number,
  ) {
    this.headerBytes = headerBytesFor(ctx.version);
    this.trailerBytes = ctx.version >= 8 ? 4 : 0;
  }

  headerAt(pos: number, frame: number | undefined): StructHeader | undefined {
    const at = pos - this.base;
    const left = this.buffer.length - at;
    if (left < this.headerBytes) return undefined;
    const h = parseStructHeader(this.buffer, this.ctx.littleEndian, this.ctx.version, at);
    if (h.length < h.headerBytes + this.trailerBytes || h.length > left) {
      throw this.ctx.error(`structure length ${h.length} runs past the frame (${left} bytes left)`, 'GWF_TRUNCATED', {
        frame,
        structure: this.ctx.dictionary.get(h.classId),
        offset: pos,
      });
    }
    return h;
  }

  bodyAt(pos: number, h: StructHeader): StructReader {
    const bodyLength = h.length - h.headerBytes - this.trailerBytes;
    return new StructReader(this.buffer, this.ctx.littleEndian, this.ctx.version, pos - this.base + h.headerBytes, bodyLength);
  }

  /** The whole structure at file offset `pos` (a view of the buffer). */
  bytesAt(pos: number, length: number): Uint8Array {
    const at = pos - this.base;
    return this.buffer.subarray(at, at + length);
  }
}

/** Called per structure with its header, file offset and name (undefined when the dictionary lacks its class). */
export type StructVisitor = (h: StructHeader, offset: number, structName: string | undefined) => boolean | void;

/**
 * Walk the structures of `source` in [start, end). `frameOf` names the frame
 * for errors (a function when it changes during the walk). Returning false
 * from `visit` stops the walk.
 */
export function walkStructs(
  ctx: ReadContext,
  source: ByteSource,
  start: number,
  end: number,
  frameOf: number | undefined | (() => number | undefined),
  visit: StructVisitor,
): void {
  let pos = start;
  while (pos < end) {
    const frame = typeof frameOf === 'function' ? frameOf() : frameOf;
    const h = source.headerAt(pos, frame);
    if (!h) return;
    const structName = ctx.structName(h.classId);
    if (h.classId === GwfFormat.fixedClasses.FrSH) {
      const r = source.bodyAt(pos, h, frame, 'FrSH');
      const sh = ctx.parseOrFail(() => parseFrSH(r), frame, 'FrSH', pos);
      ctx.addClass(sh.classId, sh.name);
    }
    if (visit(h, pos, structName) === false) return;
    pos += h.length;
  }
}
