import type { GwfSamples, GwfTypeName } from './format.js';

/** The 40-byte file header. */
export interface GwfFileHeader {
  /** Frame format version (4, 6 or 8). */
  formatVersion: number;
  /** Minor version of the writing library. */
  libraryMinorVersion: number;
  /** Byte order of the file, from the 0x1234 probe. */
  littleEndian: boolean;
  /** sizeof INT_2, INT_4, INT_8, REAL_4, REAL_8 as written. */
  sizes: { int2: number; int4: number; int8: number; real4: number; real8: number };
  /** Header byte 38: v8 frame library (1 = FrameL, 2 = FrameCPP); 'A' in older FrameL files. */
  byte38: number;
  /** Header byte 39: v8 checksum type (1 = CRC); 'Z' in older FrameL files. */
  byte39: number;
}

/** Kind of a channel structure. */
export type GwfChannelKind = 'adc' | 'proc' | 'sim' | 'ser';

/** One frame (FrameH, with the TOC's view of it). */
export interface GwfFrameInfo {
  /** Zero-based index of the frame in its file. */
  index: number;
  /** FrameH.name (the project or frame name). */
  name: string;
  /** Run number (negative for simulated data). */
  run: number;
  /** Frame number within the run. */
  frame: number;
  /** Data quality word. */
  dataQuality: number;
  /** GPS seconds of the frame start (GTimeS). */
  gpsSeconds: number;
  /** Nanoseconds part of the frame start (GTimeN). */
  gpsNanoseconds: number;
  /** Frame start in GPS nanoseconds (exact). */
  t0Gps: bigint;
  /** Leap seconds TAI - UTC at the frame (ULeapS). */
  leapSeconds: number;
  /** Frame length in seconds (dt). */
  durationSeconds: number;
  /** File offset of the FrameH structure. */
  offset: number;
}

/** A reference from one structure to another (class 0 = none). */
export interface GwfStructRef {
  /** Class id in this file's dictionary (0 = null reference). */
  classId: number;
  /** Instance number of the referenced structure. */
  instance: number;
}

/** FrVect metadata (everything but the samples). */
export interface GwfVectorInfo {
  /** Vector name (usually the channel name). */
  name: string;
  /** FrVect.compress as stored (bit 0x100: written little-endian). */
  compress: number;
  /** FrVect.type code. */
  type: number;
  /** Specification name of the type. */
  typeName: GwfTypeName | 'UNKNOWN';
  /** numpy-style dtype of the decoded samples. */
  dtype: string;
  /** Number of samples. */
  nData: number;
  /** Stored (compressed) bytes. */
  nBytes: number;
  /** Number of dimensions. */
  nDim: number;
  /** Samples per dimension. */
  nx: number[];
  /** Sample spacing per dimension (seconds for time series). */
  dx: number[];
  /** Origin per dimension. */
  startX: number[];
  /** Unit per dimension. */
  unitX: string[];
  /** Unit of the samples. */
  unitY: string;
  /** Instance number of this FrVect. */
  instance: number;
  /** Next vector attached (class 0 = none). */
  next: GwfStructRef;
  /** File offset of the FrVect structure. */
  offset: number;
  /** File offset of the stored data bytes. */
  dataOffset: number;
}

/** A channel structure (FrAdcData, FrProcData, FrSimData or FrSerData) as stored. */
export interface GwfChannelRecord {
  /** Structure kind. */
  kind: GwfChannelKind;
  /** Channel name. */
  name: string;
  /** Comment ('' when none). */
  comment: string;
  /** Samples per second (for proc data FrameL's 1/dx[0] of the data vector). */
  sampleRate: number;
  /** Offset of the first sample from the frame start, seconds. */
  timeOffset: number;
  /** Frequency shift (heterodyning), Hz. */
  fShift: number;
  /** Phase of the heterodyning, radians. */
  phase: number;
  /** ADC: channel group. */
  channelGroup?: number;
  /** ADC: channel number. */
  channelNumber?: number;
  /** ADC: bits of the digitiser. */
  nBits?: number;
  /** ADC: calibration offset: physical value = bias + slope × counts (see `ReadChannelsOptions.applyCalibration`). */
  bias?: number;
  /** ADC: calibration factor. */
  slope?: number;
  /** ADC: units of the calibrated value. */
  units?: string;
  /** ADC: data valid flag (0 = valid). */
  dataValid?: number;
  /** Proc: type (0 unknown, 1 time series, 2 frequency series, ...). */
  procType?: number;
  /** Proc: sub type. */
  subType?: number;
  /** Proc: time range, seconds. */
  tRange?: number;
  /** Proc: frequency range, Hz. */
  fRange?: number;
  /** Proc: bandwidth, Hz. */
  BW?: number;
  /** Proc: auxiliary parameters. */
  auxParam?: number[];
  /** Proc: names of the auxiliary parameters. */
  auxParamNames?: string[];
  /** Ser: GPS seconds of the serial data. */
  timeSec?: number;
  /** Ser: nanoseconds of the serial data. */
  timeNsec?: number;
  /** Ser: the serial data string. */
  serData?: string;
  /** Reference to the data FrVect. */
  dataRef: GwfStructRef;
  /** Instance number of this structure. */
  instance: number;
  /** File offset of this structure. */
  offset: number;
}

/** One entry of the table of contents' channel lists. */
export interface GwfTocChannel {
  /** Channel name. */
  name: string;
  /** Structure kind ('summary' for FrSummary entries). */
  kind: GwfChannelKind | 'summary';
  /** ADC channel id (adc only). */
  channelID?: number;
  /** ADC group id (adc only). */
  groupID?: number;
  /** File offset of the channel structure in each frame (0 = absent in that frame). */
  positions: number[];
}

/** The FrTOC structure. */
export interface GwfToc {
  /** Leap seconds. */
  leapSeconds: number;
  /** Per frame: GTimeS, GTimeN, dt, run, frame, dataQuality and offsets. */
  frames: {
    GTimeS: number;
    GTimeN: number;
    dt: number;
    run: number;
    frame: number;
    dataQuality: number;
    positionH: number;
    nFirstADC: number;
    nFirstSer: number;
    nFirstTable: number;
    nFirstMsg: number;
  }[];
  /** Dictionary: class id and structure name. */
  SH: { id: number; name: string }[];
  /** Channels by kind. */
  adc: GwfTocChannel[];
  /** Processed channels. */
  proc: GwfTocChannel[];
  /** Simulated channels. */
  sim: GwfTocChannel[];
  /** Serial channels. */
  ser: GwfTocChannel[];
  /** Summary structures. */
  summary: GwfTocChannel[];
  /** File offset of the FrTOC. */
  position: number;
}

/** Summary of one channel without decoding its samples. */
export interface GwfChannelSummary {
  /** Channel name. */
  name: string;
  /** Structure kind. */
  kind: GwfChannelKind;
  /** Samples per second. */
  sampleRate: number;
  /** numpy-style dtype. */
  dtype: string;
  /** Specification type name. */
  typeName: string;
  /** Compression code as stored. */
  compress: number;
  /** Samples per frame (first frame). */
  nData: number;
  /** Unit of the samples. */
  unit: string;
}

/** The FrEndOfFile structure. */
export interface GwfEndOfFile {
  /** Number of frames in the file. */
  nFrames: number;
  /** File size the writer recorded. */
  nBytes: number;
  /** Bytes from the start of FrTOC to the end of the file (0: no TOC). */
  seekTOC: number;
  /** Checksum type (0 none, 1 CRC). */
  chkType: number;
  /** Stored file checksum (POSIX cksum CRC). */
  chkSum: number;
  /** v8: checksum of the 40-byte file header. */
  chkSumFrHeader?: number;
  /** Where the stored file checksum sits, in bytes from the end of the file. */
  chkSumFromEnd: number;
}

/** FrDetector: where and how a detector is placed (v6/v8 layout). */
export interface GwfDetector {
  /** Detector name, e.g. `LHO_4k`. */
  name: string;
  /** Two-character channel prefix, e.g. `H1`. */
  prefix: string;
  /** Longitude of the vertex, radians (east positive). */
  longitude: number;
  /** Latitude of the vertex, radians (north positive). */
  latitude: number;
  /** Elevation of the vertex, metres. */
  elevation: number;
  /** Azimuth of the X arm, radians clockwise from north. */
  armXazimuth: number;
  /** Azimuth of the Y arm, radians clockwise from north. */
  armYazimuth: number;
  /** Altitude of the X arm, radians. */
  armXaltitude: number;
  /** Altitude of the Y arm, radians. */
  armYaltitude: number;
  /** Distance from the vertex to the middle of the X arm, metres. */
  armXmidpoint: number;
  /** Distance from the vertex to the middle of the Y arm, metres. */
  armYmidpoint: number;
  /** Local time offset from UTC, seconds. */
  localTime: number;
}

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
