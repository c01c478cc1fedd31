/**
 * ../shared/data/gwf/synthetic: FrameL-written pairs holding the same samples
 * under two compressions (codes 1/8, 3/5, 3/8 ...). Both must decode to the
 * same bits, and the stored codes must be the advertised ones.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GwfFile } from '@astro/gwf';
import type { GwfSamples } from '@astro/gwf';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const dir = sharedData('gwf/synthetic');

const PAIRS: [string, string, number, number][] = [
  ['syn-f32-c1', 'syn-f32-c8', 0x101, 0x108],
  ['syn-f64-c1', 'syn-f64-c8', 0x101, 0x100],
  ['syn-i16-c3', 'syn-i16-c6', 0x103, 0x105],
  ['syn-i32-c3', 'syn-i32-c8', 0x103, 0x108],
];

function bytes(a: GwfSamples): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

describe.skipIf(!dir)(dir ? 'synthetic compression pairs' : missingDataMessage('gwf/synthetic'), () => {
  for (const [a, b, codeA, codeB] of PAIRS) {
    it(`${a} and ${b} decode to identical samples`, async () => {
      const fa = await GwfFile.open(path.join(dir!, `${a}.gwf`), { verifyChecksums: true });
      const fb = await GwfFile.open(path.join(dir!, `${b}.gwf`), { verifyChecksums: true });
      try {
        expect(fa.channelNames()).toEqual(fb.channelNames());
        expect(fa.frames.length).toBe(2);
        let n = 0;
        for (let f = 0; f < fa.frames.length; f++) {
          for (const name of fa.channelNames()) {
            const x = await fa.readChannel(name, f);
            const y = await fb.readChannel(name, f);
            expect(x.vector.compress, `${a} ${name}`).toBe(codeA);
            expect(y.vector.compress, `${b} ${name}`).toBe(codeB);
            expect(x.vector.nData).toBe(1024);
            expect(bytes(y.data as GwfSamples)).toEqual(bytes(x.data as GwfSamples));
            // not trivially constant
            const arr = Array.from(x.data as ArrayLike<number>);
            expect(new Set(arr).size).toBeGreaterThan(10);
            n++;
          }
        }
        expect(n).toBe(6);
        expect((await fa.verifyFileChecksum()).ok).toBe(true);
        expect((await fb.verifyFileChecksum()).ok).toBe(true);
      } finally {
        await fa.close();
        await fb.close();
      }
    });
  }
});
