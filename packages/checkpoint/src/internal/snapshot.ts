import type { CheckpointProgress, CheckpointSnapshot, ClaimRecord, CompletedRecord, FailureRecord } from '../types.js';
import type { State, StoredClaim } from './files.js';

/** Default progress.json sums (the VIRAC layout): progress key -> stat key. */
export const DEFAULT_PROGRESS_SUMS: Readonly<Record<string, string>> = Object.freeze({
  total_sources: 'n_sources',
  valid_sources: 'n_valid',
});

/** A timestamp read from a file as ISO 8601: numbers (older tools) are epoch seconds, or ms when >= 1e11. */
function isoTimestamp(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value < 1e11 ? value * 1000 : value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return '';
}

function computeProgress(state: State, sums: Readonly<Record<string, string>>): CheckpointProgress {
  const totals: Record<string, number> = {};
  for (const key of Object.keys(sums)) totals[key] = 0;
  for (const record of state.completed.values()) {
    for (const [key, stat] of Object.entries(sums)) {
      const value = record[stat];
      if (typeof value === 'number' && Number.isFinite(value)) totals[key] += value;
    }
  }
  const completed = state.completed.size;
  const failed = state.failed.size;
  const processed = completed + failed;
  return {
    total: state.total,
    processed,
    completed,
    failed,
    sums: totals,
    lastUpdate: state.lastUpdate,
    percentComplete: state.total > 0 ? Math.round((processed / state.total) * 10000) / 100 : 0,
  };
}

/** progress.json text in the seed's key order; keys written by other tools follow. */
export function serializeProgress(state: State, noun: string, sums: Readonly<Record<string, string>>): string {
  const progress = computeProgress(state, sums);
  const out: Record<string, unknown> = {
    [`total_${noun}`]: progress.total,
    [`processed_${noun}`]: progress.processed,
    ...progress.sums,
    last_update: state.lastUpdate,
    percent_complete: progress.percentComplete,
  };
  for (const [key, value] of Object.entries(state.progressExtra)) if (!(key in out)) out[key] = value;
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function toSnapshot(
  state: State,
  sums: Readonly<Record<string, string>>,
  alive: (claim: StoredClaim) => boolean,
): CheckpointSnapshot {
  const completed = new Map<string, CompletedRecord>();
  for (const [id, record] of state.completed) {
    const stats: Record<string, number> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'timestamp' && typeof value === 'number') stats[key] = value;
    }
    completed.set(id, { stats, timestamp: isoTimestamp(record.timestamp) });
  }
  const failed = new Map<string, FailureRecord>();
  for (const [id, record] of state.failed) {
    failed.set(id, {
      error: typeof record.error === 'string' ? record.error : JSON.stringify(record.error ?? null),
      timestamp: isoTimestamp(record.timestamp),
    });
  }
  const claims = new Map<string, ClaimRecord>();
  for (const [id, c] of state.claims) {
    claims.set(id, { owner: c.owner, host: c.host, pid: c.pid, since: c.since, heartbeat: c.heartbeat, alive: alive(c) });
  }
  return { completed, failed, claims, progress: computeProgress(state, sums) };
}
