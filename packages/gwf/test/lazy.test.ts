/**
 * Lazy reading: opening a large file and reading one channel of one frame
 * reads a small fraction of it (counted on fs.readSync, which the reader's
 * positional reads go through).
 */
import fs, { mkdtempSync, rmSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { GwfFile, readChannels, writeGwf } from '@astro/gwf';
import { makeFrames, signal } from './support/synthetic.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function countReads<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number; calls: number }> {
  const original = fs.readSync;
  let bytes = 0;
  let calls = 0;
  fs.readSync = ((...args: Parameters<typeof fs.readSync>) => {
    const n = (original as (...a: unknown[]) => number)(...args);
    bytes += n;
    calls++;
    return n;
  }) as typeof fs.readSync;
  syncBuiltinESMExports();
  try {
    const result = await fn();
    return { result, bytes, calls };
  } finally {
    fs.readSync = original;
    syncBuiltinESMExports();
  }
}

it('one channel of one frame of a 40 MB file reads well under 1 MB', async () => {
  const file = path.join(tmp, 'big.gwf');
  await writeGwf(
    file,
    makeFrames(20, 1_100_000_000, 1, (f) =>
      Array.from({ length: 30 }, (_, c) => ({ name: `X1:C${c}`, data: Float32Array.from(signal(16384, f * 31 + c)), sampleRate: 16384 })),
    ),
    { compression: 'raw' },
  );
  const size = statSync(file).size;
  expect(size).toBeGreaterThan(39e6);
  const { result, bytes, calls } = await countReads(async () => {
    const g = await GwfFile.open(file);
    try {
      return (await g.readChannel('X1:C17', 13)).data.length;
    } finally {
      await g.close();
    }
  });
  expect(result).toBe(16384);
  expect(calls).toBeGreaterThan(0); // the counter sees the reader's reads
  expect(bytes).toBeLessThan(1_000_000);
  // readChannels over 2 s of one channel stays small too
  const two = await countReads(() => readChannels([file], ['X1:C3'], { gpsStart: 1_100_000_005, gpsEnd: 1_100_000_007 }));
  expect(two.result[0].data.length).toBe(2 * 16384);
  expect(two.bytes).toBeLessThan(1_000_000);
});
