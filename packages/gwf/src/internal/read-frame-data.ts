/**
 * Decoded channels of one frame, read in one pass: the frame is read whole
 * into a buffer and walked once (channel structures and FrVects matched by
 * instance), unless it is larger than `maxFrameBytes` or few of the file's
 * channels are wanted, when each channel is read on its own, seeking with
 * the index.
 */
import type { GwfChannelData, GwfChannelRecord, GwfVectorInfo } from '../types.js';
import type { FrameIndex } from './frame-index.js';
import type { ReadContext } from './read-context.js';
import { CHANNEL_STRUCTS, fixProcRate, peekName } from './read-context.js';
import { decode, readChannelData } from './read-channel.js';
import { FrameBufferSource, walkStructs } from './struct-walker.js';
import { parseStructHeader, parseVectHead, parseVectTail } from './structures.js';

/** Options of {@link readFrameData}. */
export interface ReadFrameDataOptions {
  /** Channels to decode (default all). */
  channels?: Iterable<string>;
  /** Largest frame read whole (default 64 MiB). */
  maxFrameBytes?: number;
}

/** Read and decode the channels of frame `frameIndex`; see `GwfFile.readFrameData`. */
export function readFrameData(ctx: ReadContext, index: FrameIndex, frameIndex: number, options: ReadFrameDataOptions): GwfChannelData[] {
  const fi = index.spans[frameIndex];
  if (!fi) throw ctx.error(`frame ${frameIndex} does not exist (the file has ${index.spans.length})`, 'GWF_NO_DATA', {});
  const wanted = options.channels ? new Set(options.channels) : undefined;
  const span = fi.end - fi.start;
  // Few channels of many: seek to each (TOC) rather than read the whole frame.
  const few = wanted !== undefined && wanted.size * 8 < index.channelCount;
  if (few || span > (options.maxFrameBytes ?? 64 << 20)) {
    const out: GwfChannelData[] = [];
    const names = wanted ? [...wanted] : index.channelNames();
    for (const name of names) {
      const kind = index.channelKind(name);
      if (!kind || kind === 'ser' || !index.hasChannel(name, frameIndex)) continue;
      out.push(readChannelData(ctx, index, name, frameIndex, kind));
    }
    return out;
  }
  const buf = ctx.window.readOwned(fi.start, span);
  if (buf.length < span) {
    throw ctx.error(`frame cut after ${buf.length} of ${span} bytes: the file is truncated`, 'GWF_TRUNCATED', {
      frame: frameIndex,
      offset: fi.start,
    });
  }
  const source = new FrameBufferSource(ctx, buf, fi.start);
  const channels: GwfChannelRecord[] = [];
  const vectors = new Map<number, GwfVectorInfo[]>();
  walkStructs(ctx, source, fi.start, fi.end, frameIndex, (h, offset, structName) => {
    if (structName === 'FrVect') {
      const r = source.bodyAt(offset, h);
      let info: GwfVectorInfo;
      try {
        const head = parseVectHead(r);
        r.skip(head.nBytes);
        info = parseVectTail(r, head, h.instance, offset, offset + h.headerBytes + head.dataStart);
      } catch (error) {
        throw ctx.structError(error, frameIndex, 'FrVect', offset);
      }
      const list = vectors.get(h.instance);
      if (list) list.push(info);
      else vectors.set(h.instance, [info]);
    } else if (structName !== undefined && CHANNEL_STRUCTS[structName] !== undefined) {
      const kind = CHANNEL_STRUCTS[structName];
      if (kind === 'ser') return true;
      const r = source.bodyAt(offset, h);
      if (!wanted || wanted.has(peekName(r))) {
        if (ctx.options.verifyChecksums) ctx.checkCrc(source.bytesAt(offset, h.length), h, offset, { frame: frameIndex, structure: structName });
        channels.push(ctx.parseChannel(kind, r, h, offset, frameIndex, structName));
      }
    }
    return true;
  });
  const out: GwfChannelData[] = [];
  for (const record of channels) {
    const list = vectors.get(record.dataRef.instance);
    if (record.dataRef.classId === 0 || !list) continue;
    const vector = list.find((v) => v.offset > record.offset) ?? list[0];
    if (record.kind === 'proc') fixProcRate(record, vector);
    const whole = source.bytesAt(vector.offset, vector.dataOffset - vector.offset + vector.nBytes + 64);
    if (ctx.options.verifyChecksums) {
      const h = parseStructHeader(source.bytesAt(vector.offset, span), ctx.littleEndian, ctx.version);
      ctx.checkCrc(source.bytesAt(vector.offset, h.length), h, vector.offset, { frame: frameIndex, structure: 'FrVect', channel: record.name });
    }
    const start = vector.dataOffset - vector.offset;
    const stored = whole.subarray(start, start + vector.nBytes);
    // Raw payloads are copied so each result owns its memory and the frame
    // buffer is dropped — except a payload that is most of the frame, which
    // is used in place (it would retain little else).
    const raw = (vector.compress & 0xff) === 0;
    const bytes = raw && vector.nBytes * 2 < span ? stored.slice() : stored;
    out.push({ record, vector, data: decode(ctx, vector, bytes, frameIndex, record.name) });
  }
  return out;
}
