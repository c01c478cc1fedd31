import * as path from 'node:path';
import { TEMP_MARKER } from '@astro/core';

/**
 * How light curves are arranged in the output directory: `flat` puts every
 * `<sourceid>.csv` in it; `nested` puts it under `<first 3 digits>/<next 3
 * digits>/` so that no directory holds millions of files.
 */
export type OutputLayout = 'flat' | 'nested';

/** The directory (relative to the output directory) of a source's CSV. */
export function csvSubdir(sourceId: string, layout: OutputLayout): string {
  if (layout === 'flat') return '';
  return path.join(sourceId.slice(0, 3), sourceId.slice(3, 6));
}

/** The path of a source's light curve. */
export function csvPath(outputDir: string, sourceId: string | bigint, layout: OutputLayout = 'flat'): string {
  const id = String(sourceId);
  return path.join(outputDir, csvSubdir(id, layout), `${id}.csv`);
}

/**
 * The temporary name a CSV is written under before it is renamed. It is
 * deterministic per tile: a tile is processed by one claimant at a time, and
 * a rerun after a kill overwrites (then renames) what the killed run left.
 */
export function csvTempPath(finalPath: string, tileId: string): string {
  return `${finalPath}${TEMP_MARKER}${tileId}`;
}
