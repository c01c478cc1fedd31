import * as path from 'node:path';

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
