/**
 * Configuration of the SAT dataset converter: TOML files and/or CLI flags
 * with the seed tool's key names, validated with zod. Every error names the
 * file (or `(flags)`), the table and the key.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { SatConfigError } from './errors.js';

/** Levels of `log_level` (pino's). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

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
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'bigint' ? Number(v) : v), z.number().int().min(min).max(max));
/** Finite numbers also from CLI strings. */
const num = (min: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().finite().min(min));
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

/** Every key of the day worker, in schema order (the `sat-worker` flags). */
export const WORKER_CONFIG_KEYS = Object.keys(workerSchema.shape) as readonly (keyof WorkerConfig)[];
/** Every key of the launcher, in schema order (the `sat-launcher` flags). */
export const LAUNCHER_CONFIG_KEYS = Object.keys(launcherSchema.shape) as readonly (keyof LauncherConfig)[];

/** A validated day worker configuration (dates as `Date`, defaults applied). */
export type WorkerConfig = z.infer<typeof workerSchema>;
/** A validated launcher configuration (`[launcher]` table). */
export type LauncherConfig = z.infer<typeof launcherSchema>;
/** The worker keys of a launcher configuration (`[worker]` table). */
export type LauncherWorkerConfig = z.infer<typeof launcherWorkerSchema>;

/**
 * Parse a date-time, as UTC when it carries no zone.
 *
 * @param v - ISO 8601 text (`2023-06-01T00:00:00`, `2023-06-01 12:00`, `2023-06-01`) or a Date.
 * @returns The instant, or undefined when `v` is not a date-time.
 */
export function parseUtc(v: string | Date): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  const s = String(v).trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || !s.includes('T') ? s : `${s}Z`;
  const d = new Date(s.includes('T') ? zoned : `${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Format zod issues as "source: key: problem (got value)" lines. */
function describeIssues(error: z.ZodError, source: string, prefix: string, input: Record<string, unknown>): SatConfigError {
  const lines: string[] = [];
  let firstKey: string | undefined;
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.')];
    for (const k of keys) {
      const key = prefix ? `${prefix}.${k}` : k;
      firstKey ??= key;
      const value = input[k];
      const got = k in input ? ` (got ${JSON.stringify(value instanceof Date ? value.toISOString() : value)})` : '';
      let what = issue.message;
      if (issue.code === 'unrecognized_keys') what = 'is not a known key';
      else if (issue.code === 'invalid_type' && !(k in input)) what = 'is required';
      else if (issue.code === 'invalid_value' && 'values' in issue) what = `must be one of ${issue.values.map((x) => JSON.stringify(x)).join(', ')}`;
      lines.push(`${key}: ${what}${got}`);
    }
  }
  return new SatConfigError(`configuration ${source}: ${lines.join('; ')}`, { key: firstKey, source });
}

/** The message of an unknown thrown value. */
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Read a TOML configuration file.
 *
 * @param file - Path of the file.
 * @returns Its tables and keys.
 * @throws {@link SatConfigError} naming the file (and line and column for TOML syntax errors).
 */
export function readToml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SatConfigError(`configuration ${file}: cannot read (${messageOf(error)})`, { source: file, cause: error });
  }
  try {
    return parseToml(text) as Record<string, unknown>;
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

/** Drop undefined values (unset CLI flags). */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Where a configuration comes from: a TOML file and/or flags (flags win). */
export interface ConfigInput {
  /** TOML file. */
  file?: string;
  /** Keys from the command line (undefined values are ignored). */
  flags?: Record<string, unknown>;
}

/**
 * Validate a day worker configuration: keys of the TOML file (top level, or
 * its `[worker]` table), overridden by `flags`.
 *
 * @throws {@link SatConfigError} naming the file, the table and the key.
 */
export function loadWorkerConfig({ file, flags = {} }: ConfigInput): WorkerConfig {
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
 *
 * @throws {@link SatConfigError} naming the file, the table and the key.
 */
export function loadLauncherConfig({
  file,
  flags = {},
  workerFlags = {},
}: ConfigInput & { workerFlags?: Record<string, unknown> }): { launcher: LauncherConfig; worker: LauncherWorkerConfig } {
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
 * Read a channels file: one name per line, `#` comments and blank lines
 * ignored, duplicates dropped (first kept).
 *
 * @throws {@link SatConfigError} naming the file and the line.
 */
export function readChannelList(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SatConfigError(`channels_file ${file}: cannot read (${messageOf(error)})`, { key: 'channels_file', source: file, cause: error });
  }
  const out: string[] = [];
  const seen = new Set<string>();
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
