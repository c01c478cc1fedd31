import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTempFileName } from '@astro/core';
import { extractLightCurves } from '@astro/virac';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { listFiles, sha256, tempDir } from './helpers.js';

const data = sharedData('virac');
if (!data) console.warn(missingDataMessage('virac'));

/** expected/manifest.tsv: sourceid -> { rows, sha256 } */
function manifest(): Map<string, { rows: number; sha256: string }> {
  const lines = readFileSync(path.join(data!, 'expected', 'manifest.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(
    lines.map((l) => {
      const [id, rows, digest] = l.split('\t');
      return [id, { rows: Number(rows), sha256: digest }];
    }),
  );
}

describe.skipIf(!data)('VIRAC conformance with the reference extraction (../shared/data/virac)', () => {
  let out: string;
  let summary: Awaited<ReturnType<typeof extractLightCurves>>;
  beforeAll(async () => {
    out = tempDir('conformance');
    summary = await extractLightCurves({ inputDir: path.join(data!, 'tiles'), outputDir: out, durability: 'none' });
  });

  it('completes every tile', () => {
    expect(summary.tiles).toBe(3);
    expect(summary.completed).toBe(3);
    expect(summary.failed).toBe(0);
    expect(summary.failures).toEqual([]);
  });

  it('writes exactly the light curves of the manifest, byte-identical (sha256 and row count)', () => {
    const expected = manifest();
    const written = readdirSync(out).filter((n) => n.endsWith('.csv'));
    expect(written.length).toBe(expected.size);
    expect(summary.valid).toBe(expected.size);
    const mismatches: string[] = [];
    for (const [id, e] of expected) {
      const file = path.join(out, `${id}.csv`);
      const text = readFileSync(file, 'utf8');
      const rows = text.split('\n').length - 2;
      if (rows !== e.rows || sha256(file) !== e.sha256) mismatches.push(`${id} (rows ${rows} vs ${e.rows})`);
    }
    expect(mismatches).toEqual([]);
  });

  it('matches the full expected CSVs (the edge sources) byte for byte', () => {
    const dir = path.join(data!, 'expected');
    const files = readdirSync(dir).filter((n) => n.endsWith('.csv'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) expect(readFileSync(path.join(out, f), 'utf8')).toBe(readFileSync(path.join(dir, f), 'utf8'));
  });

  it('leaves only CSVs, checkpoints/ and logs/ in the output directory', () => {
    const entries = listFiles(out);
    expect(entries.filter(isTempFileName)).toEqual([]);
    expect(entries.filter((e) => !e.endsWith('.csv') && !e.startsWith('checkpoints/') && !e.startsWith('logs/'))).toEqual([]);
  });

  it('records the seed-layout checkpoint files', () => {
    const completed = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'completed_tiles.json'), 'utf8'));
    expect([...completed.completed].sort()).toEqual(['n1024_10095042', 'n1024_8366211', 'n1024_8535204']);
    const stats = completed.stats.n1024_8535204;
    expect(stats.n_valid).toBe([...manifest().keys()].filter((k) => k.startsWith('8535204')).length);
    expect(typeof stats.timestamp).toBe('string');
    const progress = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'progress.json'), 'utf8'));
    expect(progress.total_tiles).toBe(3);
    expect(progress.processed_tiles).toBe(3);
    expect(progress.valid_sources).toBe(manifest().size);
    expect(progress.percent_complete).toBe(100);
  });

  it('nested layout puts <id>.csv under <3 digits>/<3 digits>/ with the same bytes', async () => {
    const nested = tempDir('nested');
    await extractLightCurves({ inputDir: path.join(data!, 'tiles'), outputDir: nested, layout: 'nested', durability: 'none', tilePattern: 'n1024_8535204.hdf5' });
    const f = path.join(nested, '853', '520', '8535204000254.csv');
    expect(readFileSync(f, 'utf8')).toBe(readFileSync(path.join(data!, 'expected', '8535204000254.csv'), 'utf8'));
  });
});
