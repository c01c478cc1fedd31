import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { GroupDurability, ProgressCallback } from '@astro/core';
import { AstroError, AtomicGroup, describeError } from '@astro/core';
import { ViracErrorCode, ViracTileError } from './errors.js';
import { CsvTextBuilder } from './internal/csv-text-builder.js';
import { LightCurveScratch, prepareEpochText, writeLightCurve } from './internal/csv-light-curve.js';
import { csvTempPath } from './internal/csv-temp-path.js';
import { csvPath, type OutputLayout } from './output-path.js';
import { withViracTile } from './read-tile.js';

/**
 * How CSVs are made durable before a tile is recorded complete (core's
 * `AtomicGroup` durability): `syncfs` flushes the output file system once per
 * tile, after writing the temporary files (one call instead of one fsync per
 * file), then fsyncs each directory after the renames; `fsync` syncs every
 * file and directory; `none` relies on the page cache (safe against process
 * kills, not against power loss).
 */
export type Durability = GroupDurability;

/** Options of {@link extractTile}. */
export interface ExtractTileOptions {
  /** Keep sources with MORE than this many Ks detections. Default 20. */
  minKs?: number;
  /** Output arrangement. Default `flat`. */
  layout?: OutputLayout;
  /** Sources read per batch (bounds memory). Default 4096. */
  batchSize?: number;
  /** Durability before returning. Default `syncfs`. */
  durability?: Durability;
  /** Checked between batches; when it returns true the tile is abandoned. */
  shouldStop?: () => boolean;
  /** Progress in sources of this tile. */
  onProgress?: ProgressCallback;
}

/** What {@link extractTile} did for one tile. */
export interface TileResult {
  /** Tile id. */
  tile: string;
  /** Sources in the tile. */
  n_sources: number;
  /** Sources that passed the selection (their CSV exists now). */
  n_valid: number;
  /** CSVs written by this call. */
  written: number;
  /** CSVs that were already complete and were left as they are. */
  skipped: number;
}

/** Thrown when {@link ExtractTileOptions.shouldStop} asked to stop mid-tile. */
export class TileAbortedError extends AstroError {
  override name = 'TileAbortedError';
}

const createdDirs = new Set<string>();

function ensureDir(dir: string): void {
  if (createdDirs.has(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  createdDirs.add(dir);
}

/**
 * Extract the light curves of one tile into `outputDir`, one
 * `<sourceid>.csv` per source with more than `minKs` Ks detections.
 *
 * Each CSV is written under a temporary name in its directory and renamed;
 * CSVs already present under their final name are complete (they only ever
 * appear by rename) and are not rewritten. The call returns only after every
 * CSV of the tile is durable (see {@link Durability}), so the caller may then
 * record the tile complete. On any error or stop, the temporary files it made
 * are removed and the error names the tile.
 */
export async function extractTile(
  file: string,
  outputDir: string,
  options: ExtractTileOptions = {},
): Promise<TileResult> {
  const minKs = options.minKs ?? 20;
  const layout = options.layout ?? 'flat';
  const batchSize = Math.max(1, options.batchSize ?? 4096);
  const durability = options.durability ?? 'syncfs';
  return withViracTile(file, async (tile) => {
    const text = prepareEpochText(tile.epochs);
    const scratch = new LightCurveScratch();
    const csv = new CsvTextBuilder(1 << 16);
    scratch.reset(tile.epochs.count);
    // Temporary files under deterministic names (a rerun after a kill
    // overwrites them); one commit per tile: with 'syncfs' one flush of the
    // file system (an fsync of each file where that fails), then the renames
    // and an fsync of each directory, which writes only its entries, where a
    // second flush would rewrite every renamed inode and, with several
    // workers, wait for the others' data too.
    const group = new AtomicGroup({ durability });
    let valid = 0;
    let skipped = 0;
    let written = 0;
    try {
      for (let start = 0; start < tile.sourceCount; start += batchSize) {
        if (options.shouldStop?.()) {
          throw new TileAbortedError(`VIRAC tile ${tile.id}: stopped before completion`, {
            code: ViracErrorCode.aborted,
            tile: tile.id,
            file,
          });
        }
        // Let signal handlers and progress timers run between batches.
        await yieldToEventLoop();
        const batch = tile.readSources(start, start + batchSize);
        for (let i = 0; i < batch.count; i++) {
          if (!writeLightCurve(csv, tile.epochs, text, batch, i, minKs, scratch)) continue;
          valid++;
          const target = csvPath(outputDir, batch.sourceid[i], layout);
          if (fs.existsSync(target)) {
            skipped++;
            continue;
          }
          ensureDir(path.dirname(target));
          group.add(target, csv.bytes, { tempPath: csvTempPath(target, tile.id), length: csv.length });
        }
        options.onProgress?.({ done: Math.min(start + batchSize, tile.sourceCount), total: tile.sourceCount, unit: 'sources' });
      }
      written = group.size;
      group.commit();
    } catch (error) {
      // Best effort: a later run overwrites the deterministic temporary names.
      group.abort();
      if (error instanceof AstroError) throw error;
      throw new ViracTileError(`VIRAC tile ${tile.id} (${file}): writing light curves failed: ${describeError(error)}`, {
        file,
        tile: tile.id,
        cause: error,
      });
    }
    return { tile: tile.id, n_sources: tile.sourceCount, n_valid: valid, written, skipped };
  });
}
