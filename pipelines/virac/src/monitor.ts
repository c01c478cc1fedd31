import * as path from 'node:path';
import { readCheckpoint } from '@astro/checkpoint';

/** A progress report built from the checkpoint files only (no CSV scan). */
export interface ExtractionStatus {
  /** Tiles in the job (as recorded by the extractor). */
  totalTiles: number;
  /** Complete tiles. */
  completedTiles: number;
  /** Failed tiles. */
  failedTiles: number;
  /** Tiles being processed now (claims of live holders). */
  inProgress: { tile: string; owner: string; since: string }[];
  /** Sources in complete tiles. */
  sources: number;
  /** Light curves in complete tiles. */
  validSources: number;
  /** Completion rate over the recent completions (tiles per hour), when known. */
  tilesPerHour: number | undefined;
  /** Estimated seconds to finish the remaining tiles, when known. */
  etaSeconds: number | undefined;
  /** Percentage of tiles processed (complete or failed). */
  percentComplete: number;
  /** Failures with their messages. */
  failures: { tile: string; error: string; timestamp: string }[];
  /** Time of the last checkpoint update. */
  lastUpdate: string | undefined;
}

/**
 * Read the status of an extraction from `<outputDir>/checkpoints` (never
 * scans the CSVs, never takes the lock). The rate is measured over the last
 * `window` completions.
 */
export async function readExtractionStatus(outputDir: string, window = 50): Promise<ExtractionStatus> {
  const snap = await readCheckpoint(path.join(outputDir, 'checkpoints'), { noun: 'tiles' });
  const completed = [...snap.completed.values()];
  const times = completed
    .map((r) => Date.parse(r.timestamp))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  let tilesPerHour: number | undefined;
  if (times.length >= 2) {
    const recent = times.slice(-window);
    const spanMs = recent[recent.length - 1] - recent[0];
    if (spanMs > 0) tilesPerHour = ((recent.length - 1) / spanMs) * 3_600_000;
  }
  let sources = 0;
  let validSources = 0;
  for (const r of completed) {
    sources += r.stats.n_sources ?? 0;
    validSources += r.stats.n_valid ?? 0;
  }
  const failedTiles = snap.failed.size;
  const totalTiles = snap.progress.total || completed.length + failedTiles;
  const remaining = Math.max(0, totalTiles - completed.length - failedTiles);
  return {
    totalTiles,
    completedTiles: completed.length,
    failedTiles,
    inProgress: [...snap.claims].filter(([, c]) => c.alive).map(([tile, c]) => ({ tile, owner: c.owner, since: c.since })),
    sources,
    validSources,
    tilesPerHour,
    etaSeconds: tilesPerHour ? (remaining / tilesPerHour) * 3600 : undefined,
    percentComplete: totalTiles > 0 ? (100 * (completed.length + failedTiles)) / totalTiles : 0,
    failures: [...snap.failed].map(([tile, f]) => ({ tile, error: f.error, timestamp: f.timestamp })),
    lastUpdate: snap.progress.lastUpdate,
  };
}
