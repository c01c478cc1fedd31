/**
 * Hostile inputs: corrupted copies (in a temp dir) of a small reference file
 * and of files from our writer. Each must fail with a GwfFormatError naming
 * the file, the place and the problem — never a hang, crash or wrong value.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GwfFile, GwfFormatError, writeGwf } from '@astro/gwf';
import type { GwfErrorCode } from '@astro/gwf';
import { sharedData } from '@astro/test-support/shared-data';
import { makeFrames, signal } from './support/synthetic.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ref = sharedData('gwf');

async function expectGwfError(p: Promise<unknown>, code: GwfErrorCode, ...fragments: (string | RegExp)[]): Promise<GwfFormatError> {
  let caught: unknown;
  try {
    await p;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an error').toBeInstanceOf(GwfFormatError);
  const e = caught as GwfFormatError;
  expect(e.code, e.message).toBe(code);
  for (const f of fragments) {
    if (typeof f === 'string') expect(e.message).toContain(f);
    else expect(e.message).toMatch(f);
  }
  return e;
}

/** A small file from our writer: frame 0..2, zlib float64 + zero-suppressed int32. */
async function sample(name: string, options: Parameters<typeof writeGwf>[2] = {}): Promise<string> {
  const file = path.join(tmp, name);
  await writeGwf(
    file,
    makeFrames(3, 1_000_000_000, 1, (f) => [
      { name: 'H1:STRAIN', data: signal(2048, f), sampleRate: 2048, compression: 'zlib' },
      { name: 'H1:ADC', kind: 'adc', data: Int32Array.from(signal(2048, 9 + f), Math.round), sampleRate: 2048, compression: 'zero-suppress' },
    ]),
    options,
  );
  return file;
}

async function vectorOf(file: string, channel: string, frame: number) {
  const g = await GwfFile.open(file);
  try {
    return (await g.readChannel(channel, frame)).vector;
  } finally {
    await g.close();
  }
}

function patch(file: string, out: string, edit: (b: Buffer) => void): string {
  const b = readFileSync(file);
  edit(b);
  writeFileSync(out, b);
  return out;
}

describe('hostile inputs', () => {
  it('bad magic', async () => {
    const src = await sample('magic-src.gwf');
    const bad = patch(src, path.join(tmp, 'magic.gwf'), (b) => b.write('XGWD', 0, 'latin1'));
    await expectGwfError(GwfFile.open(bad), 'GWF_BAD_MAGIC', bad, 'bad magic', 'IGWD');
    const text = path.join(tmp, 'text.gwf');
    writeFileSync(text, 'hello, this is not a frame file at all, not even close to one\n');
    await expectGwfError(GwfFile.open(text), 'GWF_BAD_MAGIC', text);
    const empty = path.join(tmp, 'empty.gwf');
    writeFileSync(empty, '');
    await expectGwfError(GwfFile.open(empty), 'GWF_BAD_MAGIC', empty);
  });

  it('unsupported version and damaged byte-order probe', async () => {
    const src = await sample('ver-src.gwf');
    const v7 = patch(src, path.join(tmp, 'v7.gwf'), (b) => (b[5] = 7));
    await expectGwfError(GwfFile.open(v7), 'GWF_UNSUPPORTED_VERSION', 'version 7', 'supported: 4, 6, 8');
    const probe = patch(src, path.join(tmp, 'probe.gwf'), (b) => (b[12] = 0x99));
    await expectGwfError(GwfFile.open(probe), 'GWF_BAD_MAGIC', 'byte-order probe');
  });

  it('missing file', async () => {
    await expectGwfError(GwfFile.open(path.join(tmp, 'nope.gwf')), 'GWF_IO', 'nope.gwf', 'cannot open');
    await expectGwfError(GwfFile.open(tmp), 'GWF_IO', tmp);
  });

  it('truncated file: the scan names frame and structure', async () => {
    const src = await sample('trunc-src.gwf');
    const full = readFileSync(src);
    const v = await vectorOf(src, 'H1:STRAIN', 1);
    // Cut inside frame 1's FrVect data.
    const cut = path.join(tmp, 'trunc.gwf');
    writeFileSync(cut, full.subarray(0, v.dataOffset + 100));
    const e = await expectGwfError(GwfFile.open(cut), 'GWF_TRUNCATED', cut, 'frame 1', 'FrVect', 'truncated');
    expect(e.location.frame).toBe(1);
    // Cut inside the 40-byte header.
    const head = path.join(tmp, 'head.gwf');
    writeFileSync(head, full.subarray(0, 20));
    await expectGwfError(GwfFile.open(head), 'GWF_TRUNCATED', 'header');
  });

  it('structure with an impossible length', async () => {
    const src = await sample('len-src.gwf');
    const v = await vectorOf(src, 'H1:STRAIN', 0);
    const bad = patch(src, path.join(tmp, 'len.gwf'), (b) => b.writeBigUInt64LE(3n, v.offset));
    const g = await GwfFile.open(bad);
    try {
      await expectGwfError(g.readChannel('H1:STRAIN', 0), 'GWF_BAD_STRUCTURE', 'length 3', 'frame 0');
    } finally {
      await g.close();
    }
  });

  it('zlib vector whose decompressed size disagrees with nData', async () => {
    const src = await sample('ndata-src.gwf');
    const v = await vectorOf(src, 'H1:STRAIN', 2);
    const bad = patch(src, path.join(tmp, 'ndata.gwf'), (b) => b.writeBigUInt64LE(BigInt(v.nData + 1), v.dataOffset - 16));
    const g = await GwfFile.open(bad);
    try {
      const e = await expectGwfError(
        g.readChannel('H1:STRAIN', 2),
        'GWF_BAD_SIZE',
        bad,
        'frame 2, FrVect "H1:STRAIN"',
        'decompresses to 16384 bytes but nData 2049',
      );
      expect(e.location).toMatchObject({ frame: 2, structure: 'FrVect', channel: 'H1:STRAIN' });
      // an absurd nData fails fast instead of allocating it
      const huge = patch(src, path.join(tmp, 'ndata-huge.gwf'), (b) => b.writeBigUInt64LE(1n << 40n, v.dataOffset - 16));
      const gh = await GwfFile.open(huge);
      try {
        await expectGwfError(gh.readChannel('H1:STRAIN', 2), 'GWF_BAD_SIZE', 'frame 2, FrVect "H1:STRAIN"');
      } finally {
        await gh.close();
      }
      const fewer = patch(src, path.join(tmp, 'ndata-less.gwf'), (b) => b.writeBigUInt64LE(BigInt(v.nData - 1), v.dataOffset - 16));
      const gf = await GwfFile.open(fewer);
      try {
        await expectGwfError(gf.readChannel('H1:STRAIN', 2), 'GWF_BAD_SIZE', 'decompresses to more than nData 2047');
      } finally {
        await gf.close();
      }
      // the other frames still read
      expect((await g.readChannel('H1:STRAIN', 1)).data.length).toBe(2048);
    } finally {
      await g.close();
    }
  });

  it('zero-suppressed vector whose stream is too short for nData', async () => {
    const src = await sample('zs-src.gwf');
    const v = await vectorOf(src, 'H1:ADC', 0);
    expect(v.compress).toBe(0x108);
    const bad = patch(src, path.join(tmp, 'zs.gwf'), (b) => b.writeBigUInt64LE(BigInt(v.nData * 2), v.dataOffset - 16));
    const g = await GwfFile.open(bad);
    try {
      await expectGwfError(g.readChannel('H1:ADC', 0), 'GWF_BAD_SIZE', 'frame 0, FrVect "H1:ADC"', 'ends after');
    } finally {
      await g.close();
    }
    const huge = patch(src, path.join(tmp, 'zs-huge.gwf'), (b) => b.writeBigUInt64LE(1n << 28n, v.dataOffset - 16));
    const gh = await GwfFile.open(huge);
    try {
      await expectGwfError(gh.readChannel('H1:ADC', 0), 'GWF_BAD_SIZE', /can hold at most \d+ samples/);
    } finally {
      await gh.close();
    }
    const zero = patch(src, path.join(tmp, 'zs0.gwf'), (b) => b.writeUInt16LE(0, v.dataOffset));
    const g0 = await GwfFile.open(zero);
    try {
      await expectGwfError(g0.readChannel('H1:ADC', 0), 'GWF_BAD_SIZE', 'block size 0');
    } finally {
      await g0.close();
    }
  });

  it('unknown compression code', async () => {
    const src = await sample('comp-src.gwf');
    const v = await vectorOf(src, 'H1:STRAIN', 0);
    const bad = patch(src, path.join(tmp, 'comp.gwf'), (b) => b.writeUInt16LE(0x100 | 42, v.dataOffset - 20));
    const g = await GwfFile.open(bad);
    try {
      await expectGwfError(
        g.readChannel('H1:STRAIN', 0),
        'GWF_UNKNOWN_COMPRESSION',
        'frame 0, FrVect "H1:STRAIN"',
        'compression code 298 (base 42) is not defined (known: 0,1,3,5,6,8,10)',
      );
    } finally {
      await g.close();
    }
  });

  it('unknown vector type', async () => {
    const src = await sample('type-src.gwf');
    const v = await vectorOf(src, 'H1:STRAIN', 0);
    const bad = patch(src, path.join(tmp, 'type.gwf'), (b) => b.writeUInt16LE(99, v.dataOffset - 18));
    const g = await GwfFile.open(bad);
    try {
      await expectGwfError(g.readChannel('H1:STRAIN', 0), 'GWF_UNKNOWN_TYPE', 'vector type 99');
    } finally {
      await g.close();
    }
  });

  it('CRC mismatch is reported when verifying, and the file checksum disagrees', async () => {
    const src = path.join(tmp, 'crc-src.gwf');
    await writeGwf(src, makeFrames(3, 1_000_000_000, 1, (f) => [{ name: 'H1:STRAIN', data: signal(256, f), sampleRate: 256 }]), {
      compression: 'raw',
    });
    const v = await vectorOf(src, 'H1:STRAIN', 1);
    const bad = patch(src, path.join(tmp, 'crc.gwf'), (b) => (b[v.dataOffset + 8] ^= 0x40));
    const g = await GwfFile.open(bad, { verifyChecksums: true });
    try {
      await expectGwfError(g.readChannel('H1:STRAIN', 1), 'GWF_CRC_MISMATCH', bad, 'frame 1, FrVect "H1:STRAIN"', 'checksum mismatch');
      const whole = await g.verifyFileChecksum();
      expect(whole.present).toBe(true);
      expect(whole.ok).toBe(false);
    } finally {
      await g.close();
    }
    // Without verification the (raw) vector reads, and differs in one sample.
    const g2 = await GwfFile.open(bad);
    const good = await GwfFile.open(src);
    try {
      const a = (await g2.readChannel('H1:STRAIN', 1)).data as Float64Array;
      const b = (await good.readChannel('H1:STRAIN', 1)).data as Float64Array;
      expect(a[1]).not.toBe(b[1]);
      expect(a[0]).toBe(b[0]);
    } finally {
      await g2.close();
      await good.close();
    }
  });

  it('channel not in the file / frame out of range', async () => {
    const src = await sample('chan-src.gwf');
    const g = await GwfFile.open(src);
    try {
      await expectGwfError(g.readChannel('L1:NOPE', 0), 'GWF_CHANNEL_NOT_FOUND', src, 'L1:NOPE', 'not in file');
      await expectGwfError(g.readChannel('H1:STRAIN', 7), 'GWF_CHANNEL_NOT_FOUND', 'frame 7 does not exist');
    } finally {
      await g.close();
    }
    await expectGwfError(g.readChannel('H1:STRAIN', 0), 'GWF_IO', 'the file is closed');
    await g.close(); // closing twice is harmless
  });

  it.skipIf(!ref)('corrupted copy of a FrameL file (zero-suppress, v8): garbage words decode or fail, never hang', async () => {
    const copy = path.join(tmp, 'libframe-copy.gwf');
    copyFileSync(path.join(ref!, 'libframe-test.gwf'), copy);
    const g0 = await GwfFile.open(copy);
    const v = (await g0.readChannel('Adc3', 0)).vector;
    await g0.close();
    const bad = patch(copy, path.join(tmp, 'libframe-bad.gwf'), (b) => b.fill(0xff, v.dataOffset + 2, v.dataOffset + v.nBytes));
    const g = await GwfFile.open(bad, { verifyChecksums: true });
    try {
      await expectGwfError(g.readChannel('Adc3', 0), 'GWF_CRC_MISMATCH', 'FrVect "Adc3"');
    } finally {
      await g.close();
    }
    // Without verification the garbage words still decode (in bounded time) to nData
    // samples: only the CRC can tell. Claiming more samples than the stream holds fails.
    const g2 = await GwfFile.open(bad);
    try {
      const started = Date.now();
      expect((await g2.readChannel('Adc3', 0)).data.length).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await g2.close();
    }
    const longer = patch(copy, path.join(tmp, 'libframe-long.gwf'), (b) => b.writeBigUInt64LE(2000n, v.dataOffset - 16));
    const g3 = await GwfFile.open(longer);
    try {
      await expectGwfError(g3.readChannel('Adc3', 0), 'GWF_BAD_SIZE', 'frame 0, FrVect "Adc3"', 'ends after');
    } finally {
      await g3.close();
    }
  });

  it.skipIf(!ref)('v6 frame checksums (FrEndOfFrame) verify, and a flipped sample is caught', async () => {
    const src = path.join(ref!, 'F-TEST-600000000-60.gwf');
    const g = await GwfFile.open(src, { verifyChecksums: true });
    const v = (await g.readChannel('H1:LSC-AS_Q', 3)).vector;
    for (let f = 0; f < g.frames.length; f++) await g.readFrame(f);
    await g.close();
    const bad = patch(src, path.join(tmp, 'ftest-bad.gwf'), (b) => (b[v.dataOffset + 1000] ^= 1));
    const g2 = await GwfFile.open(bad, { verifyChecksums: true });
    try {
      await expectGwfError(g2.readFrame(3), 'GWF_CRC_MISMATCH', 'frame 3, FrEndOfFrame', 'frame checksum mismatch');
      await g2.readFrame(2);
      expect((await g2.verifyFileChecksum()).ok).toBe(false);
    } finally {
      await g2.close();
    }
  });
});
