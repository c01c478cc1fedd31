#!/usr/bin/env node
/**
 * virac-demo: the embedded default. Writes a few small seeded synthetic
 * VIRAC2-layout tiles, extracts their light curves, prints the summary and
 * plots one light curve. No downloads.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { extractLightCurves, parseLightCurveCsv, plotLightCurve, writeSyntheticViracTile } from '../index.js';
import { formatDuration, parseCommandLine } from './shared.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

const program = new Command('virac-demo')
  .description('Run the VIRAC light-curve extraction end to end on generated sample tiles.')
  .option('--dir <dir>', 'working directory for the sample tiles and outputs', 'virac-demo')
  .option('--tiles <n>', 'number of synthetic tiles', count, 3)
  .option('--sources <n>', 'sources per tile', count, 1500)
  .option('--workers <n>', 'worker threads', count, 2)
  .exitOverride();

async function main(): Promise<number> {
  const usage = parseCommandLine(program);
  if (usage !== undefined) return usage;
  const opts = program.opts();
  const dir = path.resolve(opts.dir);
  const tilesDir = path.join(dir, 'tiles');
  const outDir = path.join(dir, 'lightcurves');
  rmSync(dir, { recursive: true, force: true });
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(`virac-demo: writing ${opts.tiles} synthetic tiles of ${opts.sources} sources to ${tilesDir}`);
  for (let t = 0; t < opts.tiles; t++) {
    const hpx = 8535204 + t * 1337;
    const s = await writeSyntheticViracTile(path.join(tilesDir, `n1024_${hpx}.hdf5`), { healpix: hpx, sources: opts.sources, epochs: 300, seed: 100 + t });
    log(`  n1024_${hpx}.hdf5: ${s.sources} sources, ${s.epochs} epochs, ${s.detections} detections`);
  }
  log(`virac-demo: extracting light curves (min Ks detections > 20, ${opts.workers} workers) into ${outDir}`);
  const summary = await extractLightCurves({
    inputDir: tilesDir,
    outputDir: outDir,
    workers: opts.workers,
    onProgress: (p) => {
      if (p.event === 'tile-complete') log(`  ${p.tile}: ${p.result?.n_valid}/${p.result?.n_sources} light curves (${p.tilesDone}/${p.tilesTotal} tiles)`);
      if (p.event === 'tile-failed') log(`  ${p.tile}: FAILED ${p.error}`);
    },
  });
  log(
    `virac-demo: ${summary.completed}/${summary.tiles} tiles complete, ${summary.failed} failed, ${summary.sources} sources, ` +
      `${summary.valid} light curves in ${formatDuration(summary.elapsedSeconds)} ` +
      `(${Math.round(summary.sources / Math.max(summary.elapsedSeconds, 1e-3))} sources/s)`,
  );
  // Plot the most variable well-sampled light curve (largest Ks spread).
  let best: { id: string; spread: number } | undefined;
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.csv')).slice(0, 2000)) {
    const rows = parseLightCurveCsv(readFileSync(path.join(outDir, name), 'utf8'), path.join(outDir, name)).filter((r) => r.filter === 'Ks' && Number.isFinite(r.mag));
    if (rows.length < 40) continue;
    const mags = rows.map((r) => r.mag).sort((a, b) => a - b);
    const spread = mags[Math.floor(mags.length * 0.95)] - mags[Math.floor(mags.length * 0.05)];
    if (!best || spread > best.spread) best = { id: name.replace(/\.csv$/, ''), spread };
  }
  if (best) {
    const png = path.join(dir, `lightcurve_${best.id}.png`);
    const csv = readFileSync(path.join(outDir, `${best.id}.csv`), 'utf8');
    writeFileSync(png, await plotLightCurve(csv, { title: `VIRAC2 source ${best.id} (synthetic variable)` }));
    log(`virac-demo: plotted ${best.id} -> ${path.relative(process.cwd(), png)}`);
  }
  log(`virac-demo: watch a real job with: pnpm exec virac-monitor --output-dir ${path.relative(process.cwd(), outDir)}`);
  return summary.failed > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`virac-demo: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
