#!/usr/bin/env node
/** virac-monitor: watch an extraction from its checkpoint files (never scans the CSVs). */
import { Command, InvalidArgumentError } from 'commander';
import { readExtractionStatus, type ExtractionStatus } from '../index.js';
import { formatDuration, parseCommandLine } from './shared.js';

function seconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  return n;
}

const program = new Command('virac-monitor')
  .description('Show the progress of a virac-extract job from its checkpoint files.')
  .requiredOption('--output-dir <dir>', 'the extraction output directory')
  .option('--watch', 'refresh until the job is finished (Ctrl-C to leave)', false)
  .option('--interval <s>', 'refresh interval in seconds', seconds, 30)
  .option('--json', 'print the status as JSON', false)
  .exitOverride();

function render(s: ExtractionStatus): string {
  const lines = [
    `tiles      ${s.completedTiles}/${s.totalTiles} complete, ${s.failedTiles} failed, ${s.inProgress.length} in progress (${s.percentComplete.toFixed(1)}%)`,
    `sources    ${s.sources} read, ${s.validSources} light curves`,
    `rate       ${s.tilesPerHour === undefined ? '?' : s.tilesPerHour.toFixed(1)} tiles/hour, ETA ${s.etaSeconds === undefined ? '?' : formatDuration(s.etaSeconds)}`,
    `updated    ${s.lastUpdate ?? 'never'}`,
  ];
  for (const c of s.inProgress.slice(0, 10)) lines.push(`  working  ${c.tile} (${c.owner} since ${c.since})`);
  if (s.inProgress.length > 10) lines.push(`  ... ${s.inProgress.length - 10} more in progress`);
  for (const f of s.failures.slice(0, 20)) lines.push(`  FAILED   ${f.tile}: ${f.error}`);
  if (s.failures.length > 20) lines.push(`  ... ${s.failures.length - 20} more failures`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const usage = parseCommandLine(program);
  if (usage !== undefined) return usage;
  const opts = program.opts();
  for (;;) {
    let status: ExtractionStatus;
    try {
      status = await readExtractionStatus(opts.outputDir);
    } catch (error) {
      process.stderr.write(`virac-monitor: ${(error as Error).message}\n`);
      return 1;
    }
    const text = opts.json ? JSON.stringify(status, null, 2) : render(status);
    if (opts.watch && !opts.json && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
    process.stdout.write(`${opts.watch && !opts.json ? `${new Date().toISOString()}\n` : ''}${text}\n`);
    const finished = status.totalTiles > 0 && status.completedTiles + status.failedTiles >= status.totalTiles;
    if (!opts.watch || finished) return 0;
    await new Promise((r) => setTimeout(r, opts.interval * 1000));
  }
}

main().then((code) => process.exit(code));
