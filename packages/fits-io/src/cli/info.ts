/**
 * `fits-info FILE... [--json]`: the HDU table of each file, as astropy's
 * `fitsinfo` prints it.
 *
 * ```
 * $ fits-info img_u8.fits
 * Filename: img_u8.fits
 * No.    Name      Ver    Type      Cards   Dimensions   Format
 *   0  PRIMARY       1 PrimaryHDU       6   (64, 32)   uint8
 * ```
 *
 * Exit codes: 0 all files read, 1 a file could not be read, 2 usage.
 */
import { parseArgs } from 'node:util';
import { describeFits, formatFitsInfo, readFits } from '../index.js';

const USAGE = 'usage: fits-info FILE... [--json]\nList the HDUs of FITS files (like astropy fitsinfo); --json prints JSON instead of the table.';

/** Run `fits-info` with `args` (default: the process arguments); resolves to the exit code. */
export async function runFitsInfo(args: string[] = process.argv.slice(2)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`fits-info: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    console.error(`fits-info: no FITS file given\n${USAGE}`);
    return 2;
  }
  const json = parsed.values.json === true;
  let failed = false;
  for (const file of files) {
    try {
      const fits = await readFits(file);
      const rows = describeFits(fits);
      const warnings = fits.warnings.map((w) => w.message);
      console.log(json ? JSON.stringify({ file, hdus: rows, warnings }) : formatFitsInfo(file, rows));
      for (const w of json ? [] : warnings) console.error(`fits-info: ${file}: warning: ${w}`);
    } catch (error) {
      failed = true;
      console.error(`fits-info: ${(error as Error).message}`);
    }
  }
  return failed ? 1 : 0;
}
