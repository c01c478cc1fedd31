#!/usr/bin/env node
/** fits-info FILE...: the HDU table of each file, as astropy's fitsinfo prints it. */
import { Command } from 'commander';
import { describeFits, formatFitsInfo, readFits } from '../index.js';

const program = new Command()
  .name('fits-info')
  .description('List the HDUs of FITS files (like astropy fitsinfo)')
  .argument('<files...>', 'FITS files')
  .option('--json', 'print JSON instead of the table')
  .action(async (files: string[], opts: { json?: boolean }) => {
    let failed = false;
    for (const file of files) {
      try {
        const fits = await readFits(file);
        const rows = describeFits(fits);
        console.log(opts.json ? JSON.stringify({ file, hdus: rows, warnings: fits.warnings }) : formatFitsInfo(file, rows));
        for (const w of opts.json ? [] : fits.warnings) console.error(`fits-info: ${file}: warning: ${w}`);
      } catch (error) {
        failed = true;
        console.error(`fits-info: ${(error as Error).message}`);
      }
    }
    if (failed) process.exitCode = 1;
  });

await program.parseAsync();
