/**
 * Where frames and channels are in a file: read from FrEndOfFile and the
 * FrTOC when the file has them (only the FrameH records are then read),
 * otherwise built by one sequential scan of the file.
 */
import { GwfFormat } from '../format.js';
import type { GwfChannelKind, GwfEndOfFile, GwfFrameInfo, GwfToc } from '../types.js';
import type { ReadContext } from './read-context.js';
import { CHANNEL_STRUCTS } from './read-context.js';
import { StructOverrun, StructReader } from './struct-reader.js';
import { FileSource, walkStructs } from './struct-walker.js';
import { endOfFileBytes, headerBytesFor, parseEndOfFile, parseFrameH, parseStructHeader, parseToc } from './structures.js';
import type { FrameHRecord } from './structures.js';

/** A frame and the bytes it spans, [start, end). */
export interface FrameSpan {
  info: GwfFrameInfo;
  start: number;
  end: number;
}

const KINDS = ['adc', 'proc', 'sim', 'ser'] as const;

/** Frames, their spans and, per channel kind and name, the channel structure's offset in each frame (0: absent). */
export class FrameIndex {
  /** The frames in file order. */
  readonly frames: GwfFrameInfo[] = [];
  /** The frames' byte spans, same order. */
  readonly spans: FrameSpan[] = [];
  /** Channel name → offset per frame (0 when the frame lacks it), per kind. */
  readonly locators: Record<GwfChannelKind, Map<string, number[]>> = {
    adc: new Map(),
    proc: new Map(),
    sim: new Map(),
    ser: new Map(),
  };
  /** The table of contents, when the file has one. */
  toc: GwfToc | undefined;
  /** FrEndOfFile, when the file ends with one. */
  endOfFile: GwfEndOfFile | undefined;

  /** Names of every channel of `kind` (all kinds when omitted), sorted. */
  channelNames(kind?: GwfChannelKind): string[] {
    const kinds: readonly GwfChannelKind[] = kind ? [kind] : KINDS;
    const names = new Set<string>();
    for (const k of kinds) for (const n of this.locators[k].keys()) names.add(n);
    return [...names].sort();
  }

  /** Number of distinct channel names (all kinds). */
  get channelCount(): number {
    let n = 0;
    for (const k of KINDS) n += this.locators[k].size;
    return n;
  }

  /** Kind of channel `name`, or undefined when the file does not have it. */
  channelKind(name: string): GwfChannelKind | undefined {
    for (const k of KINDS) if (this.locators[k].has(name)) return k;
    return undefined;
  }

  /** True when frame `frameIndex` has channel `name`. */
  hasChannel(name: string, frameIndex: number): boolean {
    const k = this.channelKind(name);
    if (!k) return false;
    const p = this.locators[k].get(name)?.[frameIndex];
    return p !== undefined && p > 0;
  }
}

/** Read FrEndOfFile and the TOC, or scan the file, into a {@link FrameIndex}. */
export function buildFrameIndex(ctx: ReadContext): FrameIndex {
  const index = new FrameIndex();
  index.endOfFile = readEndOfFile(ctx);
  const eof = index.endOfFile;
  if (eof && eof.seekTOC > 0 && eof.seekTOC < ctx.size - GwfFormat.headerBytes) {
    index.toc = readTocAt(ctx, ctx.size - eof.seekTOC);
  }
  if (index.toc) indexFromToc(ctx, index, index.toc);
  else scanIndex(ctx, index);
  return index;
}

/** FrEndOfFile, when the file ends with one whose byte count matches the file. */
function readEndOfFile(ctx: ReadContext): GwfEndOfFile | undefined {
  const eofSize = endOfFileBytes(ctx.version);
  if (ctx.size < GwfFormat.headerBytes + eofSize) return undefined;
  const tail = ctx.window.readOwned(ctx.size - eofSize, eofSize);
  const h = parseStructHeader(tail, ctx.littleEndian, ctx.version);
  if (h.length !== eofSize) return undefined;
  const eof = parseEndOfFile(new StructReader(tail.subarray(headerBytesFor(ctx.version)), ctx.littleEndian, ctx.version));
  if (eof.nBytes === ctx.size || (ctx.version < 6 && eof.nBytes === ctx.size % 4294967296)) return eof;
  return undefined;
}

function readTocAt(ctx: ReadContext, pos: number): GwfToc {
  const h = ctx.readHeaderAt(pos, undefined);
  const bytes = ctx.readStruct(pos, h, undefined, 'FrTOC');
  const r = new StructReader(ctx.bodyOf(bytes, h), ctx.littleEndian, ctx.version);
  let toc: GwfToc;
  try {
    toc = parseToc(r, pos);
  } catch (error) {
    if (error instanceof StructOverrun) {
      throw ctx.error(`FrTOC is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', { structure: 'FrTOC', offset: pos, cause: error });
    }
    throw error;
  }
  const tocId = toc.SH.find((s) => s.name === 'FrTOC')?.id;
  if (tocId !== undefined && tocId !== h.classId) {
    throw ctx.error(
      `structure at the TOC position has class ${h.classId} but the dictionary gives FrTOC class ${tocId}`,
      'GWF_BAD_STRUCTURE',
      { structure: 'FrTOC', offset: pos },
    );
  }
  return toc;
}

/** Frames from the TOC (reading each FrameH) and channel locators from its channel lists. */
function indexFromToc(ctx: ReadContext, index: FrameIndex, toc: GwfToc): void {
  for (const sh of toc.SH) ctx.addClass(sh.id, sh.name);
  const ends = toc.frames.map((f, i) => (i + 1 < toc.frames.length ? toc.frames[i + 1].positionH : toc.position));
  const source = new FileSource(ctx);
  // Only the FrameH records are read here: small refills, not 64 KiB per frame.
  ctx.readAhead = 4096;
  for (let i = 0; i < toc.frames.length; i++) {
    const start = toc.frames[i].positionH;
    // positionH may point at dictionary records written just before the FrameH.
    let found: FrameSpan | undefined;
    walkStructs(ctx, source, start, ends[i], i, (h, offset, structName) => {
      if (structName !== 'FrameH') return true;
      const r = ctx.readBody(offset, h, i, 'FrameH');
      const info = frameInfo(i, ctx.parseOrFail(() => parseFrameH(r), i, 'FrameH', offset), offset);
      found = { info, start, end: ends[i] };
      return false;
    });
    if (!found) throw ctx.error('no FrameH where the TOC says the frame starts', 'GWF_BAD_STRUCTURE', { frame: i, structure: 'FrameH', offset: start });
    index.frames.push(found.info);
    index.spans.push(found);
  }
  ctx.readAhead = 64 * 1024;
  for (const kind of KINDS) {
    const loc = index.locators[kind];
    for (const c of toc[kind]) if (!loc.has(c.name)) loc.set(c.name, c.positions);
  }
}

/** Build frames and channel locators with one sequential scan (files without FrTOC). */
function scanIndex(ctx: ReadContext, index: FrameIndex): void {
  let current: FrameSpan | undefined;
  const end = index.endOfFile ? ctx.size - endOfFileBytes(ctx.version) : ctx.size;
  let frameNo = -1;
  walkStructs(ctx, new FileSource(ctx), GwfFormat.headerBytes, end, () => (frameNo >= 0 ? frameNo : undefined), (h, offset, structName) => {
    if (structName === 'FrameH') {
      frameNo++;
      const r = ctx.readBody(offset, h, frameNo, 'FrameH');
      const info = frameInfo(frameNo, ctx.parseOrFail(() => parseFrameH(r), frameNo, 'FrameH', offset), offset);
      if (current) current.end = offset;
      current = { info, start: offset, end };
      index.frames.push(info);
      index.spans.push(current);
    } else if (structName && CHANNEL_STRUCTS[structName] && frameNo >= 0) {
      const kind = CHANNEL_STRUCTS[structName];
      const name = ctx.readBody(offset, h, frameNo, structName).string();
      let positions = index.locators[kind].get(name);
      if (!positions) {
        positions = [];
        index.locators[kind].set(name, positions);
      }
      while (positions.length < frameNo) positions.push(0);
      if (positions.length === frameNo) positions.push(offset);
    } else if (structName === 'FrEndOfFrame' && current) {
      current.end = offset + h.length;
    }
    return true;
  });
  const n = index.frames.length;
  for (const loc of Object.values(index.locators)) for (const p of loc.values()) while (p.length < n) p.push(0);
}

function frameInfo(index: number, fh: FrameHRecord, offset: number): GwfFrameInfo {
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
