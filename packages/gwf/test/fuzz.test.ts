/**
 * Seeded corruption fuzzing: flip bytes of a small multi-codec file at many
 * places. Every read must either succeed or throw a GwfFormatError — no other
 * exception, no hang, no runaway allocation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { GwfFile, GwfFormatError, writeGwf } from '@astro/gwf';
import { makeFrames, rng, signal } from './support/synthetic.js';
import { sharedData } from '@astro/test-support/shared-data';

const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function exercise(file: string): Promise<string> {
  const g = await GwfFile.open(file);
  try {
    for (const f of g.frames) {
      await g.readFrame(f.index);
      await g.readFrameData(f.index);
      for (const name of g.channelNames()) if (g.hasChannel(name, f.index)) await g.readChannel(name, f.index);
    }
    await g.listChannels();
    return 'ok';
  } finally {
    await g.close();
  }
}

it('600 corrupted or truncated copies: success or GwfFormatError, nothing else', async () => {
  const src = path.join(tmp, 'src.gwf');
  await writeGwf(
    src,
    makeFrames(2, 1_000_000_000, 1, (f) => [
      { name: 'Z', data: signal(512, f), sampleRate: 512, compression: 'zlib' },
      { name: 'S', kind: 'adc', data: Int16Array.from(signal(512, 5 + f), Math.round), sampleRate: 512, compression: 'zero-suppress' },
      { name: 'I', kind: 'adc', data: Int32Array.from(signal(512, 9 + f), Math.round), sampleRate: 512, compression: 'zero-suppress' },
      { name: 'R', kind: 'sim', data: Float32Array.from(signal(256, 2 + f)), sampleRate: 256, compression: 'raw' },
    ]),
    { checksums: false },
  );
  expect(await exercise(src)).toBe('ok');
  const original = readFileSync(src);
  const r = rng(12345);
  const outcomes = { ok: 0, gwfError: 0 };
  const started = Date.now();
  for (let k = 0; k < 600; k++) {
    let b = Buffer.from(original);
    const flips = 1 + Math.floor(r() * 4);
    for (let i = 0; i < flips; i++) {
      const at = 40 + Math.floor(r() * (b.length - 40));
      b[at] = Math.floor(r() * 256);
    }
    if (k % 5 === 4) b = b.subarray(0, 40 + Math.floor(r() * (b.length - 40))); // truncated as well
    const file = path.join(tmp, `c${k}.gwf`);
    writeFileSync(file, b);
    try {
      await exercise(file);
      outcomes.ok++;
    } catch (error) {
      if (!(error instanceof GwfFormatError)) {
        throw new Error(`case ${k}: ${String(error)} is not a GwfFormatError`, { cause: error });
      }
      expect(error.message).toContain(file);
      outcomes.gwfError++;
    }
    rmSync(file);
  }
  expect(outcomes.ok + outcomes.gwfError).toBe(600);
  expect(outcomes.gwfError).toBeGreaterThan(0);
  expect(Date.now() - started).toBeLessThan(30_000);
});

const ref = sharedData('gwf');
it.skipIf(!ref)('corrupted copies of FrameL / FrameCPP reference files (libframe-test, LOSC, v4): same rule', async () => {
  const r = rng(777);
  let errors = 0;
  for (const name of ['libframe-test.gwf', 'H-H1_LOSC_4_V2-1126259446-32.gwf', 'F-TEST-600000000-60.v4.gwf']) {
    const original = readFileSync(path.join(ref!, name));
    for (let k = 0; k < 120; k++) {
      let b = Buffer.from(original);
      for (let i = 0; i < 1 + Math.floor(r() * 3); i++) b[40 + Math.floor(r() * (b.length - 40))] = Math.floor(r() * 256);
      if (k % 4 === 3) b = b.subarray(0, 40 + Math.floor(r() * (b.length - 40)));
      const file = path.join(tmp, `ref-${k}-${name}`);
      writeFileSync(file, b);
      try {
        await exercise(file);
      } catch (error) {
        if (!(error instanceof GwfFormatError)) throw new Error(`${name} case ${k}: ${String(error)}`, { cause: error });
        errors++;
      }
      rmSync(file);
    }
  }
  expect(errors).toBeGreaterThan(0);
});
