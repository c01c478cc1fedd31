#!/usr/bin/env node
/** fits-header FILE [--hdu N|NAME] [--key K]: print header cards (or one keyword's value). */
import { Command } from 'commander';
import { formatHeaderCards, readFits } from '../index.js';

const program = new Command()
  .name('fits-header')
  .description('Print the header cards of FITS HDUs as stored (80-character card images), or the cards of one keyword')
  .argument('<file>', 'FITS file')
  .option('--hdu <n>', 'HDU index or EXTNAME (default: all HDUs)')
  .option('--key <keyword>', 'print only this keyword (HIERARCH names without the prefix); exit 1 when absent')
  .action(async (file: string, opts: { hdu?: string; key?: string }) => {
    try {
      const fits = await readFits(file);
      const hdus = opts.hdu === undefined ? fits.hdus : [fits.hdu(/^\d+$/.test(opts.hdu) ? Number(opts.hdu) : opts.hdu)];
      let missing = false;
      for (const hdu of hdus) {
        if (hdus.length > 1) console.log(`# HDU ${hdu.index} in ${file}:`);
        if (opts.key !== undefined) {
          const wanted = opts.key.toUpperCase().replace(/^HIERARCH /, '');
          const picked = hdu.header.cards.map((c, i) => [c, hdu.header.images?.[i]] as const).filter(([c]) => c.key.toUpperCase() === wanted);
          const cards = picked.map(([c]) => c);
          if (cards.length === 0) {
            missing = true;
            console.error(`fits-header: ${file}: HDU ${hdu.index}: no keyword ${opts.key}`);
          }
          console.log(formatHeaderCards(cards, hdu.header.images ? picked.map(([, image]) => image!) : undefined));
        } else {
          console.log(formatHeaderCards(hdu.header.cards, hdu.header.images));
        }
      }
      if (missing) process.exitCode = 1;
    } catch (error) {
      console.error(`fits-header: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  });

await program.parseAsync();
