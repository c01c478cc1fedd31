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
  /** Tiles being processed now (live claims). */
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
  const completed = Object.entries(snap.completed);
  const times = completed
    .map(([, s]) => Date.parse(String((s as { timestamp?: string }).timestamp)))
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
  for (const [, s] of completed) {
    sources += Number((s as { n_sources?: number }).n_sources ?? 0);
    validSources += Number((s as { n_valid?: number }).n_valid ?? 0);
  }
  const totalTiles = Number(snap.progress?.total_tiles ?? 0) || completed.length + Object.keys(snap.failed).length;
  const failedTiles = Object.keys(snap.failed).length;
  const remaining = Math.max(0, totalTiles - completed.length - failedTiles);
  return {
    totalTiles,
    completedTiles: completed.length,
    failedTiles,
    inProgress: Object.entries(snap.claims).map(([tile, c]) => ({
      tile,
      owner: String((c as { owner?: string }).owner ?? '?'),
      since: String((c as { since?: string }).since ?? ''),
    })),
    sources,
    validSources,
    tilesPerHour,
    etaSeconds: tilesPerHour ? (remaining / tilesPerHour) * 3600 : undefined,
    percentComplete: totalTiles > 0 ? (100 * (completed.length + failedTiles)) / totalTiles : 0,
    failures: Object.entries(snap.failed).map(([tile, f]) => ({
      tile,
      error: String((f as { error?: string }).error ?? ''),
      timestamp: String((f as { timestamp?: string }).timestamp ?? ''),
    })),
    lastUpdate: snap.progress?.last_update as string | undefined,
  };
}
