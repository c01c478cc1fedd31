/**
 * Worker-thread entry (piscina) that extracts one tile. Not part of the
 * public API. The shared `stop` flag lets the main thread ask a running tile
 * to stop between batches, so temporary files are cleaned up.
 */
import { extractTile, type ExtractTileOptions, type TileResult } from '../extract-tile.js';

/** A tile task sent to a worker. */
export interface TileTask {
  file: string;
  outputDir: string;
  options: Omit<ExtractTileOptions, 'shouldStop' | 'onProgress'>;
  /** Int32Array over a SharedArrayBuffer: element 0 non-zero means stop. */
  stop: SharedArrayBuffer;
}

/** Run one tile task. */
export async function runTileTask(task: TileTask): Promise<TileResult> {
  const stop = new Int32Array(task.stop);
  return extractTile(task.file, task.outputDir, { ...task.options, shouldStop: () => Atomics.load(stop, 0) !== 0 });
}
