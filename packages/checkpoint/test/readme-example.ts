import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpointStore, readCheckpoint } from '@astro/checkpoint';

// Stand-in for the real work: write the outputs durably, then return the stats.
async function extractTile(id: string): Promise<{ nSources: number; nValid: number }> {
  if (id === 'n1024_10095042') throw new Error(`HDF5: ${id}.hdf5: truncated file`);
  return { nSources: 257, nValid: 12 };
}

const dir = await mkdtemp(join(tmpdir(), 'checkpoints-'));
const tiles = ['n1024_8535204', 'n1024_8366211', 'n1024_10095042'];

// Every worker process (any host sharing `dir`) runs this same loop.
const store = await openCheckpointStore(dir); // completed_tiles.json, failed_tiles.json, progress.json
await store.setTotal(tiles.length);
try {
  for (let id = await store.claimNext(tiles); id !== undefined; id = await store.claimNext(tiles)) {
    try {
      const { nSources, nValid } = await extractTile(id);
      await store.complete(id, { n_sources: nSources, n_valid: nValid });
    } catch (error) {
      await store.fail(id, error instanceof Error ? error.message : String(error));
    }
  }
} finally {
  await store.close(); // releases claims still held (e.g. after an exception)
}

// A monitor reads without taking the lock.
const { progress, failed } = await readCheckpoint(dir);
console.log(progress.processed, progress.total, progress.sums, [...failed.keys()]);
// -> 3 3 { total_sources: 514, valid_sources: 24 } [ 'n1024_10095042' ]
