/**
 * Pure-TypeScript reader (and small writer) of gravitational-wave frame
 * files (IGWD GWF, LIGO-T970130), versions 8, 6 and 4.
 *
 * @packageDocumentation
 */
export { GwfFormat, vectTypeOf } from './format.js';
export type { GwfSamples, GwfTypeName, GwfVectType } from './format.js';
export { GwfFormatError } from './errors.js';
export type { GwfErrorCode, GwfErrorOptions } from './errors.js';
export type {
  GwfFileHeader,
  GwfChannelKind,
  GwfFrameInfo,
  GwfStructRef,
  GwfVectorInfo,
  GwfChannelRecord,
  GwfTocChannel,
  GwfToc,
  GwfChannelSummary,
} from './types.js';
export { GwfFile } from './gwf-file.js';
export type { OpenGwfOptions, GwfChannelData, GwfFrameContent, GwfChecksumResult } from './gwf-file.js';
export { computeSampleStats, littleEndianBytes } from './sample-stats.js';
export type { GwfSampleStats, GwfStatValue } from './sample-stats.js';
export { GwfWriter, writeGwf } from './writer.js';
export type { GwfCompression, GwfWriteChannel, GwfWriteFrame, GwfWriterOptions } from './writer.js';
