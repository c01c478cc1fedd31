/**
 * Reads of single channels, seeking with the index: the channel structure,
 * its FrVect (found by walking forward from the channel, as FrameL's
 * FrVectReadNext), the vector's stored bytes and their decoding.
 */
import { vectTypeOf } from '../format.js';
import type { GwfSamples } from '../format.js';
import type { GwfChannelData, GwfChannelKind, GwfChannelRecord, GwfChannelSummary, GwfVectorInfo } from '../types.js';
import type { FrameIndex } from './frame-index.js';
import type { ReadContext } from './read-context.js';
import { fixProcRate, kindStruct } from './read-context.js';
import { StructOverrun, StructReader } from './struct-reader.js';
import { FileSource, walkStructs } from './struct-walker.js';
import { parseVectHead, parseVectTail } from './structures.js';
import type { StructHeader } from './structures.js';
import { CodecError, decodeVector } from './vector-codec.js';

/** A channel structure with its vector's metadata (and, when asked, the vector's stored bytes). */
export interface ChannelMeta {
  record: GwfChannelRecord;
  vector: GwfVectorInfo | undefined;
  vectorBytes?: Uint8Array;
}

/** Read and decode channel `name` of frame `frameIndex`; see `GwfFile.readChannel`. */
export function readChannelData(
  ctx: ReadContext,
  index: FrameIndex,
  name: string,
  frameIndex: number,
  kind?: GwfChannelKind,
): GwfChannelData {
  const k = kind ?? index.channelKind(name);
  if (!k) {
    throw ctx.error(`channel not in file (it has ${index.channelNames().length} channels)`, 'GWF_CHANNEL_NOT_FOUND', {
      channel: name,
    });
  }
  const { record, vector, vectorBytes } = readChannelMeta(ctx, index, k, name, frameIndex, true);
  if (!vector || !vectorBytes) {
    throw ctx.error('channel has no data vector', 'GWF_NO_DATA', { frame: frameIndex, structure: 'FrVect', channel: name });
  }
  return { record, vector, data: decode(ctx, vector, vectorBytes, frameIndex, name) };
}

/** Every channel with rate, dtype and compression, from the first frame that has it (no samples decoded). */
export function summarizeChannels(ctx: ReadContext, index: FrameIndex): GwfChannelSummary[] {
  const out: GwfChannelSummary[] = [];
  for (const kind of ['adc', 'proc', 'sim', 'ser'] as const) {
    for (const [name, positions] of [...index.locators[kind]].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const f = positions.findIndex((p) => p > 0);
      if (f < 0) continue;
      const { record, vector } = readChannelMeta(ctx, index, kind, name, f);
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

/** Locate and read the channel structure and its vector (optionally with the vector bytes). */
export function readChannelMeta(
  ctx: ReadContext,
  index: FrameIndex,
  kind: GwfChannelKind,
  name: string,
  frameIndex: number,
  withBytes = false,
): ChannelMeta {
  const fi = index.spans[frameIndex];
  const pos = index.locators[kind].get(name)?.[frameIndex];
  const structure = kindStruct(kind);
  if (!fi || pos === undefined || pos <= 0 || pos >= ctx.size) {
    throw ctx.error(
      fi ? 'channel not in this frame' : `frame ${frameIndex} does not exist (the file has ${index.spans.length})`,
      'GWF_CHANNEL_NOT_FOUND',
      { frame: frameIndex, structure, channel: name },
    );
  }
  const h = ctx.readHeaderAt(pos, frameIndex);
  const record = ctx.parseChannel(kind, ctx.readBody(pos, h, frameIndex, structure), h, pos, frameIndex, structure);
  if (record.name !== name) {
    throw ctx.error(`the TOC points at a structure named "${record.name}"`, 'GWF_BAD_STRUCTURE', {
      frame: frameIndex,
      structure,
      channel: name,
      offset: pos,
    });
  }
  if (record.dataRef.classId === 0) return { record, vector: undefined };
  // The data vector follows its channel structure (FrameL's FrVectReadNext); walk forward to it.
  const vectId = ctx.classIds.get('FrVect') ?? record.dataRef.classId;
  let vector: GwfVectorInfo | undefined;
  let vectorBytes: Uint8Array | undefined;
  const from = pos + h.length;
  walkStructs(ctx, new FileSource(ctx), from, Math.max(fi.end, from), frameIndex, (vh, p) => {
    if (vh.classId !== vectId || vh.instance !== record.dataRef.instance) return true;
    vector = readVectorMeta(ctx, p, vh, frameIndex, name);
    if (withBytes) vectorBytes = readVectorBytes(ctx, vector, vh, frameIndex, name);
    return false;
  });
  if (!vector) {
    throw ctx.error(`data vector (FrVect instance ${record.dataRef.instance}) not found in the frame`, 'GWF_BAD_STRUCTURE', {
      frame: frameIndex,
      structure: 'FrVect',
      channel: name,
      offset: pos,
    });
  }
  if (kind === 'proc') fixProcRate(record, vector);
  return { record, vector, vectorBytes };
}

/** Parse a FrVect's metadata (reads the head and the tail, not the data). */
export function readVectorMeta(ctx: ReadContext, offset: number, h: StructHeader, frame: number | undefined, channel?: string): GwfVectorInfo {
  const bodyEnd = h.length - (ctx.version >= 8 ? 4 : 0);
  const headLen = Math.min(bodyEnd, h.headerBytes + 2 + 1024 + 20);
  const hb = ctx.window.peek(offset, headLen);
  try {
    const r = new StructReader(hb.subarray(h.headerBytes), ctx.littleEndian, ctx.version);
    const head = parseVectHead(r);
    const dataOffset = offset + h.headerBytes + head.dataStart;
    const tailStart = dataOffset + head.nBytes;
    if (tailStart > offset + bodyEnd) {
      throw ctx.error(`FrVect nBytes ${head.nBytes} runs past the end of the structure (${h.length} bytes)`, 'GWF_TRUNCATED', {
        frame,
        structure: 'FrVect',
        channel: channel ?? head.name,
        offset,
      });
    }
    const tb = ctx.window.peek(tailStart, offset + bodyEnd - tailStart);
    const tr = new StructReader(tb, ctx.littleEndian, ctx.version);
    return parseVectTail(tr, head, h.instance, offset, dataOffset);
  } catch (error) {
    if (error instanceof StructOverrun) {
      throw ctx.error(`FrVect is truncated or malformed: ${error.message}`, 'GWF_TRUNCATED', {
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

/**
 * The stored data bytes of a vector in a new buffer owned by the caller
 * (the whole structure is read and its CRC checked when verifying).
 */
export function readVectorBytes(ctx: ReadContext, vector: GwfVectorInfo, h: StructHeader, frame: number, channel: string): Uint8Array {
  if (ctx.options.verifyChecksums) {
    const whole = ctx.readStruct(vector.offset, h, frame, 'FrVect', channel);
    const start = vector.dataOffset - vector.offset;
    return whole.subarray(start, start + vector.nBytes);
  }
  // Compressed payloads are decoded into new arrays: a transient view of the
  // read window is enough (decoding is synchronous). Raw payloads become the
  // result, so they get their own buffer.
  const raw = (vector.compress & 0xff) === 0;
  const bytes = raw ? ctx.window.readOwned(vector.dataOffset, vector.nBytes) : ctx.window.peek(vector.dataOffset, vector.nBytes);
  if (bytes.length < vector.nBytes) {
    throw ctx.error(`FrVect data cut after ${bytes.length} of ${vector.nBytes} bytes: the file is truncated`, 'GWF_TRUNCATED', {
      frame,
      structure: 'FrVect',
      channel,
      offset: vector.offset,
    });
  }
  return bytes;
}

/** Decode a vector's stored bytes into samples in native byte order. */
export function decode(ctx: ReadContext, vector: GwfVectorInfo, bytes: Uint8Array, frame: number, channel: string): GwfSamples | string[] {
  try {
    return decodeVector({
      bytes,
      compress: vector.compress,
      type: vector.type,
      nData: vector.nData,
      fileLittleEndian: ctx.littleEndian,
      owned: (vector.compress & 0xff) === 0 || ctx.options.verifyChecksums === true,
    });
  } catch (error) {
    if (error instanceof CodecError) {
      throw ctx.error(error.message, error.code, { frame, structure: 'FrVect', channel, offset: vector.offset, cause: error });
    }
    throw error;
  }
}
