import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';

/** `YYYYMMDD_HHMMSS` in UTC, for log file names. */
export function timestampForFile(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}

/** A pino logger writing JSON lines to `file` (sync, so nothing is lost on exit) and optionally to stderr. */
export function createLogger(file: string, alsoStderr: boolean): pino.Logger {
  mkdirSync(path.dirname(file), { recursive: true });
  const streams: pino.StreamEntry[] = [{ stream: pino.destination({ dest: file, sync: true }) }];
  if (alsoStderr) streams.push({ stream: pino.destination({ dest: 2, sync: true }) });
  return pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
}

/** Human duration: 1h02m, 3m05s, 12s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/**
 * Parse the command line of a program built with `.exitOverride()`: returns
 * undefined to go on, 0 after --help/--version, 2 on bad usage (commander
 * has printed the message).
 */
export function parseCommandLine(program: Command): number | undefined {
  try {
    program.parse(process.argv);
    return undefined;
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
}
