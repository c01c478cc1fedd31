#!/usr/bin/env node
/** virac-plot: plot extracted light curves (PNG or SVG by the --out extension). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { csvPath, plotLightCurve } from '../index.js';
import { parseCommandLine } from './shared.js';

const program = new Command('virac-plot')
  .description('Plot light curves written by virac-extract: magnitude against MJD, one colour per band.')
  .requiredOption('--output-dir <dir>', 'the extraction output directory')
  .argument('<sourceid...>', 'source ids to plot')
  .option('--out <file>', 'output file (.png or .svg); with several ids, {id} is replaced by each id', '{id}.png')
  .exitOverride();

async function main(): Promise<number> {
  const usage = parseCommandLine(program);
  if (usage !== undefined) return usage;
  const opts = program.opts();
  const ids = program.args;
  let status = 0;
  for (const id of ids) {
    const csv = [csvPath(opts.outputDir, id, 'flat'), csvPath(opts.outputDir, id, 'nested')].find((p) => existsSync(p));
    if (!csv) {
      process.stderr.write(`virac-plot: no light curve for source ${id} in ${opts.outputDir}\n`);
      status = 1;
      continue;
    }
    let out: string = opts.out.includes('{id}') ? opts.out.replaceAll('{id}', id) : opts.out;
    if (ids.length > 1 && !opts.out.includes('{id}')) out = out.replace(/(\.\w+)?$/, `_${id}$1`);
    const format = path.extname(out).toLowerCase() === '.svg' ? 'svg' : 'png';
    const image = await plotLightCurve(readFileSync(csv, 'utf8'), { format, title: `VIRAC2 source ${id}` });
    writeFileSync(out, image);
    process.stdout.write(`${out}\n`);
  }
  return status;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`virac-plot: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
