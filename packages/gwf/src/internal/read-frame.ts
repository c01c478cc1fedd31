/**
 * Everything in one frame without decoding samples: a walk over the frame's
 * structures collecting channels (each with its vector's metadata), history,
 * detectors and the names of structures this reader skips; FrEndOfFrame is
 * checked against FrameH (and its v6 frame checksum when verifying).
 */
import type { GwfDetector, GwfFrameContent, GwfVectorInfo } from '../types.js';
import { frameChecksum } from './checksums.js';
import type { FrameIndex } from './frame-index.js';
import type { ReadContext } from './read-context.js';
import { CHANNEL_STRUCTS, fixProcRate } from './read-context.js';
import { readVectorMeta } from './read-channel.js';
import { FileSource, walkStructs } from './struct-walker.js';
import { parseDetector, parseEndOfFrame } from './structures.js';
import type { StructHeader } from './structures.js';

const NOT_CONTENT = new Set(['FrSH', 'FrSE', 'FrameH', 'FrRawData']);

/** Read every structure of frame `frameIndex` in file order; see `GwfFile.readFrame`. */
export function readFrame(ctx: ReadContext, index: FrameIndex, frameIndex: number): GwfFrameContent {
  const fi = index.spans[frameIndex];
  if (!fi) throw ctx.error(`frame ${frameIndex} does not exist (the file has ${index.spans.length})`, 'GWF_NO_DATA', {});
  const channels: GwfFrameContent['channels'] = [];
  const vectors = new Map<number, GwfVectorInfo[]>();
  const history: GwfFrameContent['history'] = [];
  const detectors: GwfDetector[] = [];
  const skipped = new Set<string>();
  walkStructs(ctx, new FileSource(ctx), fi.start, fi.end, frameIndex, (h, offset, structName) => {
    if (structName === 'FrVect') {
      const v = readVectorMeta(ctx, offset, h, frameIndex);
      const list = vectors.get(v.instance) ?? [];
      list.push(v);
      vectors.set(v.instance, list);
    } else if (structName && CHANNEL_STRUCTS[structName]) {
      const r = ctx.readBody(offset, h, frameIndex, structName);
      const record = ctx.parseChannel(CHANNEL_STRUCTS[structName], r, h, offset, frameIndex, structName);
      channels.push({ record, vector: undefined });
    } else if (structName === 'FrHistory') {
      const r = ctx.readBody(offset, h, frameIndex, structName);
      history.push(ctx.parseOrFail(() => ({ name: r.string(), time: r.u32(), comment: r.string() }), frameIndex, structName, offset));
    } else if (structName === 'FrDetector' && ctx.version >= 6) {
      const r = ctx.readBody(offset, h, frameIndex, structName);
      detectors.push(ctx.parseOrFail(() => parseDetector(r), frameIndex, structName, offset));
    } else if (structName === 'FrEndOfFrame') {
      checkEndOfFrame(ctx, fi.info, h, offset, frameIndex);
    } else if (structName && !NOT_CONTENT.has(structName)) {
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

/** FrEndOfFrame must name the frame's run and frame number; its v6 checksum is verified when asked. */
function checkEndOfFrame(
  ctx: ReadContext,
  info: { offset: number; run: number; frame: number },
  h: StructHeader,
  offset: number,
  frameIndex: number,
): void {
  const structure = 'FrEndOfFrame';
  const r = ctx.readBody(offset, h, frameIndex, structure);
  const eof = ctx.parseOrFail(() => parseEndOfFrame(r), frameIndex, structure, offset);
  if (ctx.options.verifyChecksums && eof.chkType === 1) {
    // v6 frame checksum: the frame from its FrameH to the end of FrEndOfFrame, checksum field zeroed.
    const from = info.offset;
    const bytes = ctx.window.readOwned(from, offset + h.length - from);
    const computed = frameChecksum(bytes, offset - from + h.headerBytes + 12);
    if (computed !== eof.chkSum) {
      throw ctx.error(`frame checksum mismatch: stored CRC ${eof.chkSum}, computed ${computed} (the frame is corrupt)`, 'GWF_CRC_MISMATCH', {
        frame: frameIndex,
        structure,
        offset,
      });
    }
  }
  if (eof.run !== info.run || eof.frame !== info.frame) {
    throw ctx.error(`FrEndOfFrame says run ${eof.run} frame ${eof.frame} but FrameH says run ${info.run} frame ${info.frame}`, 'GWF_BAD_STRUCTURE', {
      frame: frameIndex,
      structure,
      offset,
    });
  }
}
