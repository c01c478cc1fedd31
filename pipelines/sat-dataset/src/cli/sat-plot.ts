/**
 * Coverage plot of a day file (channels × time, gaps pale).
 *
 *   sat-plot DAY.h5 [OUT.png] [--channels 40] [--bins 96]
 *
 * Exit codes: 0 written, 1 error.
 *
 * @module
 */
import { Command } from 'commander';
import { writeCoveragePlot } from '../index.js';

const program = new Command('sat-plot')
  .argument('<day.h5>', 'day file written by sat-worker')
  .argument('[out.png]', 'PNG to write (default: next to the day file)')
  .option('--channels <n>', 'at most this many channels', '40')
  .option('--bins <n>', 'time bins', '96')
  .parse();
const [h5, out] = program.args;
const o = program.opts<{ channels: string; bins: string }>();
try {
  const png = await writeCoveragePlot(h5, out ?? h5.replace(/\.h5$/, '.coverage.png'), { maxChannels: Number(o.channels), bins: Number(o.bins) });
  console.log(png);
} catch (error) {
  console.error(`sat-plot: ${(error as Error).message}`);
  process.exitCode = 1;
}
