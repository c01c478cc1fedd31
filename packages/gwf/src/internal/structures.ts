/**
 * Field layouts of the structures this package reads, per format version.
 * v6 and v8 share layouts (v8 adds a trailing chkSum, excluded from the
 * reader by the caller); v4 differs where noted (FrameL's FrBack4*Read).
 */
import { vectTypeOf } from '../format.js';
import type { GwfChannelRecord, GwfDetector, GwfEndOfFile, GwfToc, GwfTocChannel, GwfVectorInfo } from '../types.js';
import { StructReader, wholeView } from './struct-reader.js';

/** Common header of a structure. */
export interface StructHeader {
  /** Total length including this header (and the v8 chkSum). */
  length: number;
  /** v8 per-structure checksum type (0 otherwise). */
  chkType: number;
  classId: number;
  instance: number;
  /** Bytes of this header (14, or 8 in v4). */
  headerBytes: number;
}

export function headerBytesFor(version: number): number {
  return version >= 6 ? 14 : 8;
}

/** Parse a structure header from `b` (at least headerBytes long). */
export function parseStructHeader(b: Uint8Array, littleEndian: boolean, version: number, at = 0): StructHeader {
  const dv = wholeView(b.buffer);
  const o = b.byteOffset + at;
  if (version >= 6) {
    const lo = dv.getUint32(o + (littleEndian ? 0 : 4), littleEndian);
    const hi = dv.getUint32(o + (littleEndian ? 4 : 0), littleEndian);
    const length = hi * 4294967296 + lo;
    if (version >= 8) {
      return { length, chkType: dv.getUint8(o + 8), classId: dv.getUint8(o + 9), instance: dv.getUint32(o + 10, littleEndian), headerBytes: 14 };
    }
    return { length, chkType: 0, classId: dv.getUint16(o + 8, littleEndian), instance: dv.getUint32(o + 10, littleEndian), headerBytes: 14 };
  }
  return {
    length: dv.getUint32(o, littleEndian),
    chkType: 0,
    classId: dv.getUint16(o + 4, littleEndian),
    instance: dv.getUint16(o + 6, littleEndian),
    headerBytes: 8,
  };
}

export interface FrSH {
  name: string;
  classId: number;
  comment: string;
}
export function parseFrSH(r: StructReader): FrSH {
  return { name: r.string(), classId: r.u16(), comment: r.string() };
}

export interface FrameHRecord {
  name: string;
  run: number;
  frame: number;
  dataQuality: number;
  GTimeS: number;
  GTimeN: number;
  ULeapS: number;
  dt: number;
}
export function parseFrameH(r: StructReader): FrameHRecord {
  const name = r.string();
  const run = r.i32();
  const frame = r.u32();
  const dataQuality = r.u32();
  const GTimeS = r.u32();
  const GTimeN = r.u32();
  const ULeapS = r.u16();
  if (r.version < 6) r.i32(); // localTime
  const dt = r.f64();
  return { name, run, frame, dataQuality, GTimeS, GTimeN, ULeapS, dt };
}

type Base = GwfChannelRecord;

export function parseAdc(r: StructReader): Base {
  const name = r.string();
  const comment = r.string();
  const channelGroup = r.u32();
  const channelNumber = r.u32();
  const nBits = r.u32();
  const bias = r.f32();
  const slope = r.f32();
  const units = r.string();
  const sampleRate = r.f64();
  let timeOffset: number;
  let phase = 0;
  if (r.version >= 6) {
    timeOffset = r.f64();
  } else {
    const s = r.i32();
    const n = r.u32();
    timeOffset = s + 1e-9 * n;
  }
  const fShift = r.f64();
  if (r.version >= 6) phase = r.f32();
  const dataValid = r.u16();
  const dataRef = r.ref();
  return {
    instance: 0, offset: 0, kind: 'adc', name, comment, channelGroup, channelNumber, nBits, bias, slope, units,
    sampleRate, timeOffset, fShift, phase, dataValid, dataRef,
  };
}

export function parseProc(r: StructReader): Base {
  const name = r.string();
  const comment = r.string();
  if (r.version < 6) {
    const sampleRate = r.f64();
    const s = r.u32();
    const n = r.u32();
    const fShift = r.f64();
    const dataRef = r.ref();
    return { instance: 0, offset: 0, kind: 'proc', name, comment, sampleRate, timeOffset: s + 1e-9 * n, fShift, phase: 0, dataRef };
  }
  const procType = r.u16();
  const subType = r.u16();
  const timeOffset = r.f64();
  const tRange = r.f64();
  const fShift = r.f64();
  const phase = r.f32();
  const fRange = r.f64();
  const BW = r.f64();
  const nAux = r.count(r.u16(), 8);
  const auxParam = r.f64s(nAux);
  const auxParamNames = r.strings(nAux);
  const dataRef = r.ref();
  return {
    instance: 0, offset: 0, kind: 'proc', name, comment, sampleRate: 0, timeOffset, fShift, phase, procType, subType,
    tRange, fRange, BW, auxParam, auxParamNames, dataRef,
  };
}

export function parseSim(r: StructReader): Base {
  const name = r.string();
  const comment = r.string();
  if (r.version < 6) {
    const sampleRate = r.f32();
    const dataRef = r.ref();
    return { instance: 0, offset: 0, kind: 'sim', name, comment, sampleRate, timeOffset: 0, fShift: 0, phase: 0, dataRef };
  }
  const sampleRate = r.f64();
  const timeOffset = r.f64();
  const fShift = r.f64();
  const phase = r.f32();
  const dataRef = r.ref();
  return { instance: 0, offset: 0, kind: 'sim', name, comment, sampleRate, timeOffset, fShift, phase, dataRef };
}

export function parseSer(r: StructReader): Base {
  const name = r.string();
  const timeSec = r.u32();
  const timeNsec = r.u32();
  const sampleRate = r.f64();
  const serData = r.string();
  const dataRef = r.ref();
  return { instance: 0, offset: 0, kind: 'ser', name, comment: '', sampleRate, timeOffset: 0, fShift: 0, phase: 0, timeSec, timeNsec, serData, dataRef };
}

/** FrVect fields before the data. */
export interface VectHead {
  name: string;
  compress: number;
  type: number;
  nData: number;
  nBytes: number;
  /** Offset of the data relative to the start of the body. */
  dataStart: number;
}
export function parseVectHead(r: StructReader): VectHead {
  const name = r.string();
  const compress = r.u16();
  const type = r.u16();
  const nData = r.long();
  const nBytes = r.long();
  return { name, compress, type, nData, nBytes, dataStart: r.pos };
}

/** FrVect fields after the data (r positioned just after the data). */
export function parseVectTail(
  r: StructReader,
  head: VectHead,
  instance: number,
  offset: number,
  dataOffset: number,
): GwfVectorInfo {
  const nDim = r.count(r.u32(), 4);
  const nx: number[] = [];
  for (let i = 0; i < nDim; i++) nx.push(r.long());
  const dx = r.f64s(nDim);
  const startX = r.f64s(nDim);
  const unitX = r.strings(nDim);
  const unitY = r.string();
  const next = r.ref();
  const vt = vectTypeOf(head.type);
  return {
    name: head.name,
    compress: head.compress,
    type: head.type,
    typeName: vt ? vt.name : 'UNKNOWN',
    dtype: vt ? vt.dtype : 'unknown',
    nData: head.nData,
    nBytes: head.nBytes,
    nDim, nx, dx, startX, unitX, unitY,
    instance, next, offset, dataOffset,
  };
}

/** FrDetector (v6/v8). */
export function parseDetector(r: StructReader): GwfDetector {
  const name = r.string();
  const prefix = String.fromCharCode(...r.take(2)).replace(/\0+$/, '');
  return {
    name,
    prefix,
    longitude: r.f64(),
    latitude: r.f64(),
    elevation: r.f32(),
    armXazimuth: r.f32(),
    armYazimuth: r.f32(),
    armXaltitude: r.f32(),
    armYaltitude: r.f32(),
    armXmidpoint: r.f32(),
    armYmidpoint: r.f32(),
    localTime: r.i32(),
  };
}

export interface EndOfFrame {
  run: number;
  frame: number;
  /** v6: frame checksum type and value (0 when absent). */
  chkType: number;
  chkSum: number;
}
export function parseEndOfFrame(r: StructReader): EndOfFrame {
  const run = r.i32();
  const frame = r.u32();
  if (r.version >= 6 && r.version < 8) return { run, frame, chkType: r.u32(), chkSum: r.u32() };
  return { run, frame, chkType: 0, chkSum: 0 };
}

export type EndOfFile = GwfEndOfFile;
/** Total size of FrEndOfFile per version. */
export function endOfFileBytes(version: number): number {
  return version >= 8 ? 46 : version >= 6 ? 42 : 28;
}
export function parseEndOfFile(r: StructReader): EndOfFile {
  if (r.version >= 8) {
    const nFrames = r.u32();
    const nBytes = r.u64();
    const seekTOC = r.u64();
    const chkSumFrHeader = r.u32();
    r.u32(); // structure chkSum
    const chkSum = r.u32();
    return { nFrames, nBytes, seekTOC, chkType: 1, chkSum, chkSumFrHeader, chkSumFromEnd: 4 };
  }
  if (r.version >= 6) {
    const nFrames = r.u32();
    const nBytes = r.u64();
    const chkType = r.u32();
    const chkSum = r.u32();
    const seekTOC = r.u64();
    return { nFrames, nBytes, seekTOC, chkType, chkSum, chkSumFromEnd: 12 };
  }
  const nFrames = r.u32();
  const nBytes = r.u32();
  const chkType = r.u32();
  const chkSum = r.u32();
  const seekTOC = r.u32();
  return { nFrames, nBytes, seekTOC, chkType, chkSum, chkSumFromEnd: 8 };
}

function tocChannels(r: StructReader, kind: GwfTocChannel['kind'], nFrame: number, adc: boolean): GwfTocChannel[] {
  const raw = r.u32();
  // 0xffffffff: the writer did not index this kind (FrameL noTOCts, FrameCPP).
  const n = raw === 0xffffffff ? 0 : r.count(raw, 2);
  const names = r.strings(n);
  let ids: number[] = [];
  let groups: number[] = [];
  if (adc) {
    ids = r.u32s(n);
    groups = r.u32s(n);
  }
  r.count(n * nFrame, 8);
  const out: GwfTocChannel[] = [];
  for (let i = 0; i < n; i++) {
    const positions = r.u64s(nFrame);
    const c: GwfTocChannel = { name: names[i], kind, positions };
    if (adc) {
      c.channelID = ids[i];
      c.groupID = groups[i];
    }
    out.push(c);
  }
  return out;
}

/** Parse FrTOC (v6/v8 layout; v4 per FrameL's FrBack4TOCRead). */
export function parseToc(r: StructReader, position: number): GwfToc {
  const leapSeconds = r.i16();
  if (r.version < 6) r.i32(); // localTime
  const nFrame = r.count(r.u32(), 4 + 4 + 8 + 4 + 4 + 8 * 5);
  const dataQuality = r.version >= 6 ? r.u32s(nFrame) : new Array<number>(nFrame).fill(0);
  const GTimeS = r.u32s(nFrame);
  const GTimeN = r.u32s(nFrame);
  const dt = r.f64s(nFrame);
  const runs = r.i32s(nFrame);
  const frame = r.u32s(nFrame);
  const positionH = r.u64s(nFrame);
  const nFirstADC = r.u64s(nFrame);
  const nFirstSer = r.u64s(nFrame);
  const nFirstTable = r.u64s(nFrame);
  const nFirstMsg = r.u64s(nFrame);
  const nSH = r.count(r.u32(), 4);
  const shIds: number[] = [];
  for (let i = 0; i < nSH; i++) shIds.push(r.u16());
  const shNames = r.strings(nSH);
  if (r.version >= 6) {
    const nDet = r.count(r.u32(), 10);
    r.strings(nDet);
    r.u64s(nDet);
  }
  // Static data: v8 stores parallel arrays, older versions one block per type.
  const nStatType = r.count(r.u32(), 10);
  if (r.version >= 8) {
    r.strings(nStatType);
    r.strings(nStatType);
    r.u32s(nStatType);
    const nTotalStat = r.count(r.u32(), 20);
    r.u32s(nTotalStat);
    r.u32s(nTotalStat);
    r.u32s(nTotalStat);
    r.u64s(nTotalStat);
  } else {
    for (let i = 0; i < nStatType; i++) {
      r.string();
      r.string();
      const n = r.count(r.u32(), 20);
      r.u32s(n);
      r.u32s(n);
      r.u32s(n);
      r.u64s(n);
    }
  }
  const adc = tocChannels(r, 'adc', nFrame, true);
  const proc = tocChannels(r, 'proc', nFrame, false);
  const sim = tocChannels(r, 'sim', nFrame, false);
  const ser = tocChannels(r, 'ser', nFrame, false);
  const summary = tocChannels(r, 'summary', nFrame, false);
  // Events and simulated events follow; not needed here.
  return {
    leapSeconds,
    frames: GTimeS.map((s, i) => ({
      GTimeS: s,
      GTimeN: GTimeN[i],
      dt: dt[i],
      run: runs[i],
      frame: frame[i],
      dataQuality: dataQuality[i],
      positionH: positionH[i],
      nFirstADC: nFirstADC[i],
      nFirstSer: nFirstSer[i],
      nFirstTable: nFirstTable[i],
      nFirstMsg: nFirstMsg[i],
    })),
    SH: shIds.map((id, i) => ({ id, name: shNames[i] })),
    adc,
    proc,
    sim,
    ser,
    summary,
    position,
  };
}
