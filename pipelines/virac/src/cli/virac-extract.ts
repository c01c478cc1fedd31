#!/usr/bin/env node
/**
 * virac-extract: VIRAC2 tiles → one CSV light curve per source.
 * Exit codes: 0 every tile complete, 3 some tiles failed (listed),
 * 2 bad usage, 130/143 stopped by SIGINT/SIGTERM (rerun to resume).
 */
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { extractLightCurves, parseShard, shardFromEnvironment, type ExtractProgress } from '../index.js';
import { createLogger, formatDuration, parseCommandLine, timestampForFile } from './shared.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

const program = new Command('virac-extract')
  .description('Extract one CSV light curve per source from VIRAC2 time-series tiles (resumable, shardable).')
  .requiredOption('--input-dir <dir>', 'directory with the tiles')
  .requiredOption('--output-dir <dir>', 'directory for the CSVs, checkpoints/ and logs/')
  .option('--workers <n>', 'tiles processed in parallel (worker threads)', positiveInt, 1)
  .option('--min-ks <n>', 'keep sources with MORE than N Ks detections', positiveInt, 20)
  .option('--retry-failed', 'try tiles recorded as failed again', false)
  .option('--tile-pattern <glob>', 'tile file-name pattern', 'n*_*.hdf5')
  .option('--layout <layout>', 'flat | nested (<3 digits>/<3 digits>/<id>.csv)', 'flat')
  .option('--shard <i/n>', 'process shard i of n (default: SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT)')
  .option('--durability <mode>', 'syncfs | fsync | none', 'syncfs')
  .option('--quiet', 'no progress output on the terminal', false)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

async function main(): Promise<number> {
  const usage = parseCommandLine(program);
  if (usage !== undefined) return usage;
  const opts = program.opts();
  if (opts.layout !== 'flat' && opts.layout !== 'nested') {
    process.stderr.write(`virac-extract: --layout must be flat or nested, got "${opts.layout}"\n`);
    return 2;
  }
  if (!['syncfs', 'fsync', 'none'].includes(opts.durability)) {
    process.stderr.write(`virac-extract: --durability must be syncfs, fsync or none, got "${opts.durability}"\n`);
    return 2;
  }
  let shard;
  try {
    shard = opts.shard ? parseShard(opts.shard) : shardFromEnvironment(process.env);
  } catch (error) {
    process.stderr.write(`virac-extract: ${(error as Error).message}\n`);
    return 2;
  }
  const outputDir = path.resolve(opts.outputDir);
  const logFile = path.join(outputDir, 'logs', `extraction_${timestampForFile()}${shard ? `_shard${shard.index}` : ''}.log`);
  const tty = process.stderr.isTTY === true && !opts.quiet;
  // JSON log lines go to the log file; a terminal gets a progress bar and
  // anything else (a SLURM .out file) one readable line per event.
  const logger = createLogger(logFile, false);
  const plain = !tty && !opts.quiet;
  const say = (text: string) => process.stderr.write(`${new Date().toISOString()} ${text}\n`);

  const controller = new AbortController();
  let stopSignal: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopSignal) {
      process.stderr.write(`\nvirac-extract: second ${sig}, exiting now (rerun to resume)\n`);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
    stopSignal = sig;
    logger.warn({ signal: sig }, 'stop requested: finishing cleanly (current tiles abandoned, claims released)');
    if (plain) say(`virac-extract: ${sig}: stopping cleanly (current tiles abandoned, their claims released)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const bar = tty
    ? new cliProgress.SingleBar(
        { format: 'tiles {bar} {value}/{total} | failed {failed} | {valid} light curves | {rate} tiles/min | ETA {eta_h}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let startDone = 0;
  const onProgress = (p: ExtractProgress) => {
    const done = p.tilesDone + p.tilesFailed;
    if (p.event === 'start') {
      startDone = done;
      bar?.start(p.tilesTotal, done, { failed: p.tilesFailed, valid: 0, rate: '0.0', eta_h: '?' });
      if (plain) say(`virac-extract: ${p.tilesTotal} tiles, ${p.tilesDone} already complete, ${p.tilesFailed} failed before`);
    } else if (p.event === 'tile-complete' || p.event === 'tile-failed') {
      const perMin = p.elapsedSeconds > 0 ? ((done - startDone) / p.elapsedSeconds) * 60 : 0;
      const eta = perMin > 0 ? formatDuration(((p.tilesTotal - done) / perMin) * 60) : '?';
      bar?.update(done, { failed: p.tilesFailed, valid: p.valid, rate: perMin.toFixed(1), eta_h: eta });
      if (plain) {
        const what = p.event === 'tile-complete' ? `complete, ${p.result?.n_valid}/${p.result?.n_sources} light curves` : `FAILED: ${p.error}`;
        say(`${p.tile} ${what} [${done}/${p.tilesTotal} tiles, ${p.tilesFailed} failed, ${perMin.toFixed(1)} tiles/min, ETA ${eta}]`);
      }
    }
  };
  logger.info({ inputDir: opts.inputDir, outputDir, workers: opts.workers, minKs: opts.minKs, layout: opts.layout, shard, logFile }, 'virac-extract');
  let summary;
  try {
    summary = await extractLightCurves({
      inputDir: path.resolve(opts.inputDir),
      outputDir,
      workers: Math.max(1, opts.workers),
      minKs: opts.minKs,
      retryFailed: opts.retryFailed,
      tilePattern: opts.tilePattern,
      layout: opts.layout,
      shard,
      durability: opts.durability,
      signal: controller.signal,
      logger,
      onProgress,
    });
  } catch (error) {
    bar?.stop();
    logger.error({ error: (error as Error).message }, 'extraction could not run');
    process.stderr.write(`virac-extract: ${(error as Error).message}\n`);
    return 1;
  }
  bar?.stop();
  const out = process.stderr;
  if (!opts.quiet) {
    out.write(
      `virac-extract: ${summary.completed}/${summary.tiles} tiles complete, ${summary.failed} failed, ` +
        `${summary.sources} sources read, ${summary.valid} light curves written in ${formatDuration(summary.elapsedSeconds)}` +
        ` (log: ${path.relative(process.cwd(), logFile)})\n`,
    );
  }
  if (summary.failures.length > 0) {
    out.write(`virac-extract: failed tiles (rerun with --retry-failed after fixing them):\n`);
    for (const f of summary.failures) out.write(`  ${f.tile}: ${f.error}\n`);
  }
  if (stopSignal) {
    out.write(`virac-extract: stopped by ${stopSignal}; ${summary.pending.length} tiles left — rerun the same command to resume\n`);
    return stopSignal === 'SIGINT' ? 130 : 143;
  }
  if (summary.failed > 0) return 3;
  if (summary.pending.length > 0) return 4;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`virac-extract: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
