import { TEMP_MARKER } from '@astro/core';

/**
 * The temporary name a CSV is written under before it is renamed. It is
 * deterministic per tile: a tile is processed by one claimant at a time, and
 * a rerun after a kill overwrites (then renames) what the killed run left.
 * It contains core's `TEMP_MARKER`, so `isTempFileName` recognises it.
 */
export function csvTempPath(finalPath: string, tileId: string): string {
  return `${finalPath}${TEMP_MARKER}${tileId}`;
}
