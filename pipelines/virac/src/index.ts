/**
 * VIRAC2 light-curve extraction: HDF5 time-series tiles to one CSV per
 * source, resumable and shardable, with plots and a synthetic tile writer.
 *
 * @packageDocumentation
 */

// The tile layout and the CSV
export { ViracLayout, VIRAC_BANDS, CSV_HEADER } from './layout.js';
export type { ViracBand } from './layout.js';
export { bandIndex } from './light-curve.js';
export type { TileEpochs, SourceBatch } from './light-curve.js';

// Reading tiles
export { openViracTile, withViracTile, readViracTile, iterateViracSources, tileIdOf } from './read-tile.js';
export type { ViracTile, ViracTileData, OpenViracTileOptions } from './read-tile.js';

// Extraction
export { extractLightCurves, listTiles } from './extract.js';
export type { ExtractLightCurvesOptions, ExtractProgress, ExtractSummary } from './extract.js';
export { extractTile, TileAbortedError } from './extract-tile.js';
export type { ExtractTileOptions, TileResult, Durability } from './extract-tile.js';
export { csvPath, csvSubdir } from './output-path.js';
export type { OutputLayout } from './output-path.js';
export { parseShard, selectShard, shardFromEnvironment } from './shard.js';
export type { Shard } from './shard.js';
export { readExtractionStatus } from './monitor.js';
export type { ExtractionStatus } from './monitor.js';

// Plots
export { plotLightCurve, parseLightCurveCsv } from './plot.js';
export type { LightCurveRow, PlotLightCurveOptions } from './plot.js';

// Synthetic tiles
export { writeSyntheticViracTile } from './write-tile.js';
export type { SyntheticTileOptions, SyntheticTileSummary } from './write-tile.js';

// Errors
export { ViracErrorCode, ViracTileError } from './errors.js';
