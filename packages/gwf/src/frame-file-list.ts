import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { GwfFormatError } from './errors.js';

/** One frame file of a list: where it is and the GPS span it covers. */
export interface FrameFileEntry {
  /** Path of the file (as written in the list, resolved against `baseDir` when relative). */
  path: string;
  /** GPS start, seconds. */
  gpsStart: number;
  /** Length, seconds. */
  durationSeconds: number;
  /** LAL cache: observatory and description fields ('' for FFL). */
  observatory: string;
  /** LAL cache description (frame type). */
  description: string;
}

/** Options of {@link parseFrameFileList}. */
export interface ParseFrameFileListOptions {
  /** 'ffl' (Virgo: `path gpsStart duration x y`), 'lal-cache' (`OBS DESC START DUR URL`) or 'auto' (default). */
  format?: 'ffl' | 'lal-cache' | 'auto';
  /** Directory to resolve relative paths against (default: leave as is). */
  baseDir?: string;
  /** Name of the list, for error messages. */
  source?: string;
}

function urlToPath(u: string): string {
  if (u.startsWith('file://')) {
    // file://localhost/abs/path and file:///abs/path
    const rest = u.slice('file://'.length);
    const p = rest.startsWith('localhost/') ? rest.slice('localhost'.length) : rest;
    return fileURLToPath(`file://${p.startsWith('/') ? '' : '/'}${p}`);
  }
  return u;
}

/**
 * Parse a Virgo FFL file or a LAL cache into entries, in the order listed.
 * Blank lines and `#` comments are skipped; a malformed line throws
 * `GWF_BAD_LIST` naming the list and the line number.
 */
export function parseFrameFileList(text: string, options: ParseFrameFileListOptions = {}): FrameFileEntry[] {
  const out: FrameFileEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const t = line.split(/\s+/);
    let format = options.format ?? 'auto';
    if (format === 'auto') {
      const looksCache = t.length >= 5 && /^\d+(\.\d+)?$/.test(t[2]) && /^\d+(\.\d+)?$/.test(t[3]) && !/^-?\d/.test(t[0]);
      format = looksCache && (t[4].includes('/') || t[4].startsWith('file:')) ? 'lal-cache' : 'ffl';
    }
    const fail = (why: string): GwfFormatError =>
      new GwfFormatError(`line ${i + 1} ("${line.slice(0, 80)}"): ${why}`, {
        code: 'GWF_BAD_LIST',
        file: options.source,
        row: i + 1,
      });
    let entry: FrameFileEntry;
    if (format === 'lal-cache') {
      if (t.length < 5) throw fail('a LAL cache line needs 5 fields: OBS DESC GPSSTART DURATION URL');
      entry = {
        path: urlToPath(t[4]),
        gpsStart: Number(t[2]),
        durationSeconds: Number(t[3]),
        observatory: t[0],
        description: t[1],
      };
    } else {
      if (t.length < 3) throw fail('an FFL line needs at least 3 fields: PATH GPSSTART DURATION');
      entry = { path: t[0], gpsStart: Number(t[1]), durationSeconds: Number(t[2]), observatory: '', description: '' };
    }
    if (!Number.isFinite(entry.gpsStart) || !Number.isFinite(entry.durationSeconds) || entry.durationSeconds < 0) {
      throw fail('GPS start and duration must be numbers (duration >= 0)');
    }
    if (options.baseDir && !nodePath.isAbsolute(entry.path)) entry.path = nodePath.resolve(options.baseDir, entry.path);
    out.push(entry);
  }
  return out;
}

/** Read and parse an FFL file or LAL cache; relative paths resolve against its directory. */
export async function readFrameFileList(
  listPath: string,
  options: Omit<ParseFrameFileListOptions, 'source'> = {},
): Promise<FrameFileEntry[]> {
  let text: string;
  try {
    text = await fsp.readFile(listPath, 'utf8');
  } catch (error) {
    throw new GwfFormatError(`cannot read frame file list (${(error as Error).message})`, {
      code: 'GWF_IO',
      file: listPath,
      cause: error,
    });
  }
  return parseFrameFileList(text, { baseDir: nodePath.dirname(listPath), ...options, source: listPath });
}

/**
 * The entries overlapping `[gpsStart, gpsEnd)` (seconds), sorted by start
 * time (a file ending exactly at gpsStart is not included).
 */
export function selectFrameFiles(entries: readonly FrameFileEntry[], gpsStart: number, gpsEnd: number): FrameFileEntry[] {
  return entries
    .filter((e) => e.gpsStart < gpsEnd && e.gpsStart + e.durationSeconds > gpsStart)
    .sort((a, b) => a.gpsStart - b.gpsStart);
}

/** Format entries as FFL lines (`path gpsStart duration 0 0`). */
export function formatFfl(entries: readonly Pick<FrameFileEntry, 'path' | 'gpsStart' | 'durationSeconds'>[]): string {
  return entries.map((e) => `${e.path} ${e.gpsStart} ${e.durationSeconds} 0 0\n`).join('');
}
