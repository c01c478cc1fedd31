// pino loggers writing UTC ISO timestamps, one synchronous write per line
// (a SIGKILL loses at most the line being written).
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';

/**
 * A logger appending JSON lines to `file` (created with its directory).
 * @param {string} file
 * @param {string} level
 * @param {Record<string, unknown>} [bindings]
 * @returns {import('pino').Logger}
 */
export function createFileLogger(file, level, bindings = {}) {
  mkdirSync(path.dirname(file), { recursive: true });
  const dest = pino.destination({ dest: file, sync: true, append: true, mkdir: true });
  return pino({ level, base: { pid: process.pid, ...bindings }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

/** @type {import('pino').Logger} */
export const silentLogger = pino({ level: 'silent' });
