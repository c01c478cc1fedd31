#!/usr/bin/env node
// Library use of @astro/virac: extract light curves from a directory of
// VIRAC2 tiles, with progress, a clean stop on Ctrl-C, and a plot.
//
//   node extract-light-curves.mjs INPUT_DIR OUTPUT_DIR [WORKERS]
//
// Without arguments it writes two small synthetic tiles first (no downloads).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { extractLightCurves, plotLightCurve, writeSyntheticViracTile } from '@astro/virac';

let [inputDir, outputDir, workers = '1'] = process.argv.slice(2);
if (!inputDir) {
  const work = mkdtempSync(path.join(tmpdir(), 'virac-example-'));
  inputDir = path.join(work, 'tiles');
  outputDir = path.join(work, 'lightcurves');
  for (const hpx of [8535204, 8535205]) {
    await writeSyntheticViracTile(path.join(inputDir, `n1024_${hpx}.hdf5`), { healpix: hpx, sources: 400, epochs: 200, seed: hpx });
  }
}

// Ctrl-C / SIGTERM: tiles in progress stop between batches, their claims are
// released and nothing half-written is left under a final name.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

const summary = await extractLightCurves({
  inputDir,
  outputDir,
  workers: Number(workers),
  minKs: 20,
  layout: 'flat',
  signal: controller.signal,
  onProgress: (p) => {
    if (p.event === 'tile-complete' || p.event === 'tile-failed') {
      console.log(`${p.tile}: ${p.event === 'tile-complete' ? `${p.result?.n_valid} light curves` : p.error} [${p.tilesDone + p.tilesFailed}/${p.tilesTotal}]`);
    }
  },
});
console.log(JSON.stringify({ ...summary, failures: summary.failures.length }, null, 2));

const first = readdirSync(outputDir).find((n) => n.endsWith('.csv'));
if (first) {
  const png = path.join(outputDir, '..', first.replace('.csv', '.png'));
  writeFileSync(png, await plotLightCurve(readFileSync(path.join(outputDir, first), 'utf8'), { title: first }));
  console.log(`plot: ${png}`);
}
process.exitCode = summary.failed > 0 ? 3 : 0;
