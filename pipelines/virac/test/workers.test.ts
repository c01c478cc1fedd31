import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractLightCurves, writeSyntheticViracTile } from '@astro/virac';
import { csvDigests, tempDir } from './helpers.js';

describe('worker threads', () => {
  it('workers: 3 gives the same output as one thread (in-process, from a host that resolves "source")', async () => {
    const input = tempDir('workers-in');
    for (let t = 0; t < 4; t++) {
      await writeSyntheticViracTile(path.join(input, `n1024_${6000000 + t}.hdf5`), { healpix: 6000000 + t, sources: 300, epochs: 100, seed: 60 + t });
    }
    const one = tempDir('workers-1');
    const three = tempDir('workers-3');
    const a = await extractLightCurves({ inputDir: input, outputDir: one, durability: 'none' });
    const b = await extractLightCurves({ inputDir: input, outputDir: three, durability: 'none', workers: 3 });
    expect(a.completed).toBe(4);
    expect(b.completed).toBe(4);
    expect(b.valid).toBe(a.valid);
    expect(csvDigests(three)).toEqual(csvDigests(one));
  });
});
