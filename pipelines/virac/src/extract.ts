import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { AstroError, describeError, isTempFileName, silentLogger, sleep, type Logger } from '@astro/core';
import { openCheckpointStore, type CheckpointStore } from '@astro/checkpoint';
import { ViracErrorCode } from './errors.js';
import { extractTile, TileAbortedError, type Durability, type TileResult } from './extract-tile.js';
import { globToRegExp } from './internal/glob.js';
import type { TileTask } from './internal/tile-worker.js';
import { requireTileWorker } from './internal/worker-script.js';
import type { OutputLayout } from './output-path.js';
import { tileIdOf } from './read-tile.js';
import { selectShard, type Shard } from './shard.js';

/** A progress event of {@link extractLightCurves}. */
export interface ExtractProgress {
  /** What happened. */
  event: 'start' | 'tile-complete' | 'tile-failed' | 'done';
  /** Tile id, for tile events. */
  tile?: string;
  /** Tiles of this run's selection that are complete (including earlier runs). */
  tilesDone: number;
  /** Tiles of this run's selection that failed. */
  tilesFailed: number;
  /** Tiles in this run's selection (after sharding). */
  tilesTotal: number;
  /** Sources read by this process so far. */
  sources: number;
  /** Light curves written or confirmed by this process so far. */
  valid: number;
  /** Seconds since the run started. */
  elapsedSeconds: number;
  /** For tile-complete: the tile's result. */
  result?: TileResult;
  /** For tile-failed: the error message. */
  error?: string;
}

/** Options of {@link extractLightCurves}. */
export interface ExtractLightCurvesOptions {
  /** Directory holding the tiles. */
  inputDir: string;
  /** Directory receiving the CSVs, `checkpoints/` and `logs/`. */
  outputDir: string;
  /** Keep sources with MORE than this many Ks detections. Default 20. */
  minKs?: number;
  /** Parallel tiles: 1 runs in this thread, more use worker threads. Default 1. */
  workers?: number;
  /** Glob for tile file names. Default `n*_*.hdf5`. */
  tilePattern?: string;
  /** Output arrangement. Default `flat`. */
  layout?: OutputLayout;
  /** Try tiles recorded as failed again. Default false. */
  retryFailed?: boolean;
  /** Take only one shard of the tiles (job arrays). */
  shard?: Shard;
  /** Progress events. */
  onProgress?: (progress: ExtractProgress) => void;
  /** Abort: running tiles stop between batches, their claims are released. */
  signal?: AbortSignal;
  /** Structured logger (the library never writes to the console). */
  logger?: Logger;
  /** Durability of CSVs before a tile is recorded complete. Default `syncfs`. */
  durability?: Durability;
  /** Sources read per batch. Default 4096. */
  batchSize?: number;
  /** A claim not refreshed for this long is taken over (ms). */
  staleMs?: number;
  /**
   * When the only tiles left are claimed by other live processes, wait for
   * them (and take over a claim whose holder dies). Default true.
   */
  waitForOthers?: boolean;
  /** Poll interval while waiting for other processes (ms). Default 2000. */
  pollMs?: number;
}

/** The outcome of {@link extractLightCurves}. */
export interface ExtractSummary {
  /** Tiles in this run's selection (after sharding). */
  tiles: number;
  /** Of those, complete (this run or earlier). */
  completed: number;
  /** Of those, recorded as failed. */
  failed: number;
  /** Sources read by this run. */
  sources: number;
  /** Light curves of the tiles this run completed. */
  valid: number;
  /** Failed tiles with their messages. */
  failures: { tile: string; error: string }[];
  /** Tiles neither complete nor failed (aborted, or held by another process). */
  pending: string[];
  /** True when the run was stopped by its signal. */
  aborted: boolean;
  /** Wall-clock seconds. */
  elapsedSeconds: number;
}

/** List the tiles of `inputDir` matching `pattern`, sorted by name. */
export async function listTiles(inputDir: string, pattern = 'n*_*.hdf5'): Promise<string[]> {
  const re = globToRegExp(pattern);
  let names: string[];
  try {
    names = await fsp.readdir(inputDir);
  } catch (error) {
    throw new AstroError(`VIRAC: cannot list the input directory ${inputDir}: ${describeError(error)}`, {
      code: ViracErrorCode.input,
      file: inputDir,
      cause: error,
    });
  }
  return names
    .filter((n) => re.test(n))
    .sort()
    .map((n) => path.join(inputDir, n));
}

/** Remove temporary CSVs left by killed runs (walks the output tree once). */
async function sweepTempFiles(outputDir: string, layout: OutputLayout): Promise<number> {
  let removed = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let handle;
    try {
      handle = await fsp.opendir(dir);
    } catch {
      return;
    }
    for await (const entry of handle) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (layout === 'nested' && depth < 2 && entry.name !== 'checkpoints' && entry.name !== 'logs') {
          await walk(p, depth + 1);
        }
      } else if (isTempFileName(entry.name)) {
        await fsp.rm(p, { force: true });
        removed++;
      }
    }
  };
  await walk(outputDir, 0);
  return removed;
}

/**
 * Turn a directory of VIRAC2 tiles into one CSV light curve per source.
 *
 * Tiles are claimed in a shared checkpoint store (`<outputDir>/checkpoints`)
 * before work starts, so several processes (workers, concurrent jobs, array
 * tasks) never do a tile twice; a tile is recorded complete only after all
 * its CSVs are durable, and a failed tile is recorded with its message while
 * the others go on. A rerun skips complete tiles (and failed ones unless
 * `retryFailed`). When every tile of the selection is complete and no other
 * process holds a claim, leftover temporary files are removed.
 */
export async function extractLightCurves(options: ExtractLightCurvesOptions): Promise<ExtractSummary> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const logger = options.logger ?? silentLogger;
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  const layout = options.layout ?? 'flat';
  const taskOptions = {
    minKs: options.minKs ?? 20,
    layout,
    batchSize: options.batchSize ?? 4096,
    durability: options.durability ?? ('syncfs' as const),
  };
  const allTiles = await listTiles(options.inputDir, options.tilePattern);
  const tiles = selectShard(allTiles, options.shard);
  const ids = tiles.map(tileIdOf);
  const fileOf = new Map(ids.map((id, i) => [id, tiles[i]]));
  await fsp.mkdir(options.outputDir, { recursive: true });
  const store: CheckpointStore = await openCheckpointStore(path.join(options.outputDir, 'checkpoints'), {
    noun: 'tiles',
    logger,
    ...(options.staleMs ? { staleMs: options.staleMs } : {}),
  });

  const idSet = new Set(ids);
  const attempted = new Set<string>();
  let sources = 0;
  let valid = 0;
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  const onAbort = () => Atomics.store(stopFlag, 0, 1);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const counts = async () => {
    const snap = await store.snapshot();
    let done = 0;
    let failed = 0;
    for (const id of ids) {
      if (snap.completed.has(id)) done++;
      else if (snap.failed.has(id)) failed++;
    }
    return { done, failed, snap };
  };

  type Pool = { run(task: TileTask, opts: { name: string }): Promise<TileResult>; destroy(): Promise<void> };
  let pool: Pool | undefined;
  if (workers > 1) {
    const { Piscina } = await import('piscina');
    pool = new Piscina({
      filename: requireTileWorker(),
      minThreads: workers,
      maxThreads: workers,
      // Workers run the compiled JavaScript: drop resolution conditions a
      // host (e.g. a test runner resolving "source" to TypeScript) may set.
      execArgv: withoutConditions(process.execArgv),
    }) as unknown as Pool;
  }

  try {
    await store.setTotal(allTiles.length);
    let { done, failed } = await counts();
    options.onProgress?.({ event: 'start', tilesDone: done, tilesFailed: failed, tilesTotal: ids.length, sources, valid, elapsedSeconds: elapsed() });
    logger.info({ tiles: ids.length, done, failed, workers }, 'extraction started');

    const runOne = async (id: string): Promise<TileResult> => {
      const file = fileOf.get(id)!;
      if (pool) return pool.run({ file, outputDir: options.outputDir, options: taskOptions, stop }, { name: 'runTileTask' });
      return extractTile(file, options.outputDir, { ...taskOptions, shouldStop: () => Atomics.load(stopFlag, 0) !== 0 });
    };

    const loop = async (): Promise<void> => {
      while (Atomics.load(stopFlag, 0) === 0) {
        // Each tile is attempted at most once per run (a retried tile that
        // fails again stays failed until the next run).
        const candidates = attempted.size === 0 ? ids : ids.filter((t) => !attempted.has(t));
        const id = await store.claimNext(candidates, { retryFailed: options.retryFailed === true });
        if (id === undefined) {
          if (options.waitForOthers === false) return;
          const { snap } = await counts();
          const heldElsewhere = candidates.some((t) => !snap.completed.has(t) && !snap.failed.has(t) && snap.claims.has(t));
          if (!heldElsewhere) return;
          await sleep(options.pollMs ?? 2000, options.signal);
          continue;
        }
        if (!idSet.has(id)) continue;
        attempted.add(id);
        try {
          const result = await runOne(id);
          await store.complete(id, { n_sources: result.n_sources, n_valid: result.n_valid });
          sources += result.n_sources;
          valid += result.n_valid;
          done++;
          if (options.retryFailed && failed > 0) ({ failed } = await counts());
          logger.info({ ...result }, 'tile complete');
          options.onProgress?.({ event: 'tile-complete', tile: id, result, tilesDone: done, tilesFailed: failed, tilesTotal: ids.length, sources, valid, elapsedSeconds: elapsed() });
        } catch (error) {
          if (error instanceof TileAbortedError || (Atomics.load(stopFlag, 0) !== 0 && isAbortLike(error))) {
            await store.release(id);
            logger.warn({ tile: id }, 'tile abandoned (stop requested); its claim was released');
            return;
          }
          const message = describeError(error);
          await store.fail(id, message);
          ({ done, failed } = await counts());
          logger.error({ tile: id, error: message }, 'tile failed');
          options.onProgress?.({ event: 'tile-failed', tile: id, error: message, tilesDone: done, tilesFailed: failed, tilesTotal: ids.length, sources, valid, elapsedSeconds: elapsed() });
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, loop));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool?.destroy();
  }

  const { done, failed, snap } = await counts();
  const failures = ids.filter((id) => snap.failed.has(id)).map((id) => ({ tile: id, error: snap.failed.get(id)!.error }));
  const pending = ids.filter((id) => !snap.completed.has(id) && !snap.failed.has(id));
  const aborted = Atomics.load(stopFlag, 0) !== 0;
  if (!aborted && pending.length === 0 && failures.length === 0 && snap.claims.size === 0) {
    const removed = await sweepTempFiles(options.outputDir, layout);
    if (removed > 0) logger.info({ removed }, 'removed temporary files left by an interrupted run');
  }
  await store.close();
  const summary: ExtractSummary = {
    tiles: ids.length,
    completed: done,
    failed,
    sources,
    valid,
    failures,
    pending,
    aborted,
    elapsedSeconds: elapsed(),
  };
  options.onProgress?.({ event: 'done', tilesDone: done, tilesFailed: failed, tilesTotal: ids.length, sources, valid, elapsedSeconds: elapsed() });
  logger.info(summary, 'extraction finished');
  return summary;
}

/** `execArgv` without `--conditions X` / `-C X` / `--conditions=X`. */
function withoutConditions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--conditions' || a === '-C') {
      i++;
      continue;
    }
    if (a.startsWith('--conditions=')) continue;
    out.push(a);
  }
  return out;
}


function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TileAbortedError' || /stopped before completion/.test(error.message));
}
