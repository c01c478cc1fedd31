import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTile, writeSyntheticViracTile } from '@astro/virac';
import { csvDigests, listFiles, tempDir } from './helpers.js';

describe('extractTile durability modes', () => {
  const tile = path.join(tempDir('durability-in'), 'n1024_6100000.hdf5');

  for (const layout of ['flat', 'nested'] as const) {
    it(`syncfs and fsync write the same CSVs as none, no temporary files left (${layout})`, async () => {
      await writeSyntheticViracTile(tile, { healpix: 6100000, sources: 200, epochs: 80, seed: 61 });
      const outputs = new Map<string, string>();
      for (const durability of ['none', 'syncfs', 'fsync'] as const) {
        const out = tempDir(`durability-${durability}`);
        const r = await extractTile(tile, out, { durability, layout });
        expect(r.written).toBe(r.n_valid);
        expect(r.n_valid).toBeGreaterThan(50);
        expect(listFiles(out).every((f) => f.endsWith('.csv'))).toBe(true);
        outputs.set(durability, out);
      }
      const reference = csvDigests(outputs.get('none')!);
      expect(reference.size).toBeGreaterThan(50);
      expect(csvDigests(outputs.get('syncfs')!)).toEqual(reference);
      expect(csvDigests(outputs.get('fsync')!)).toEqual(reference);
    });
  }
});
