/**
 * `fits-header FILE [--hdu N|NAME] [--key K]`: the header cards of FITS HDUs
 * as stored (80-character card images), or the cards of one keyword.
 *
 * ```
 * $ fits-header header_edge.fits --hdu 0 --key "ESO DET CHIP NAME"
 * HIERARCH ESO DET CHIP NAME = 'CCD-1   '
 * ```
 *
 * Exit codes: 0 done, 1 the file could not be read or the keyword is absent, 2 usage.
 */
import { parseArgs } from 'node:util';
import { formatHeaderCards, readFits } from '../index.js';

const USAGE = [
  'usage: fits-header FILE [--hdu N|NAME] [--key KEYWORD]',
  'Print the header cards of FITS HDUs as stored (80-character card images), or the cards of one keyword.',
  '  --hdu N|NAME    HDU index or EXTNAME (default: all HDUs)',
  '  --key KEYWORD   print only this keyword (HIERARCH names without the prefix); exit 1 when absent',
].join('\n');

/** Run `fits-header` with `args` (default: the process arguments); resolves to the exit code. */
export async function runFitsHeader(args: string[] = process.argv.slice(2)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { hdu: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`fits-header: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`fits-header: expected one FITS file, got ${parsed.positionals.length}\n${USAGE}`);
    return 2;
  }
  const [file] = parsed.positionals;
  const { hdu: hduOption, key } = parsed.values;
  try {
    const fits = await readFits(file);
    const hdus = hduOption === undefined ? fits.hdus : [fits.hdu(/^\d+$/.test(hduOption) ? Number(hduOption) : hduOption)];
    let missing = false;
    for (const hdu of hdus) {
      if (hdus.length > 1) console.log(`# HDU ${hdu.index} in ${file}:`);
      if (key !== undefined) {
        const wanted = key.toUpperCase().replace(/^HIERARCH /, '');
        const picked = hdu.header.cards.map((c, i) => [c, hdu.header.images?.[i]] as const).filter(([c]) => c.key.toUpperCase() === wanted);
        const cards = picked.map(([c]) => c);
        if (cards.length === 0) {
          missing = true;
          console.error(`fits-header: ${file}: HDU ${hdu.index}: no keyword ${key}`);
        }
        console.log(formatHeaderCards(cards, hdu.header.images ? picked.map(([, image]) => image!) : undefined));
      } else {
        console.log(formatHeaderCards(hdu.header.cards, hdu.header.images));
      }
    }
    return missing ? 1 : 0;
  } catch (error) {
    console.error(`fits-header: ${(error as Error).message}`);
    return 1;
  }
}
