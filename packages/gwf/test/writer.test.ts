import { existsSync, mkdtempSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GwfFile, GwfWriter, writeGwf } from '@astro/gwf';
import type { GwfCompression, GwfSamples, GwfWriteChannel } from '@astro/gwf';
import { isTempFileName } from '@astro/core';
import { makeFrames, rng, signal } from './support/synthetic.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function channelsOf(frame: number): GwfWriteChannel[] {
  const n = 1024;
  const s = signal(n, 100 + frame);
  const r = rng(7 + frame);
  const i16 = Int16Array.from(s, (v) => Math.round(v * 20));
  i16[5] = -32768; // extreme values exercise wrap-around of the differences
  i16[6] = 32767;
  const i32 = Int32Array.from(s, (v) => Math.round(v * 1e5));
  i32[10] = -2147483648;
  i32[11] = 2147483647;
  const u16 = Uint16Array.from(s, (v) => Math.round(v + 30000));
  const u32 = Uint32Array.from(s, (v) => Math.round((v + 2000) * 1e6));
  const f32 = Float32Array.from(s);
  f32[3] = NaN;
  f32[4] = -Infinity;
  const f64 = Float64Array.from(s, (v) => v * 1e-21);
  const cplx = Float32Array.from({ length: 2 * n }, () => r() - 0.5);
  const i64 = BigInt64Array.from({ length: n }, (_, k) => BigInt(k) * 123456789012n - 5n);
  const u8 = Uint8Array.from({ length: n }, (_, k) => k & 255);
  return [
    { name: 'X1:I16', kind: 'adc', data: i16, sampleRate: n, unit: 'counts', bias: 0.5, slope: 2 },
    { name: 'X1:I32', kind: 'adc', data: i32, sampleRate: n },
    { name: 'X1:U16', data: u16, sampleRate: n },
    { name: 'X1:U32', data: u32, sampleRate: n },
    { name: 'X1:F32', data: f32, sampleRate: n, unit: 'strain' },
    { name: 'X1:F64', kind: 'sim', data: f64, sampleRate: n },
    { name: 'X1:C64', data: cplx, complex: true, sampleRate: n },
    { name: 'X1:I64', data: i64, sampleRate: n },
    { name: 'X1:U8', data: u8, sampleRate: n },
  ];
}

function bits(a: GwfSamples): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

describe('writer round trip', () => {
  const modes: GwfCompression[] = ['raw', 'zlib', 'diff-zlib', 'zero-suppress'];
  for (const mode of modes) {
    it(`${mode}: every type reads back bit for bit, checksums verify`, async () => {
      const file = path.join(tmp, `rt-${mode}.gwf`);
      const frames = makeFrames(3, 1_300_000_000, 1, channelsOf);
      await writeGwf(file, frames, { compression: mode });
      const g = await GwfFile.open(file, { verifyChecksums: true });
      try {
        expect(g.hasToc).toBe(true);
        expect(g.frames.map((f) => f.gpsSeconds)).toEqual([1_300_000_000, 1_300_000_001, 1_300_000_002]);
        expect((await g.verifyFileChecksum()).ok).toBe(true);
        const codes = new Set<number>();
        for (let f = 0; f < 3; f++) {
          for (const c of frames[f].channels) {
            const got = await g.readChannel(c.name, f);
            expect(bits(got.data as GwfSamples), `${mode} ${c.name} frame ${f}`).toEqual(bits(c.data));
            expect(got.data.constructor).toBe(c.data.constructor);
            expect(got.record.sampleRate).toBe(c.sampleRate);
            codes.add(got.vector.compress & 0xff);
          }
        }
        const expectCodes: Record<GwfCompression, number[]> = {
          raw: [0],
          zlib: [0, 1], // 0: random data that zlib cannot shrink is stored raw, as FrameL does
          'diff-zlib': [1, 3],
          'zero-suppress': [0, 1, 5, 8, 10], // 0: the int16/int32 channels hold differences FrameL cannot zero-suppress
        };
        for (const code of codes) expect(expectCodes[mode]).toContain(code);
        if (mode === 'zero-suppress') {
          expect([...codes]).toContain(8);
          expect([...codes]).toContain(10);
        }
        if (mode === 'diff-zlib') expect([...codes]).toContain(3);
        if (mode === 'zlib') expect([...codes]).toContain(1);
      } finally {
        await g.close();
      }
    });
  }

  it('big-endian v8 files (as a big-endian machine writes them) read back bit for bit in every mode', async () => {
    for (const mode of modes) {
      const file = path.join(tmp, `be-${mode}.gwf`);
      const frames = makeFrames(2, 1_300_000_000, 1, channelsOf);
      await writeGwf(file, frames, { compression: mode, byteOrder: 'big' });
      const head = readFileSync(file).subarray(0, 40);
      expect([head[12], head[13]]).toEqual([0x12, 0x34]);
      const g = await GwfFile.open(file, { verifyChecksums: true });
      try {
        expect(g.header.littleEndian).toBe(false);
        expect((await g.verifyFileChecksum()).ok).toBe(true);
        for (let f = 0; f < 2; f++) {
          for (const c of frames[f].channels) {
            const got = await g.readChannel(c.name, f);
            expect(got.vector.compress & 0x100, `${mode} ${c.name}`).toBe(0);
            expect(bits(got.data as GwfSamples), `${mode} ${c.name} frame ${f}`).toEqual(bits(c.data));
          }
          const all = await g.readFrameData(f);
          expect(all.map((c) => c.record.name).sort()).toEqual(frames[f].channels.map((c) => c.name).sort());
        }
      } finally {
        await g.close();
      }
    }
  });

  it('zero-suppress of int16 without extreme differences uses code 5 and round-trips', async () => {
    const file = path.join(tmp, 'zs16.gwf');
    const data = Int16Array.from(signal(5000, 3), (v) => Math.round(v * 10));
    await writeGwf(file, makeFrames(1, 1e9, 1, () => [{ name: 'A', kind: 'adc', data, sampleRate: 5000 }]), {
      compression: 'zero-suppress',
    });
    const g = await GwfFile.open(file);
    const got = await g.readChannel('A', 0);
    await g.close();
    expect(got.vector.compress).toBe(0x105);
    expect(Array.from(got.data as Int16Array)).toEqual(Array.from(data));
  });

  it('code 10 (8-byte zero suppression): exact int64/uint64 round trip with wrap-around', async () => {
    const file = path.join(tmp, 'zs64.gwf');
    const n = 3000;
    const i64 = BigInt64Array.from({ length: n }, (_, k) => BigInt(Math.round(Math.sin(k / 30) * 1e6)) * 1_000_003n);
    i64[100] = 9223372036854775807n; // jumps of almost 2^64 wrap around
    i64[101] = -9223372036854775807n;
    i64[102] = 0n;
    const u64 = BigUint64Array.from({ length: n }, (_, k) => 18446744073709551615n - BigInt(k * k));
    await writeGwf(file, makeFrames(1, 1e9, 1, () => [
      { name: 'I64', data: i64, sampleRate: n },
      { name: 'U64', data: u64, sampleRate: n },
    ]), { compression: 'zero-suppress' });
    const g = await GwfFile.open(file, { verifyChecksums: true });
    try {
      const a = await g.readChannel('I64', 0);
      const b = await g.readChannel('U64', 0);
      expect(a.vector.compress).toBe(0x10a);
      expect(b.vector.compress).toBe(0x10a);
      expect(a.vector.nBytes).toBeLessThan(n * 8);
      expect(Array.from(a.data as BigInt64Array)).toEqual(Array.from(i64));
      expect(Array.from(b.data as BigUint64Array)).toEqual(Array.from(u64));
    } finally {
      await g.close();
    }
  });

  it('a TOC-less file is indexed by a sequential scan and reads the same', async () => {
    const withToc = path.join(tmp, 'toc.gwf');
    const noToc = path.join(tmp, 'notoc.gwf');
    const frames = makeFrames(4, 1_200_000_000, 2, channelsOf);
    await writeGwf(withToc, frames);
    await writeGwf(noToc, frames, { toc: false });
    const a = await GwfFile.open(withToc);
    const b = await GwfFile.open(noToc);
    try {
      expect(a.hasToc).toBe(true);
      expect(b.hasToc).toBe(false);
      expect(b.endOfFile?.seekTOC).toBe(0);
      expect(b.frames).toEqual(a.frames);
      expect(b.channelNames()).toEqual(a.channelNames());
      for (const name of a.channelNames()) {
        expect(b.channelKind(name)).toBe(a.channelKind(name));
        const x = await a.readChannel(name, 3);
        const y = await b.readChannel(name, 3);
        expect(bits(y.data as GwfSamples)).toEqual(bits(x.data as GwfSamples));
      }
      expect(await b.listChannels()).toEqual(await a.listChannels());
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('class ids come from the file dictionary (they differ from FrameL and FrameCPP)', async () => {
    const file = path.join(tmp, 'dict.gwf');
    await writeGwf(file, makeFrames(1, 1e9, 1, channelsOf));
    const g = await GwfFile.open(file);
    await g.close();
    const byName = new Map([...g.dictionary].map(([id, name]) => [name, id]));
    expect(byName.get('FrVect')).toBe(12);
    expect(byName.get('FrProcData')).toBe(8);
    // Header bytes: v8, little-endian probe, checksum type 1.
    const head = readFileSync(file).subarray(0, 40);
    expect(head[5]).toBe(8);
    expect([head[12], head[13]]).toEqual([0x34, 0x12]);
    expect(head[39]).toBe(1);
  });

  it('appears atomically: nothing at the path until close; abort leaves nothing', async () => {
    const dir = mkdtempSync(path.join(tmp, 'atomic-'));
    const file = path.join(dir, 'a.gwf');
    const w = await GwfWriter.create(file);
    await w.writeFrame(makeFrames(1, 1e9, 1, channelsOf)[0]);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toHaveLength(1); // the temporary file
    await w.close();
    expect(readdirSync(dir)).toEqual(['a.gwf']);
    const g = await GwfFile.open(file, { verifyChecksums: true });
    expect(g.frames).toHaveLength(1);
    await g.close();
    const w2 = await GwfWriter.create(path.join(dir, 'b.gwf'));
    await w2.writeFrame(makeFrames(1, 1e9, 1, channelsOf)[0]);
    await w2.abort();
    expect(readdirSync(dir)).toEqual(['a.gwf']);
  });

  it("durability 'none' and 'fsync' write the same bytes through core's atomic file (temporary name swept by isTempFileName)", async () => {
    const dir = mkdtempSync(path.join(tmp, 'durability-'));
    const frames = makeFrames(2, 1e9, 1, channelsOf);
    await writeGwf(path.join(dir, 'fsync.gwf'), frames, { durability: 'fsync' });
    await writeGwf(path.join(dir, 'none.gwf'), frames, { durability: 'none' });
    expect(readFileSync(path.join(dir, 'none.gwf'))).toEqual(readFileSync(path.join(dir, 'fsync.gwf')));
    const w = await GwfWriter.create(path.join(dir, 'c.gwf'), { durability: 'none' });
    const [temp] = readdirSync(dir).filter((n) => !n.endsWith('.gwf'));
    expect(isTempFileName(temp)).toBe(true);
    await w.abort();
    expect(readdirSync(dir).sort()).toEqual(['fsync.gwf', 'none.gwf']);
  });

  it('rejects duplicate channel names in one frame', async () => {
    await expect(
      writeGwf(path.join(tmp, 'dup.gwf'), makeFrames(1, 1e9, 1, () => [
        { name: 'A', data: new Float32Array(4), sampleRate: 4 },
        { name: 'A', data: new Float32Array(4), sampleRate: 4 },
      ])),
    ).rejects.toThrow(/appears twice/);
  });
});
