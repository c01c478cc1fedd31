import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GwfFile, writeGwf } from '@astro/gwf';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { makeFrames } from './support/synthetic.js';

const ref = sharedData('gwf');
const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-content-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!ref)(ref ? 'frame content beyond channels' : missingDataMessage('gwf'), () => {
  it('FrDetector of the LOSC file (FrameCPP) is LIGO Hanford', async () => {
    const g = await GwfFile.open(path.join(ref!, 'H-H1_LOSC_4_V2-1126259446-32.gwf'));
    const { detectors, skipped } = await g.readFrame(0);
    await g.close();
    expect(detectors).toHaveLength(1);
    const d = detectors[0];
    expect(d.name).toBe('LHO_4k');
    expect(d.prefix).toBe('H1');
    expect((d.latitude * 180) / Math.PI).toBeCloseTo(46.455, 3);
    expect((d.longitude * 180) / Math.PI).toBeCloseTo(-119.408, 3);
    expect(d.armXmidpoint).toBeCloseTo(1997.54, 2);
    expect(skipped).toEqual([]);
  });

  it('libframe-test: history, FrSerData, and the structures this reader skips by length', async () => {
    const g = await GwfFile.open(path.join(ref!, 'libframe-test.gwf'));
    const f = await g.readFrame(0);
    const later = await g.readFrame(2);
    await g.close();
    // FrStatData (static data) is written once, with the first frame.
    expect(later.skipped.sort()).toEqual(['FrEvent', 'FrMsg', 'FrSimEvent', 'FrSummary', 'FrTable']);
    expect(f.history.length).toBe(2);
    expect(f.detectors.map((d) => [d.name, d.localTime])).toEqual([['demo', 3600]]);
    expect(f.channels.filter((c) => c.record.kind === 'ser').map((c) => c.record.serData)).toEqual(['sms data are here']);
    expect(f.skipped.sort()).toEqual(['FrEvent', 'FrMsg', 'FrSimEvent', 'FrStatData', 'FrSummary', 'FrTable']);
    expect(f.channels.filter((c) => c.record.name === 'sim1')).toHaveLength(2);
  });
});

it('FrEndOfFrame that disagrees with its FrameH is reported', async () => {
  const file = path.join(tmp, 'eof.gwf');
  await writeGwf(file, makeFrames(2, 1e9, 1, () => [{ name: 'A', data: new Float32Array(8), sampleRate: 8 }]), { checksums: false });
  const b = readFileSync(file);
  // Find frame 1's FrEndOfFrame: class 6 in our writer; its body starts with run (int32) then frame (uint32).
  const g = await GwfFile.open(file);
  const start = g.frames[1].offset;
  await g.close();
  let pos = start;
  while (b[pos + 9] !== 6) pos += Number(b.readBigUInt64LE(pos));
  b.writeUInt32LE(7, pos + 14 + 4);
  const bad = path.join(tmp, 'eof-bad.gwf');
  writeFileSync(bad, b);
  const g2 = await GwfFile.open(bad);
  try {
    await expect(g2.readFrame(1)).rejects.toThrow(/frame 1, FrEndOfFrame \(byte \d+\): FrEndOfFrame says run 0 frame 7 but FrameH says run 0 frame 1/);
    expect((await g2.readFrame(0)).channels).toHaveLength(1);
  } finally {
    await g2.close();
  }
});
