/**
 * Errors of the SAT dataset converter.
 *
 * @module
 */
import { AstroError } from '@astro/core';
import type { AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of {@link SatConfigError} and {@link SatWorkerError}. */
export const SatErrorCode = {
  /** A configuration file, flag or channels file is wrong. */
  config: 'SAT_CONFIG',
  /** `ffl_path` does not exist or does not hold `<ffl_spec>.ffl`. */
  ffl: 'SAT_FFL',
  /** `state_day.json` is unreadable or was written for another configuration. */
  state: 'SAT_STATE',
  /** Two channels map to the same dataset. */
  channels: 'SAT_CHANNELS',
  /** A frame file could not be read after the retries (not a bad file: the system). */
  read: 'SAT_READ',
  /** Another worker holds the day. */
  busy: 'SAT_BUSY',
  /** The day folder cannot be created. */
  output: 'SAT_OUTPUT',
} as const;

/** One of the {@link SatErrorCode} values. */
export type SatErrorCode = (typeof SatErrorCode)[keyof typeof SatErrorCode];

/** Options of {@link SatWorkerError}. */
export interface SatErrorOptions extends AstroErrorOptions {
  /** Machine-readable code. */
  code: SatErrorCode;
  /** The configuration key concerned, when there is one (`increment_size`, `worker.colour`). */
  key?: string;
}

/**
 * Error of a day conversion (not of one frame file or channel: those are
 * recorded and the day goes on). The message starts with the file or key it
 * concerns, then the problem and what to do:
 * `/out/trend-2023-06-01/state_day.json: increment_size was 300 when the day
 * started, now 600; run with resume = false to start the day again`. The
 * same file and key are in `location.file` and `key`; `format` is `'SAT'`.
 */
export class SatWorkerError extends AstroError {
  override name = 'SatWorkerError';
  /** Machine-readable code (narrowed). */
  declare readonly code: SatErrorCode;
  /** Always `'SAT'`: the package the error comes from. */
  override readonly format = 'SAT';
  /** The configuration key concerned, if any. */
  readonly key: string | undefined;

  /**
   * @param message - The whole message: the file or key it concerns, then the problem.
   * @param options - Code, file, key, cause.
   */
  constructor(message: string, options: SatErrorOptions) {
    // The message names its subject itself (as the seed tool's messages, which users grep).
    const { format: _format, ...rest } = options;
    super(message, rest);
    this.key = options.key;
  }
}

/** Options of {@link SatConfigError}. */
export interface SatConfigErrorOptions {
  /** The offending key (`increment_size`, `worker.increment_size` in a TOML table). */
  key?: string;
  /** The configuration file, `(flags)`, or the channels file. */
  source?: string;
  /** The underlying error (TOML parser, fs). */
  cause?: unknown;
}

/**
 * Error in a configuration file, flag or channels file; `key` is the
 * offending key and `source` the file (`(flags)` for command-line flags):
 * `configuration day.toml: worker.increment_size: Too small: expected number
 * to be >=1 (got -5)`. CLIs exit with code 2.
 */
export class SatConfigError extends AstroError {
  override name = 'SatConfigError';
  /** Always `SAT_CONFIG`. */
  declare readonly code: typeof SatErrorCode.config;
  /** Always `'SAT'`: the package the error comes from. */
  override readonly format = 'SAT';
  /** The offending key, if known. */
  readonly key: string | undefined;
  /** The configuration file, `(flags)` or the channels file. */
  readonly source: string | undefined;

  /**
   * @param message - The whole message, starting with the source and key.
   * @param options - Key, source, cause.
   */
  constructor(message: string, options: SatConfigErrorOptions = {}) {
    super(message, { code: SatErrorCode.config, cause: options.cause, file: options.source });
    this.key = options.key;
    this.source = options.source;
  }
}
