/**
 * The SAT dataset converter: Virgo frame files (GWF) listed in an FFL or LAL
 * cache → one HDF5 file per day per channel set, with coverage, channel
 * lists, a summary and a resumable state; a launcher for date ranges.
 * CLIs: `sat-worker`, `sat-launcher`, `sat-plot`, `sat-demo`.
 *
 * @packageDocumentation
 */

// Configuration
export { LAUNCHER_CONFIG_KEYS, LOG_LEVELS, WORKER_CONFIG_KEYS, launcherSchema, launcherWorkerSchema, loadLauncherConfig, loadWorkerConfig, parseUtc, readChannelList, readToml, workerSchema } from './config.js';
export type { ConfigInput, LauncherConfig, LauncherWorkerConfig, WorkerConfig } from './config.js';

// The day step
export { convertDay } from './convert-day.js';
export type { ConvertDayFaults, ConvertDayOptions, FaultPoint } from './convert-day.js';
export { dayWindow } from './day-window.js';
export type { DayWindow } from './day-window.js';
export { STATE_FILE, dayFolderName, dayPaths, resolveDayPaths } from './day-layout.js';
export type { DayLayout, DayPaths } from './day-layout.js';
export { STATE_VERSION, readDayState } from './day-state.js';
export type { ChannelState, ChannelStats, DayState, PrunedChannel, StateFrameFile } from './day-state.js';
export { CREATOR, chunkLength, datasetPath } from './day-file.js';
export { resolveFfl } from './discovery.js';

// Reports
export { coverageOf, summaryOf } from './coverage.js';
export type { ChannelCoverage, DayCoverage, DaySummary } from './coverage.js';
export { coverageGrid, plotCoverage, writeCoveragePlot } from './plot.js';
export type { CoverageCell, CoverageGrid, CoverageGridOptions, PlotCoverageOptions } from './plot.js';

// Launcher
export { WORKER_BIN, launcherDays, runLauncher } from './launcher.js';
export type { DayStatus, IndexDay, LauncherDay, LauncherEvent, LauncherIndex, LauncherOptions } from './launcher.js';

// Logging
export { createFileLogger, silentPinoLogger } from './log.js';
export type { SatLogger } from './log.js';

// Synthetic frames (demo, tests, benchmarks)
export { syntheticValue, writeSyntheticFrames } from './synthetic.js';
export type { SyntheticChannel, SyntheticFile, SyntheticFramesOptions } from './synthetic.js';

// Errors
export { SatConfigError, SatErrorCode, SatWorkerError } from './errors.js';
export type { SatConfigErrorOptions, SatErrorOptions } from './errors.js';
