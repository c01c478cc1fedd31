import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTempFileName, seededRandom } from '@astro/core';
import { extractLightCurves, openViracTile, ViracTileError, writeSyntheticViracTile } from '@astro/virac';
import { csvDigests, listFiles, tempDir } from './helpers.js';

/** Reproducible junk bytes. */
function junk(n: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  return out;
}

describe('bad tiles are recorded as failed while the rest completes', () => {
  let input: string;
  let reference: Map<string, string>;
  beforeAll(async () => {
    input = tempDir('bad-in');
    // Two good tiles.
    await writeSyntheticViracTile(path.join(input, 'n1024_1000001.hdf5'), { healpix: 1000001, sources: 300, epochs: 120, seed: 1 });
    await writeSyntheticViracTile(path.join(input, 'n1024_1000002.hdf5'), { healpix: 1000002, sources: 300, epochs: 120, seed: 2 });
    // Hostile ones.
    const good = path.join(input, 'n1024_1000001.hdf5');
    copyFileSync(good, path.join(input, 'n1024_2000001.hdf5'));
    truncateSync(path.join(input, 'n1024_2000001.hdf5'), Math.floor(readFileSync(good).length / 2));
    writeFileSync(path.join(input, 'n1024_2000002.hdf5'), junk(50_000, 7));
    await writeSyntheticViracTile(path.join(input, 'n1024_2000003.hdf5'), { healpix: 2000003, sources: 50, epochs: 40, corrupt: 'missing-group' });
    await writeSyntheticViracTile(path.join(input, 'n1024_2000004.hdf5'), { healpix: 2000004, sources: 50, epochs: 40, corrupt: 'short-vlen' });
    await writeSyntheticViracTile(path.join(input, 'n1024_2000005.hdf5'), { healpix: 2000005, sources: 50, epochs: 40, corrupt: 'epoch-out-of-range' });
    await writeSyntheticViracTile(path.join(input, 'n1024_2000006.hdf5'), { healpix: 2000006, sources: 50, epochs: 40, corrupt: 'mismatched-row' });
    // Reference output of the good tiles alone.
    const refIn = tempDir('bad-ref-in');
    for (const t of ['n1024_1000001.hdf5', 'n1024_1000002.hdf5']) copyFileSync(path.join(input, t), path.join(refIn, t));
    const refOut = tempDir('bad-ref-out');
    await extractLightCurves({ inputDir: refIn, outputDir: refOut, durability: 'none' });
    reference = csvDigests(refOut);
  });

  it('names the tile and the problem for each kind of damage', async () => {
    const cases: [string, RegExp][] = [
      ['n1024_2000001.hdf5', /n1024_2000001.*(HDF5|open|truncat)/i],
      ['n1024_2000002.hdf5', /n1024_2000002.*(HDF5|open|signature)/i],
      ['n1024_2000003.hdf5', /n1024_2000003.*missing group \/catIndex/],
      ['n1024_2000004.hdf5', /n1024_2000004.*\/timeSeries\/hfad_mag has 40 rows but \/sourceList\/sourceid has 50/],
      ['n1024_2000005.hdf5', /n1024_2000005.*source row \d+: \/timeSeries\/catindexid refers to epoch 45, outside the 40 epochs/],
      ['n1024_2000006.hdf5', /n1024_2000006.*source row \d+: \/timeSeries\/hfad_mag has \d+ values but \/timeSeries\/catindexid has \d+/],
    ];
    for (const [file, pattern] of cases) {
      const attempt = async () => {
        const tile = await openViracTile(path.join(input, file));
        try {
          tile.readSources(0, tile.sourceCount);
        } finally {
          tile.close();
        }
      };
      await expect(attempt(), file).rejects.toThrow(pattern);
      await expect(attempt(), file).rejects.toBeInstanceOf(ViracTileError);
    }
  });

  it('completes the good tiles, lists the bad ones in failed_tiles.json, and --retry-failed fixes them', async () => {
    const out = tempDir('bad-out');
    const summary = await extractLightCurves({ inputDir: input, outputDir: out, durability: 'none' });
    expect(summary.completed).toBe(2);
    expect(summary.failed).toBe(6);
    const failed = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'failed_tiles.json'), 'utf8')).failed;
    expect(Object.keys(failed).sort()).toEqual(['n1024_2000001', 'n1024_2000002', 'n1024_2000003', 'n1024_2000004', 'n1024_2000005', 'n1024_2000006']);
    for (const [id, f] of Object.entries(failed) as [string, { error: string; timestamp: string }][]) {
      expect(f.error).toContain(id);
      expect(typeof f.timestamp).toBe('string');
    }
    // Good tiles' outputs are exactly what they give alone; no temporary file anywhere.
    const digests = csvDigests(out);
    expect(digests).toEqual(reference);
    expect(listFiles(out).filter(isTempFileName)).toEqual([]);

    // A rerun without --retry-failed leaves failed tiles alone.
    const again = await extractLightCurves({ inputDir: input, outputDir: out, durability: 'none' });
    expect(again.failed).toBe(6);
    expect(again.sources).toBe(0);

    // Fix one tile, retry: it completes and leaves the failed list.
    rmSync(path.join(input, 'n1024_2000003.hdf5'));
    await writeSyntheticViracTile(path.join(input, 'n1024_2000003.hdf5'), { healpix: 2000003, sources: 50, epochs: 40 });
    const retried = await extractLightCurves({ inputDir: input, outputDir: out, durability: 'none', retryFailed: true });
    expect(retried.completed).toBe(3);
    expect(retried.failed).toBe(5);
    const failedAfter = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'failed_tiles.json'), 'utf8')).failed;
    expect(failedAfter.n1024_2000003).toBeUndefined();
    const completed = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'completed_tiles.json'), 'utf8'));
    expect(completed.completed).toContain('n1024_2000003');
  });

  it('a missing input directory is a clear error', async () => {
    await expect(extractLightCurves({ inputDir: path.join(input, 'nope'), outputDir: tempDir('x') })).rejects.toThrow(/cannot list the input directory .*nope/);
  });
});

describe('reruns', () => {
  it('do not rewrite complete CSVs and replace leftover temporary files', async () => {
    const input = tempDir('rerun-in');
    await writeSyntheticViracTile(path.join(input, 'n1024_3000001.hdf5'), { healpix: 3000001, sources: 200, epochs: 100, seed: 3 });
    const out = tempDir('rerun-out');
    await extractLightCurves({ inputDir: input, outputDir: out, durability: 'none' });
    const before = csvDigests(out);
    const csvs = [...before.keys()];
    expect(csvs.length).toBeGreaterThan(10);
    // Simulate a run killed mid-tile: checkpoints gone, one CSV missing with a
    // half-written temporary file in its place, another CSV untouched.
    rmSync(path.join(out, 'checkpoints'), { recursive: true });
    const victim = path.join(out, csvs[0]);
    const content = readFileSync(victim, 'utf8');
    rmSync(victim);
    writeFileSync(`${victim}.astro-tmp-n1024_3000001`, content.slice(0, 40));
    const keep = path.join(out, csvs[1]);
    writeFileSync(keep, readFileSync(keep)); // same bytes, new mtime
    const mtime = (await import('node:fs')).statSync(keep).mtimeMs;
    const summary = await extractLightCurves({ inputDir: input, outputDir: out, durability: 'none' });
    expect(summary.completed).toBe(1);
    expect(csvDigests(out)).toEqual(before);
    expect((await import('node:fs')).statSync(keep).mtimeMs).toBe(mtime);
    expect(listFiles(out).filter(isTempFileName)).toEqual([]);
    expect(existsSync(victim)).toBe(true);
  });

  it('sweeps stray temporary files once every tile is complete', async () => {
    const input = tempDir('sweep-in');
    await writeSyntheticViracTile(path.join(input, 'n1024_3000002.hdf5'), { healpix: 3000002, sources: 100, epochs: 60, seed: 4 });
    const out = tempDir('sweep-out');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, '9999999000001.csv.astro-tmp-n1024_1234'), 'partial');
    await extractLightCurves({ inputDir: input, outputDir: out, durability: 'none' });
    expect(listFiles(out).filter(isTempFileName)).toEqual([]);
  });
});
