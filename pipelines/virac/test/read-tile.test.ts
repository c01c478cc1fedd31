import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterateViracSources, readViracTile } from '@astro/virac';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const tiles = sharedData('virac/tiles');
if (!tiles) console.warn(missingDataMessage('virac/tiles'));

describe.skipIf(!tiles)('reading tiles by row range', () => {
  const file = () => path.join(tiles!, 'n1024_8535204.hdf5');
  it('reads the whole tile and the edge sources at its end', async () => {
    const t = await readViracTile(file());
    expect(t.id).toBe('n1024_8535204');
    expect(t.sources.count).toBe(t.sourceCount);
    expect(t.sources.sourceid[t.sourceCount - 1]).toBe(8535204000257n);
    // The "no detections" edge source has an empty detection list.
    const empties = [...Array(t.sourceCount).keys()].filter((i) => t.sources.detOffsets[i + 1] === t.sources.detOffsets[i]);
    expect(empties.length).toBeGreaterThan(0);
    expect(t.epochs.filter.every((f) => ['Ks', 'Z', 'Y', 'J', 'H'].includes(f))).toBe(true);
  });
  it('batches give the same rows as one read', async () => {
    const whole = await readViracTile(file());
    let seen = 0;
    for await (const { batch } of iterateViracSources(file(), { batchSize: 37 })) {
      for (let i = 0; i < batch.count; i++) {
        const j = batch.start + i;
        expect(batch.sourceid[i]).toBe(whole.sources.sourceid[j]);
        const a = batch.detEpoch.subarray(batch.detOffsets[i], batch.detOffsets[i + 1]);
        const b = whole.sources.detEpoch.subarray(whole.sources.detOffsets[j], whole.sources.detOffsets[j + 1]);
        expect(a).toEqual(b);
        const m1 = batch.mag.subarray(batch.detOffsets[i], batch.detOffsets[i + 1]);
        const m2 = whole.sources.mag.subarray(whole.sources.detOffsets[j], whole.sources.detOffsets[j + 1]);
        expect(m1).toEqual(m2);
      }
      seen += batch.count;
    }
    expect(seen).toBe(whole.sourceCount);
    const part = await readViracTile(file(), { start: 250, end: 258 });
    expect(part.sources.count).toBe(8);
    expect(part.sources.sourceid[0]).toBe(8535204000250n);
  });
});
