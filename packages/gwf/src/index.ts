/**
 * Pure-TypeScript reader (and small writer) of gravitational-wave frame
 * files (IGWD GWF, LIGO-T970130), versions 8, 6 and 4.
 *
 * @packageDocumentation
 */
export { GwfFormat, vectTypeOf } from './format.js';
export type { GwfSamples, GwfTypeName, GwfVectType } from './format.js';
export { GwfErrorCode, GwfFormatError, isFileLevelError } from './errors.js';
export type { GwfErrorOptions } from './errors.js';
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
  GwfEndOfFile,
  GwfDetector,
  OpenGwfOptions,
  GwfChannelData,
  GwfFrameContent,
  GwfChecksumResult,
} from './types.js';
export { GwfFile } from './gwf-file.js';
export { computeSampleStats } from './sample-stats.js';
export type { GwfSampleStats, GwfStatValue } from './sample-stats.js';
export { GwfWriter, writeGwf } from './writer.js';
export type { GwfCompression, GwfWriteChannel, GwfWriteFrame, GwfWriterOptions } from './writer-types.js';
export { sampleIndexAt } from './sample-grid.js';
export { GridReader } from './grid-reader.js';
export type { GridArray, GridChannel, GridMismatch, GridMismatchKind, GridReadOptions, GridReadResult, GridReaderOptions } from './grid-reader.js';
export { readChannels, readChannel, streamFrames, toGpsNanoseconds } from './read-channels.js';
export type {
  CalibratedReadOptions,
  GpsTime,
  GwfGap,
  GwfSeries,
  PaddedReadOptions,
  ReadChannelsOptions,
  GwfFrameChunk,
  StreamFramesOptions,
} from './read-channels.js';
export { parseFrameFileList, readFrameFileList, selectFrameFiles, formatFfl } from './frame-file-list.js';
export type { FrameFileEntry, ParseFrameFileListOptions } from './frame-file-list.js';
export {
  LEAP_SECONDS,
  GPS_EPOCH_UNIX_MS,
  gpsMinusUtcAt,
  isLeapSecond,
  gpsToUtc,
  gpsToUtcString,
  utcToGps,
} from './gps-time.js';
export { dumpGwf, formatGwfDump } from './dump.js';
export type { DumpGwfOptions, GwfDump, GwfDumpChannel } from './dump.js';
