import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@astro/core';
import { CheckpointError } from '../errors.js';
import { asOwnerRecord } from './owner.js';
import type { OwnerRecord } from './owner.js';
import { errnoOf, ioError } from './util.js';

/** Paths of the files of a store. */
export interface StoreFiles {
  dir: string;
  completed: string;
  failed: string;
  progress: string;
  claims: string;
  lock: string;
}

export function storeFiles(dir: string, noun: string): StoreFiles {
  return {
    dir,
    completed: path.join(dir, `completed_${noun}.json`),
    failed: path.join(dir, `failed_${noun}.json`),
    progress: path.join(dir, 'progress.json'),
    claims: path.join(dir, 'claims.json'),
    lock: path.join(dir, '.checkpoint.lock'),
  };
}

/** A claim as stored in claims.json: its holder plus when it was taken and last refreshed (ISO). */
export interface StoredClaim extends OwnerRecord {
  since: string;
  heartbeat: string;
}

type Json = Record<string, unknown>;

/**
 * The whole store in memory. Records are kept as read (unknown fields
 * written by other tools survive a rewrite); ids keep file order.
 */
export interface State {
  completed: Map<string, Json>; // id -> stats record (n_sources, n_valid, timestamp, ...)
  completedExtra: Json; // unknown top-level keys of completed_<noun>.json
  orphanStats: Map<string, Json>; // stats of ids not in the completed list (kept, not counted)
  failed: Map<string, Json>; // id -> {error, timestamp, ...}
  failedExtra: Json;
  claims: Map<string, StoredClaim>;
  total: number;
  lastUpdate: string | undefined;
  progressExtra: Json;
}

/** Identity of a file version, to notice a concurrent replacement. */
export interface FileVersion {
  ino: number;
  mtimeMs: number;
  size: number;
}

export interface ReadResult {
  state: State;
  versions: Map<string, FileVersion | undefined>;
}

/** Read `file`, or undefined when it does not exist; returns the version read. */
async function readText(file: string): Promise<{ text: string; version: FileVersion } | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw ioError(file, 'cannot open', error);
  }
  try {
    const st = await handle.stat();
    const text = await handle.readFile('utf8');
    return { text, version: { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size } };
  } catch (error) {
    throw ioError(file, 'cannot read', error);
  } finally {
    await handle.close();
  }
}

export async function statVersion(file: string): Promise<FileVersion | undefined> {
  try {
    const st = await fsp.stat(file);
    return { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw ioError(file, 'cannot stat', error);
  }
}

export function sameVersion(a: FileVersion | undefined, b: FileVersion | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}

/** Parse JSON text; a syntax error becomes CHECKPOINT_CORRUPT with line, column and byte offset. */
export function parseJson(file: string, text: string, advice: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    let chars: number | undefined;
    const match = /position (\d+)/.exec(message);
    if (match) chars = Number(match[1]);
    else if (/end of JSON input/.test(message)) chars = text.length;
    let where = '';
    let offset: number | undefined;
    if (chars !== undefined) {
      const before = text.slice(0, chars);
      offset = Buffer.byteLength(before);
      const line = before.split('\n').length;
      const column = chars - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column} (byte ${offset})`;
    }
    const found = text.trim() === '' ? 'the file is empty' : `invalid JSON${where}: ${message}`;
    throw new CheckpointError(`checkpoint: ${file}: ${found} (${advice})`, {
      code: 'CHECKPOINT_CORRUPT',
      file,
      ...(offset === undefined ? {} : { offset }),
      cause: error,
    });
  }
}

function invalid(file: string, where: string, found: string, expected: string): CheckpointError {
  return new CheckpointError(`checkpoint: ${file}: ${where}: ${found} (expected ${expected})`, {
    code: 'CHECKPOINT_INVALID',
    file,
  });
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function topObject(file: string, value: unknown, expected: string): Json {
  if (!isObject(value)) throw invalid(file, 'top level', `found ${kind(value)}`, expected);
  return value;
}

function restOf(obj: Json, known: readonly string[]): Json {
  const rest: Json = {};
  for (const [key, value] of Object.entries(obj)) if (!known.includes(key)) rest[key] = value;
  return rest;
}

/** An item id read from a file: a string, or an integer written by an older tool. */
function idOf(file: string, where: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw invalid(file, where, `found ${kind(value)}`, 'a non-empty string id');
}

const KEEP_ADVICE =
  'it holds the only record of finished items, so it is never overwritten while unreadable: restore it from a backup or repair it by hand';

export function parseCompleted(file: string, text: string): Pick<State, 'completed' | 'completedExtra' | 'orphanStats'> {
  const expected = '{"completed": [ids], "stats": {id: {...}}}';
  const top = topObject(file, parseJson(file, text, KEEP_ADVICE), expected);
  const list = top.completed ?? [];
  if (!Array.isArray(list)) throw invalid(file, '"completed"', `found ${kind(list)}`, 'an array of ids');
  const statsIn = top.stats ?? {};
  if (!isObject(statsIn)) throw invalid(file, '"stats"', `found ${kind(statsIn)}`, 'an object id -> stats');
  const stats = new Map<string, Json>();
  for (const [id, record] of Object.entries(statsIn)) {
    if (!isObject(record)) throw invalid(file, `"stats"[${JSON.stringify(id)}]`, `found ${kind(record)}`, 'an object');
    stats.set(id, record);
  }
  const completed = new Map<string, Json>();
  list.forEach((value, i) => {
    const id = idOf(file, `"completed"[${i}]`, value);
    if (completed.has(id)) return;
    completed.set(id, stats.get(id) ?? {});
    stats.delete(id);
  });
  return { completed, completedExtra: restOf(top, ['completed', 'stats']), orphanStats: stats };
}

export function parseFailed(file: string, text: string): Pick<State, 'failed' | 'failedExtra'> {
  const top = topObject(file, parseJson(file, text, KEEP_ADVICE), '{"failed": {id: {"error": ..., "timestamp": ...}}}');
  const entries = top.failed ?? {};
  if (!isObject(entries)) throw invalid(file, '"failed"', `found ${kind(entries)}`, 'an object id -> {error, timestamp}');
  const failed = new Map<string, Json>();
  for (const [id, record] of Object.entries(entries)) {
    if (!isObject(record)) {
      throw invalid(file, `"failed"[${JSON.stringify(id)}]`, `found ${kind(record)}`, 'an object {error, timestamp}');
    }
    failed.set(id, record);
  }
  return { failed, failedExtra: restOf(top, ['failed']) };
}

/**
 * Parse claims.json. Claims are leases that live holders re-assert on every
 * operation and heartbeat, so a damaged file is not fatal: it reads as no
 * claims, with a warning.
 */
export function parseClaims(file: string, text: string, logger: Logger): Map<string, StoredClaim> {
  try {
    return parseClaimsStrict(file, text);
  } catch (error) {
    logger.warn(
      { file, error },
      `${(error as Error).message}; read as no claims (live holders write theirs again within a heartbeat)`,
    );
    return new Map();
  }
}

function parseClaimsStrict(file: string, text: string): Map<string, StoredClaim> {
  const top = topObject(file, parseJson(file, text, 'rebuilt'), '{"claims": {id: {owner, host, pid, token, since, heartbeat}}}');
  const entries = top.claims ?? {};
  if (!isObject(entries)) throw invalid(file, '"claims"', `found ${kind(entries)}`, 'an object id -> claim');
  const claims = new Map<string, StoredClaim>();
  for (const [id, c] of Object.entries(entries)) {
    const holder = asOwnerRecord(c);
    if (holder === undefined || !isObject(c) || typeof c.since !== 'string' || typeof c.heartbeat !== 'string') {
      throw invalid(file, `"claims"[${JSON.stringify(id)}]`, `found ${JSON.stringify(c)}`, '{owner, host, pid, token, since, heartbeat}');
    }
    claims.set(id, { ...holder, since: c.since, heartbeat: c.heartbeat });
  }
  return claims;
}

/**
 * Parse progress.json. It is derived data (recomputed from the other files on
 * every write), so a damaged one is not fatal: the total is lost until the
 * next `setTotal` and a warning is logged.
 */
export function parseProgress(
  file: string,
  text: string,
  noun: string,
  logger: Logger,
): Pick<State, 'total' | 'lastUpdate' | 'progressExtra'> {
  let top: Json;
  try {
    top = topObject(file, parseJson(file, text, 'recomputed'), '{"total_...": n, ...}');
  } catch (error) {
    logger.warn({ file, error }, `${(error as Error).message}; progress is recomputed from the other files, total unknown until setTotal`);
    return { total: 0, lastUpdate: undefined, progressExtra: {} };
  }
  const total = top[`total_${noun}`];
  const lastUpdate = top.last_update;
  return {
    total: typeof total === 'number' && Number.isFinite(total) && total >= 0 ? total : 0,
    lastUpdate: typeof lastUpdate === 'string' ? lastUpdate : undefined,
    progressExtra: top,
  };
}

/**
 * Last text and parse of the big record files, per file. A file whose text is
 * identical to the cached one is not parsed again (an exact comparison, so it
 * never returns stale data). Maps are copied on every use; records are never
 * mutated in place, only replaced.
 */
export class ParseCache {
  #completed: { text: string; value: ReturnType<typeof parseCompleted> } | undefined;
  #failed: { text: string; value: ReturnType<typeof parseFailed> } | undefined;

  completed(file: string, text: string): ReturnType<typeof parseCompleted> {
    if (this.#completed?.text !== text) this.#completed = { text, value: parseCompleted(file, text) };
    const { completed, completedExtra, orphanStats } = this.#completed.value;
    return { completed: new Map(completed), completedExtra, orphanStats: new Map(orphanStats) };
  }

  failed(file: string, text: string): ReturnType<typeof parseFailed> {
    if (this.#failed?.text !== text) this.#failed = { text, value: parseFailed(file, text) };
    const { failed, failedExtra } = this.#failed.value;
    return { failed: new Map(failed), failedExtra };
  }

  /** Remember what this process just wrote. */
  wroteCompleted(text: string, state: State): void {
    const { completed, completedExtra, orphanStats } = state;
    this.#completed = { text, value: { completed: new Map(completed), completedExtra, orphanStats: new Map(orphanStats) } };
  }

  wroteFailed(text: string, state: State): void {
    this.#failed = { text, value: { failed: new Map(state.failed), failedExtra: state.failedExtra } };
  }
}

/** Read and validate every file of the store (missing files are empty). */
export async function readState(
  files: StoreFiles,
  noun: string,
  logger: Logger,
  cache: ParseCache = new ParseCache(),
): Promise<ReadResult> {
  const versions = new Map<string, FileVersion | undefined>();
  // failed before completed: a concurrent retry that moves an item from failed
  // to completed then shows it twice (completed wins), never not at all.
  const progressText = await readText(files.progress);
  const failedText = await readText(files.failed);
  const completedText = await readText(files.completed);
  const claimsText = await readText(files.claims);
  versions.set(files.progress, progressText?.version);
  versions.set(files.failed, failedText?.version);
  versions.set(files.completed, completedText?.version);
  versions.set(files.claims, claimsText?.version);
  const state: State = {
    ...(completedText
      ? cache.completed(files.completed, completedText.text)
      : { completed: new Map(), completedExtra: {}, orphanStats: new Map() }),
    ...(failedText ? cache.failed(files.failed, failedText.text) : { failed: new Map(), failedExtra: {} }),
    claims: claimsText ? parseClaims(files.claims, claimsText.text, logger) : new Map(),
    ...(progressText
      ? parseProgress(files.progress, progressText.text, noun, logger)
      : { total: 0, lastUpdate: undefined, progressExtra: {} }),
  };
  // A crash between the two writes of a retried item leaves it in both files.
  for (const id of state.completed.keys()) state.failed.delete(id);
  return { state, versions };
}

export function serializeCompleted(state: State): string {
  const stats = fromEntries(new Map([...state.orphanStats, ...state.completed]));
  return `${JSON.stringify({ completed: [...state.completed.keys()], stats, ...state.completedExtra }, null, 2)}\n`;
}

export function serializeFailed(state: State): string {
  return `${JSON.stringify({ failed: fromEntries(state.failed), ...state.failedExtra }, null, 2)}\n`;
}

export function serializeClaims(state: State): string {
  return `${JSON.stringify({ claims: fromEntries(state.claims) }, null, 2)}\n`;
}

/** Object.fromEntries that is safe for ids like `__proto__`. */
function fromEntries<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of map) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}
