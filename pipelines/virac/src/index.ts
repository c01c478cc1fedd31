/**
 * VIRAC2 light-curve extraction: HDF5 time-series tiles to one CSV per
 * source, resumable and shardable, with plots and a synthetic tile writer.
 *
 * @packageDocumentation
 */
export { ViracLayout, VIRAC_BANDS, KS_BAND, OTHER_BAND, CSV_HEADER, EXTRACTION_COLUMNS } from './layout.js';
export type { ViracBand } from './layout.js';
export { ViracTileError } from './errors.js';
export { formatFixed } from './printf.js';
export { ByteWriter } from './csv-bytes.js';
export {
  bandIndex,
  prepareEpochText,
  formatLightCurve,
  writeLightCurve,
  countKsDetections,
  LightCurveScratch,
} from './light-curve.js';
export type { TileEpochs, SourceBatch, EpochText } from './light-curve.js';
export { openViracTile, withViracTile, readViracTile, iterateViracSources, tileIdOf } from './read-tile.js';
export type { ViracTile, ViracTileData, OpenViracTileOptions } from './read-tile.js';
export { csvPath, csvSubdir, csvTempPath } from './output-path.js';
export type { OutputLayout } from './output-path.js';
export { extractTile, TileAbortedError } from './extract-tile.js';
export type { ExtractTileOptions, TileResult, Durability } from './extract-tile.js';
export {
  extractLightCurves,
  listTiles,
  selectShard,
  parseShard,
  shardFromEnvironment,
} from './extract.js';
export type { ExtractLightCurvesOptions, ExtractProgress, ExtractSummary, Shard } from './extract.js';
export { readExtractionStatus } from './monitor.js';
export type { ExtractionStatus } from './monitor.js';
export { plotLightCurve, parseLightCurveCsv } from './plot.js';
export type { LightCurveRow, PlotLightCurveOptions } from './plot.js';
export { writeSyntheticViracTile } from './write-tile.js';
export type { SyntheticTileOptions, SyntheticTileSummary } from './write-tile.js';
