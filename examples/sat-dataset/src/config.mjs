// Configuration of the SAT dataset creator: TOML files and/or CLI flags with
// the seed tool's key names, validated with zod. Every error names the key.
import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';

/** Error in a configuration file or flag; `key` is the offending key. */
export class SatConfigError extends Error {
  /**
   * @param {string} message
   * @param {{ key?: string, source?: string, cause?: unknown }} [options]
   */
  constructor(message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SatConfigError';
    this.code = 'SAT_CONFIG';
    /** @type {string | undefined} */
    this.key = options.key;
    /** @type {string | undefined} */
    this.source = options.source;
  }
}

const LOG_LEVELS = /** @type {const} */ (['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** Date-time: ISO 8601; without a zone it is UTC (as the seed tool). TOML dates are accepted too. */
const dateTime = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const d = parseUtc(v);
  if (d === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is not a date-time (use e.g. "2023-06-01T00:00:00", UTC)' });
    return z.NEVER;
  }
  return d;
});

/** Calendar date YYYY-MM-DD (UTC). */
const calendarDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s) {
    ctx.addIssue({ code: 'custom', message: 'is not a date (use YYYY-MM-DD)' });
    return z.NEVER;
  }
  return s;
});

/** Booleans also from CLI strings. */
const bool = z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no', '1', '0'])]).transform((v) => v === true || v === 'true' || v === 'yes' || v === '1');
/** Integers also from CLI strings. */
const int = (/** @type {number} */ min, /** @type {number} */ max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'bigint' ? Number(v) : v), z.number().int().min(min).max(max));
const num = (/** @type {number} */ min) => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().finite().min(min));
const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Keys of the day worker (seed names) plus this port's own, documented in docs/sat-dataset.md. */
const workerBase = z
  .object({
    start_dt: dateTime,
    end_dt: dateTime,
    channels_file: nonEmpty,
    ffl_spec: nonEmpty.regex(/^[A-Za-z0-9_.+-]+$/, 'may only contain letters, digits and _ . + - (it names files)'),
    ffl_path: nonEmpty,
    out_root: nonEmpty,
    resume: bool.default(true),
    log_level: z.enum(LOG_LEVELS).default('info'),
    increment_size: int(1, 86_400).default(600),
    max_retries: int(0, 100).default(3),
    compression: z.enum(['gzip', 'lzf', 'none']).default('gzip'),
    produce_summary: bool.default(true),
    // Extensions of this port (not in the seed tool):
    compression_level: int(0, 9).default(4),
    buffer_mb: num(0.001).default(256),
  })
  .strict();

/** Keys of the day worker, validated (end_dt after start_dt, at most one day). */
export const workerSchema = workerBase.superRefine((c, ctx) => {
    const seconds = (c.end_dt.getTime() - c.start_dt.getTime()) / 1000;
    if (!(seconds > 0)) ctx.addIssue({ code: 'custom', path: ['end_dt'], message: `must be after start_dt (${c.start_dt.toISOString()})` });
    else if (seconds > 86_400) ctx.addIssue({ code: 'custom', path: ['end_dt'], message: `is ${seconds} s after start_dt: a day worker converts at most one day (86400 s)` });
  });

/** Keys of the launcher (seed names). */
export const launcherSchema = z
  .object({
    start_date: calendarDate,
    end_date: calendarDate,
    out_dir: nonEmpty,
    concurrency: int(1, 256).default(2),
    stagger_seconds: num(0).default(0),
    max_retries: int(0, 100).default(2),
    limit_days: int(1).optional(),
    minutes_per_day: int(1, 1440).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.end_date < c.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: `must not be before start_date (${c.start_date})` });
  });

/** The worker keys a launcher passes on to every day (everything but the window and out_root). */
export const launcherWorkerSchema = workerBase.omit({ start_dt: true, end_dt: true, out_root: true }).strict();

/**
 * @typedef {z.infer<typeof workerSchema>} WorkerConfig
 * @typedef {z.infer<typeof launcherSchema>} LauncherConfig
 * @typedef {z.infer<typeof launcherWorkerSchema>} LauncherWorkerConfig
 */

/**
 * Parse a date-time as UTC when it carries no zone.
 * @param {string | Date} v
 * @returns {Date | undefined}
 */
export function parseUtc(v) {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  const s = String(v).trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || !s.includes('T') ? s : `${s}Z`;
  const d = new Date(s.includes('T') ? zoned : `${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Format zod issues as "source: key: problem (got value)" lines.
 * @param {z.ZodError} error
 * @param {string} source
 * @param {string} prefix  table name for nested keys ('' for top level)
 * @param {Record<string, unknown>} input
 */
function describeIssues(error, source, prefix, input) {
  const lines = [];
  let firstKey;
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')];
    for (const k of keys) {
      const key = prefix ? `${prefix}.${k}` : k;
      firstKey ??= key;
      const got = k in input ? ` (got ${JSON.stringify(input[k] instanceof Date ? input[k].toISOString() : input[k])})` : '';
      let what = issue.message;
      if (issue.code === 'unrecognized_keys') what = 'is not a known key';
      else if (issue.code === 'invalid_type' && !(k in input)) what = 'is required';
      else if (issue.code === 'invalid_value' && 'values' in issue) what = `must be one of ${issue.values.map((x) => JSON.stringify(x)).join(', ')}`;
      lines.push(`${key}: ${what}${got}`);
    }
  }
  return new SatConfigError(`configuration ${source}: ${lines.join('; ')}`, { key: firstKey, source });
}

/**
 * Read a TOML configuration file.
 * @param {string} file
 * @returns {Record<string, unknown>}
 */
export function readToml(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SatConfigError(`configuration ${file}: cannot read (${/** @type {Error} */ (error).message})`, { source: file, cause: error });
  }
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new SatConfigError(`configuration ${file}: line ${error.line}, column ${error.column}: not valid TOML (${error.message.split('\n')[0]})`, {
        source: file,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Drop undefined values (unset CLI flags).
 * @param {Record<string, unknown>} o
 */
function defined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Validate a day worker configuration: keys of the TOML file (top level, or
 * its `[worker]` table), overridden by `flags`.
 * @param {{ file?: string, flags?: Record<string, unknown> }} input
 * @returns {WorkerConfig}
 */
export function loadWorkerConfig({ file, flags = {} }) {
  const raw = file ? readToml(file) : {};
  const table = isTable(raw.worker) ? raw.worker : raw;
  const merged = { ...table, ...defined(flags) };
  const source = file ?? '(flags)';
  const r = workerSchema.safeParse(merged);
  if (!r.success) throw describeIssues(r.error, source, file && isTable(raw.worker) ? 'worker' : '', merged);
  return r.data;
}

/**
 * Validate a launcher configuration: the `[launcher]` table (launcher keys)
 * and `[worker]` table (keys passed to every day) of a TOML file, each
 * overridden by flags.
 * @param {{ file?: string, flags?: Record<string, unknown>, workerFlags?: Record<string, unknown> }} input
 * @returns {{ launcher: LauncherConfig, worker: LauncherWorkerConfig }}
 */
export function loadLauncherConfig({ file, flags = {}, workerFlags = {} }) {
  const raw = file ? readToml(file) : {};
  const source = file ?? '(flags)';
  for (const key of Object.keys(raw)) {
    if (key !== 'launcher' && key !== 'worker') {
      throw new SatConfigError(`configuration ${source}: ${key}: is not a known table (a launcher file has [launcher] and [worker])`, { key, source });
    }
  }
  const l = { ...(isTable(raw.launcher) ? raw.launcher : {}), ...defined(flags) };
  const w = { ...(isTable(raw.worker) ? raw.worker : {}), ...defined(workerFlags) };
  const lr = launcherSchema.safeParse(l);
  if (!lr.success) throw describeIssues(lr.error, source, file ? 'launcher' : '', l);
  const wr = launcherWorkerSchema.safeParse(w);
  if (!wr.success) throw describeIssues(wr.error, source, file ? 'worker' : '', w);
  return { launcher: lr.data, worker: wr.data };
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
function isTable(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Read a channels file: one name per line, `#` comments and blank lines
 * ignored, duplicates dropped (first kept).
 * @param {string} file
 * @returns {string[]}
 */
export function readChannelList(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SatConfigError(`channels_file ${file}: cannot read (${/** @type {Error} */ (error).message})`, { key: 'channels_file', source: file, cause: error });
  }
  const out = [];
  const seen = new Set();
  text.split(/\r?\n/).forEach((line, i) => {
    const name = line.replace(/#.*/, '').trim();
    if (!name) return;
    if (/\s/.test(name)) {
      throw new SatConfigError(`channels_file ${file}: line ${i + 1}: "${name}" is not a channel name (one name per line)`, { key: 'channels_file', source: file });
    }
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  });
  return out;
}
