#!/usr/bin/env node
/** gwf-dump FILE... [--json] [--channel NAME] [--verify]: like FrDump. */
import { Command } from 'commander';
import { dumpGwf, formatGwfDump } from '../index.js';

const program = new Command();
program
  .name('gwf-dump')
  .description('Print header, frames and per-channel statistics of GWF frame files')
  .argument('<files...>', 'frame files')
  .option('--json', 'print JSON (one document with every file)')
  .option('-c, --channel <name...>', 'only these channels')
  .option('--verify', 'verify structure and file checksums')
  .action(async (files: string[], opts: { json?: boolean; channel?: string[]; verify?: boolean }) => {
    const results: unknown[] = [];
    let failed = 0;
    for (const file of files) {
      try {
        const d = await dumpGwf(file, { channels: opts.channel, verifyChecksums: opts.verify });
        if (opts.json) results.push(d);
        else console.log(formatGwfDump(d));
        if (d.fileChecksum && !d.fileChecksum.ok) failed++;
      } catch (error) {
        failed++;
        const message = error instanceof Error ? error.message : String(error);
        if (opts.json) results.push({ file, error: message });
        console.error(message);
      }
    }
    if (opts.json) {
      console.log(JSON.stringify(results, (_k, v) => (typeof v === 'bigint' ? v.toString() : Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v), 2));
    }
    process.exitCode = failed ? 1 : 0;
  });

await program.parseAsync(process.argv);
