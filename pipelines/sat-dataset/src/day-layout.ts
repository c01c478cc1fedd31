/**
 * Where the outputs of a day go: the layout of the converter users run today,
 * `<out_root>/<spec>-YYYY-MM-DD/` with `channels_info/`, and the layout of
 * earlier versions of this port, `<out_root>/YYYYMMDD/`, still resumed.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DayWindow } from './day-window.js';

/** Name of the day state file in a day folder. */
export const STATE_FILE = 'state_day.json';

/**
 * `current`: `<out_root>/<spec>-YYYY-MM-DD/`, coverage in `channels_info/`;
 * `legacy`: `<out_root>/YYYYMMDD/`, coverage beside the day file.
 */
export type DayLayout = 'current' | 'legacy';

/** Output paths of a day. */
export interface DayPaths {
  /** Which layout. */
  layout: DayLayout;
  /** The day folder. */
  dir: string;
  /** `<spec>_YYYYMMDD.h5`. */
  h5: string;
  /** `<spec>_YYYYMMDD.summary.json`. */
  summary: string;
  /** `state_day.json`. */
  state: string;
  /** `worker.log`. */
  log: string;
  /** `channels_coverage.json`. */
  coverage: string;
  /** `channels_info/` (the channel lists). */
  info: string;
  /** The lock a worker holds while it converts the day. */
  lock: string;
}

/** Name of the day folder in the current layout: `<spec>-YYYY-MM-DD`. */
export function dayFolderName(spec: string, window: Pick<DayWindow, 'date'>): string {
  return `${spec}-${window.date}`;
}

/**
 * Output paths of a day in a given layout.
 *
 * @param config - `out_root` and `ffl_spec`.
 * @param window - The day.
 * @param layout - Default `current`.
 */
export function dayPaths(config: { out_root: string; ffl_spec: string }, window: Pick<DayWindow, 'date' | 'tag'>, layout: DayLayout = 'current'): DayPaths {
  const dir = path.join(config.out_root, layout === 'current' ? dayFolderName(config.ffl_spec, window) : window.tag);
  const base = `${config.ffl_spec}_${window.tag}`;
  const info = path.join(dir, 'channels_info');
  return {
    layout,
    dir,
    h5: path.join(dir, `${base}.h5`),
    summary: path.join(dir, `${base}.summary.json`),
    state: path.join(dir, STATE_FILE),
    log: path.join(dir, 'worker.log'),
    coverage: layout === 'current' ? path.join(info, 'channels_coverage.json') : path.join(dir, 'channels_coverage.json'),
    info,
    lock: path.join(dir, '.day.lock'),
  };
}

/**
 * The paths a worker uses for a day: the current layout, unless `resume` is
 * on and only a legacy folder (`<out_root>/YYYYMMDD/` whose `state_day.json`
 * was written for the same `ffl_spec`) exists for the day, which is then
 * resumed in place.
 */
export function resolveDayPaths(config: { out_root: string; ffl_spec: string; resume: boolean }, window: Pick<DayWindow, 'date' | 'tag'>): DayPaths {
  const current = dayPaths(config, window, 'current');
  if (!config.resume || existsSync(current.dir)) return current;
  const legacy = dayPaths(config, window, 'legacy');
  return legacySpecOf(legacy.state) === config.ffl_spec ? legacy : current;
}

/** The `spec` recorded in a legacy folder's state (undefined when there is none or it is unreadable). */
function legacySpecOf(stateFile: string): string | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    const spec: unknown = (JSON.parse(readFileSync(stateFile, 'utf8')) as { spec?: unknown }).spec;
    return typeof spec === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}
