/**
 * The time window of a day worker, in UTC and GPS.
 *
 * @module
 */
import { toGpsNanoseconds, utcToGps } from '@astro/gwf';

/** The UTC window of a worker configuration, in GPS, and its day. */
export interface DayWindow {
  /** Day of `start_dt`, `YYYYMMDD` (names the day file). */
  tag: string;
  /** Day of `start_dt`, `YYYY-MM-DD` (names the day folder). */
  date: string;
  /** `start_dt` as UTC ISO 8601 (`2023-06-01T00:00:00.000Z`). */
  startUtc: string;
  /** `end_dt` as UTC ISO 8601. */
  endUtc: string;
  /** `start_dt` in GPS seconds. */
  startGps: number;
  /** `end_dt` in GPS seconds. */
  endGps: number;
  /** `start_dt` in GPS nanoseconds. */
  startNs: bigint;
  /** `end_dt` in GPS nanoseconds. */
  endNs: bigint;
}

/**
 * The window `[start_dt, end_dt)` of a worker configuration.
 *
 * @param config - The two ends (validated: `end_dt` after `start_dt`).
 */
export function dayWindow(config: { start_dt: Date; end_dt: Date }): DayWindow {
  const startGps = utcToGps(config.start_dt);
  const endGps = utcToGps(config.end_dt);
  const date = config.start_dt.toISOString().slice(0, 10);
  return {
    tag: date.replaceAll('-', ''),
    date,
    startUtc: config.start_dt.toISOString(),
    endUtc: config.end_dt.toISOString(),
    startGps,
    endGps,
    startNs: toGpsNanoseconds(startGps),
    endNs: toGpsNanoseconds(endGps),
  };
}
