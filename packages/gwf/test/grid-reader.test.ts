import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GridReader, isFileLevelError, writeGwf } from '@astro/gwf';
import type { GridArray, GridChannel, GwfWriteChannel } from '@astro/gwf';
import { makeFrames } from './support/synthetic.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-grid-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const NS = 1_000_000_000n;
const G0 = 1_000_000_000;

/** Value of channel `c` at GPS time `t` (seconds): exact in float32. */
const value = (c: number, t: number): number => (c + 1) * 1000 + (Math.round(t * 64) % 4096) / 4;

/**
 * Frame files of 10 s (one frame each) from G0 over `n` frames, skipping
 * `missing` frame numbers; channel A at 4 Hz float64, B at 16 Hz float32
 * (at 8 Hz from frame `rateChangeAt` on), C at 2 Hz int16.
 */
async function frames(dir: string, n: number, options: { missing?: number[]; rateChangeAt?: number } = {}) {
  const files: { path: string; gpsStart: number; durationSeconds: number }[] = [];
  for (let f = 0; f < n; f++) {
    if (options.missing?.includes(f)) continue;
    const t0 = G0 + 10 * f;
    const channel = (name: string, c: number, rate: number, make: (n: number) => GwfWriteChannel['data']): GwfWriteChannel => {
      const data = make(10 * rate);
      for (let k = 0; k < data.length; k++) data[k] = value(c, t0 + k / rate);
      return { name, data, sampleRate: rate };
    };
    const bRate = options.rateChangeAt !== undefined && f >= options.rateChangeAt ? 8 : 16;
    const file = path.join(dir, `V-T-${t0}-10.gwf`);
    await writeGwf(
      file,
      makeFrames(1, t0, 10, () => [
        channel('V1:A', 0, 4, (k) => new Float64Array(k)),
        channel('V1:B', 1, bRate, (k) => new Float32Array(k)),
        channel('V1:C', 2, 2, (k) => new Int16Array(k)),
      ]),
    );
    files.push({ path: file, gpsStart: t0, durationSeconds: 10 });
  }
  return files;
}

const CHANNELS: GridChannel[] = [
  { name: 'V1:A', sampleRate: 4, t0Ns: BigInt(G0) * NS, dtype: 'float64' },
  { name: 'V1:B', sampleRate: 16, t0Ns: BigInt(G0) * NS, dtype: 'float32' },
  { name: 'V1:C', sampleRate: 2, t0Ns: BigInt(G0) * NS, dtype: 'float64', sourceDtype: 'int16' },
];

/** Read [a, b) of every channel into fresh arrays. */
async function readWindow(reader: GridReader, a: number, b: number, active?: (i: number) => boolean) {
  const arrays: GridArray[] = [];
  const r = await reader.read(a, b, {
    target: (i, count) => (arrays[i] = CHANNELS[i].dtype === 'float32' ? new Float32Array(count) : new Float64Array(count)),
    active,
  });
  return { ...r, arrays };
}

describe('GridReader', () => {
  it('reads windows across frame boundaries onto each grid and pads missing frames with NaN', async () => {
    const dir = mkdtempSync(path.join(tmp, 'gaps-'));
    const files = await frames(dir, 6, { missing: [2, 3] });
    const reader = new GridReader({ channels: CHANNELS, files });
    try {
      // 15 s windows cross frames and the 20 s gap [20, 40).
      for (let a = 0; a < 60; a += 15) {
        const r = await readWindow(reader, G0 + a, G0 + a + 15);
        expect(r.counts).toEqual([60, 240, 30]);
        expect(r.firstIndex).toEqual([4 * a, 16 * a, 2 * a]);
        r.arrays.forEach((arr, c) => {
          const rate = CHANNELS[c].sampleRate;
          for (let k = 0; k < arr.length; k++) {
            const t = G0 + a + k / rate;
            const inGap = t >= G0 + 20 && t < G0 + 40;
            if (inGap) expect(arr[k], `${CHANNELS[c].name} t=${t}`).toBeNaN();
            else expect(arr[k], `${CHANNELS[c].name} t=${t}`).toBe(c === 1 ? Math.fround(value(c, t)) : value(c, t));
          }
        });
        const covered = r.spans[0].reduce((s, x, i) => (i % 2 ? s + x - r.spans[0][i - 1] : s), 0);
        expect(covered).toBe(60 - r.arrays[0].filter((v) => Number.isNaN(v)).length);
        expect(r.badFiles).toEqual([]);
        expect(r.mismatches).toEqual([]);
      }
    } finally {
      await reader.close();
    }
  });

  it('a window starting between samples begins at the next grid point (sampleIndexAt)', async () => {
    const dir = mkdtempSync(path.join(tmp, 'offgrid-'));
    const files = await frames(dir, 2);
    const reader = new GridReader({ channels: CHANNELS, files });
    try {
      const r = await readWindow(reader, G0 + 0.1, G0 + 1.1);
      expect(r.firstIndex).toEqual([1, 2, 1]);
      expect(r.counts).toEqual([4, 16, 2]);
      expect(Array.from(r.arrays[0])).toEqual([0.25, 0.5, 0.75, 1].map((dt) => value(0, G0 + dt)));
    } finally {
      await reader.close();
    }
  });

  it('reports a rate change as a mismatch, NaN for that window, and skips inactive channels', async () => {
    const dir = mkdtempSync(path.join(tmp, 'rate-'));
    const files = await frames(dir, 4, { rateChangeAt: 2 });
    const reader = new GridReader({ channels: CHANNELS, files });
    try {
      const before = await readWindow(reader, G0, G0 + 20);
      expect(before.mismatches).toEqual([]);
      const r = await readWindow(reader, G0 + 15, G0 + 25);
      expect(r.mismatches).toEqual([
        { channel: 1, kind: 'sample-rate', message: `sample rate changed from 16 Hz to 8 Hz at GPS ${G0 + 20}`, file: files[2].path, frame: 0, gpsSeconds: G0 + 20 },
      ]);
      expect(r.arrays[1].every((v) => Number.isNaN(v))).toBe(true);
      expect(r.spans[1]).toEqual([]);
      expect(r.arrays[0][0]).toBe(value(0, G0 + 15));
      const after = await readWindow(reader, G0 + 25, G0 + 40, (i) => i !== 1);
      expect(after.mismatches).toEqual([]);
      expect(after.arrays[1].every((v) => Number.isNaN(v))).toBe(true);
      expect(after.arrays[2][0]).toBe(value(2, G0 + 25));
    } finally {
      await reader.close();
    }
  });

  it('a bad file in the middle becomes a gap, is reported once and never opened again; integers are converted', async () => {
    const dir = mkdtempSync(path.join(tmp, 'bad-'));
    const files = await frames(dir, 5);
    const victim = files[2].path;
    const bytes = readFileSync(victim);
    writeFileSync(victim, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const lost = { path: path.join(dir, 'V-T-lost.gwf'), gpsStart: G0 + 50, durationSeconds: 10 };
    const reader = new GridReader({ channels: CHANNELS, files: [...files, lost], maxRetries: 0, retryDelayMs: 1 });
    try {
      const r = await readWindow(reader, G0, G0 + 60);
      expect(r.badFiles.map((b) => b.file).sort()).toEqual([victim, lost.path].sort());
      for (const b of r.badFiles) expect(isFileLevelError(b.error)).toBe(true);
      expect([...reader.skippedFiles].sort()).toEqual([victim, lost.path].sort());
      const c = r.arrays[2];
      for (let k = 0; k < c.length; k++) {
        const t = G0 + k / 2;
        if (t >= G0 + 20 && t < G0 + 30) expect(c[k]).toBeNaN();
        else if (t >= G0 + 50) expect(c[k]).toBeNaN();
        else expect(c[k]).toBe(value(2, t));
      }
      const again = await readWindow(reader, G0 + 20, G0 + 30);
      expect(again.badFiles).toEqual([]);
      expect(again.arrays[0].every((v) => Number.isNaN(v))).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('retries errors that are not about the file itself, then throws them', async () => {
    const dir = mkdtempSync(path.join(tmp, 'retry-'));
    const loop = path.join(dir, 'V-T-loop.gwf');
    symlinkSync(loop, loop); // ELOOP: a system error, not a bad file
    const retries: number[] = [];
    const reader = new GridReader({
      channels: [{ name: 'V1:A', sampleRate: 4, t0Ns: BigInt(G0) * NS, dtype: 'float64' }],
      files: [{ path: loop, gpsStart: G0, durationSeconds: 10 }],
      maxRetries: 2,
      retryDelayMs: 1,
      onRetry: (e) => retries.push(e.waitMs),
    });
    const error = await reader.read(G0, G0 + 10, { target: (_, n) => new Float64Array(n) }).catch((e: unknown) => e);
    expect(isFileLevelError(error)).toBe(false);
    expect((error as { code?: string }).code).toBe('GWF_IO');
    expect(retries).toEqual([1, 2]);
    await reader.close();
  });
});
