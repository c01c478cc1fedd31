/**
 * pino loggers writing UTC ISO timestamps, one synchronous write per line
 * (a SIGKILL loses at most the line being written).
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';

/** The logger of the converter (pino's). */
export type SatLogger = Logger;

/**
 * A logger appending JSON lines to `file` (created with its directory).
 *
 * @param file - Log file, e.g. `<day>/worker.log`.
 * @param level - pino level (`info`, `debug`, ...).
 * @param bindings - Fields of every line (besides `pid`).
 */
export function createFileLogger(file: string, level: string, bindings: Record<string, unknown> = {}): SatLogger {
  mkdirSync(path.dirname(file), { recursive: true });
  const dest = pino.destination({ dest: file, sync: true, append: true, mkdir: true });
  return pino({ level, base: { pid: process.pid, ...bindings }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

/** A pino logger that writes nothing (core's `silentLogger` is a core `Logger`, not a pino one). */
export const silentPinoLogger: SatLogger = pino({ level: 'silent' });
