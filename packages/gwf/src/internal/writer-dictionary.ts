/**
 * The structures this writer emits: its class ids and the FrSE field
 * descriptions written into every file's dictionary.
 */

// Class ids of this writer. Readers must take them from the dictionary; they
// deliberately differ from FrameL's and FrameCPP's numbering.
export const CLASS = {
  FrameH: 3,
  FrAdcData: 4,
  FrEndOfFrame: 6,
  FrProcData: 8,
  FrRawData: 9,
  FrSimData: 10,
  FrTOC: 11,
  FrVect: 12,
  FrEndOfFile: 13,
} as const;

export type ClassName = keyof typeof CLASS;
export const NULL_REF: [number, number] = [0, 0];

export const DICTIONARY: Record<ClassName, [string, string, string][]> = {
  FrameH: [
    ['name', 'STRING', ''], ['run', 'INT_4S', ''], ['frame', 'INT_4U', ''], ['dataQuality', 'INT_4U', ''],
    ['GTimeS', 'INT_4U', ''], ['GTimeN', 'INT_4U', ''], ['ULeapS', 'INT_2U', ''], ['dt', 'REAL_8', ''],
    ['type', 'PTR_STRUCT(FrVect *)', ''], ['user', 'PTR_STRUCT(FrVect *)', ''],
    ['detectSim', 'PTR_STRUCT(FrDetector *)', ''], ['detectProc', 'PTR_STRUCT(FrDetector *)', ''],
    ['history', 'PTR_STRUCT(FrHistory *)', ''], ['rawData', 'PTR_STRUCT(FrRawData *)', ''],
    ['procData', 'PTR_STRUCT(FrProcData *)', ''], ['simData', 'PTR_STRUCT(FrSimData *)', ''],
    ['event', 'PTR_STRUCT(FrEvent *)', ''], ['simEvent', 'PTR_STRUCT(FrSimEvent *)', ''],
    ['summaryData', 'PTR_STRUCT(FrSummary *)', ''], ['auxData', 'PTR_STRUCT(FrVect *)', ''],
    ['auxTable', 'PTR_STRUCT(FrTable *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrAdcData: [
    ['name', 'STRING', ''], ['comment', 'STRING', ''], ['channelGroup', 'INT_4U', ''], ['channelNumber', 'INT_4U', ''],
    ['nBits', 'INT_4U', ''], ['bias', 'REAL_4', ''], ['slope', 'REAL_4', ''], ['units', 'STRING', ''],
    ['sampleRate', 'REAL_8', ''], ['timeOffset', 'REAL_8', ''], ['fShift', 'REAL_8', ''], ['phase', 'REAL_4', ''],
    ['dataValid', 'INT_2U', ''], ['data', 'PTR_STRUCT(FrVect *)', ''], ['aux', 'PTR_STRUCT(FrVect *)', ''],
    ['next', 'PTR_STRUCT(FrAdcData *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrEndOfFrame: [['run', 'INT_4S', ''], ['frame', 'INT_4U', ''], ['GTimeS', 'INT_4U', ''], ['GTimeN', 'INT_4U', ''], ['chkSum', 'INT_4U', '']],
  FrProcData: [
    ['name', 'STRING', ''], ['comment', 'STRING', ''], ['type', 'INT_2U', ''], ['subType', 'INT_2U', ''],
    ['timeOffset', 'REAL_8', ''], ['tRange', 'REAL_8', ''], ['fShift', 'REAL_8', ''], ['phase', 'REAL_4', ''],
    ['fRange', 'REAL_8', ''], ['BW', 'REAL_8', ''], ['nAuxParam', 'INT_2U', ''], ['auxParam', 'REAL_8[nAuxParam]', ''],
    ['auxParamNames', 'STRING[nAuxParam]', ''], ['data', 'PTR_STRUCT(FrVect *)', ''], ['aux', 'PTR_STRUCT(FrVect *)', ''],
    ['table', 'PTR_STRUCT(FrTable *)', ''], ['history', 'PTR_STRUCT(FrHistory *)', ''],
    ['next', 'PTR_STRUCT(FrProcData *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrRawData: [
    ['name', 'STRING', ''], ['firstSer', 'PTR_STRUCT(FrSerData *)', ''], ['firstAdc', 'PTR_STRUCT(FrAdcData *)', ''],
    ['firstTable', 'PTR_STRUCT(FrTable *)', ''], ['logMsg', 'PTR_STRUCT(FrMsg *)', ''], ['more', 'PTR_STRUCT(FrVect *)', ''],
    ['chkSum', 'INT_4U', ''],
  ],
  FrSimData: [
    ['name', 'STRING', ''], ['comment', 'STRING', ''], ['sampleRate', 'REAL_8', ''], ['timeOffset', 'REAL_8', ''],
    ['fShift', 'REAL_8', ''], ['phase', 'REAL_4', ''], ['data', 'PTR_STRUCT(FrVect *)', ''], ['input', 'PTR_STRUCT(FrVect *)', ''],
    ['table', 'PTR_STRUCT(FrTable *)', ''], ['next', 'PTR_STRUCT(FrSimData *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrTOC: [['ULeapS', 'INT_2S', ''], ['nFrame', 'INT_4U', ''], ['chkSum', 'INT_4U', '']],
  FrVect: [
    ['name', 'STRING', ''], ['compress', 'INT_2U', ''], ['type', 'INT_2U', ''], ['nData', 'INT_8U', ''],
    ['nBytes', 'INT_8U', ''], ['data', 'CHAR[nBytes]', ''], ['nDim', 'INT_4U', ''], ['nx', 'INT_8U[nDim]', ''],
    ['dx', 'REAL_8[nDim]', ''], ['startX', 'REAL_8[nDim]', ''], ['unitX', 'STRING[nDim]', ''], ['unitY', 'STRING', ''],
    ['next', 'PTR_STRUCT(FrVect *)', ''], ['chkSum', 'INT_4U', ''],
  ],
  FrEndOfFile: [
    ['nFrames', 'INT_4U', ''], ['nBytes', 'INT_8U', ''], ['seekTOC', 'INT_8U', ''], ['chkSumFrHeader', 'INT_4U', ''],
    ['chkSum', 'INT_4U', ''], ['chkSumFile', 'INT_4U', ''],
  ],
};

/** Class name of a channel kind. */
export function kindClass(kind: 'adc' | 'proc' | 'sim'): 'FrAdcData' | 'FrProcData' | 'FrSimData' {
  return kind === 'adc' ? 'FrAdcData' : kind === 'proc' ? 'FrProcData' : 'FrSimData';
}
