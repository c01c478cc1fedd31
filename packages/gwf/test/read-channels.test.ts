import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GwfFile,
  GwfFormatError,
  formatFfl,
  parseFrameFileList,
  readChannel,
  readChannels,
  readFrameFileList,
  selectFrameFiles,
  streamFrames,
  writeGwf,
} from '@astro/gwf';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { makeFrames, signal } from './support/synthetic.js';

const ref = sharedData('gwf');
const tmp = mkdtempSync(path.join(tmpdir(), 'gwf-series-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const GPS = (s: number): bigint => BigInt(s) * 1_000_000_000n;

describe.skipIf(!ref)(ref ? 'readChannels on reference files' : missingDataMessage('gwf'), () => {
  it('spans frames and contiguous files (F-TEST v6 big-endian: samples count up)', async () => {
    const files = ['F-TEST-600000060-60.gwf', 'F-TEST-600000000-60.gwf'].map((f) => path.join(ref!, f)); // any order
    const s = await readChannel(files, 'H1:LSC-AS_Q', { gpsStart: 600000055, gpsEnd: 600000065.5 });
    expect(s.data).toBeInstanceOf(Int32Array);
    expect(s.dtype).toBe('int32');
    expect(s.sampleRate).toBe(16384);
    expect(s.t0Gps).toBe(GPS(600000055));
    expect(s.data.length).toBe(10.5 * 16384);
    expect(s.gaps).toEqual([]);
    // FrameL reads sample k of the run as the value k (frames 5 of file 1 and 0 of file 2 join at 983040).
    const d = s.data as Int32Array;
    for (let i = 0; i < d.length; i += 997) expect(d[i]).toBe(55 * 16384 + i);
    expect(d[d.length - 1]).toBe(55 * 16384 + d.length - 1);
    expect(s.samplesPerFile).toEqual([5.5 * 16384, 5 * 16384]);
  });

  it('reports the gap between the CW injection files and pads it with NaN on request', async () => {
    const files = ['H-CW_Injection-875206560-120.gwf', 'H-CW_Injection-875210160-120.gwf'].map((f) => path.join(ref!, f));
    const opts = { gpsStart: 875206670, gpsEnd: 875210170 };
    await expect(readChannels(files, ['H1:LSC-DARM_ERR'], opts)).rejects.toMatchObject({ code: 'GWF_GAP' });
    const [s] = await readChannels(files, ['H1:LSC-DARM_ERR'], { ...opts, padGaps: true });
    expect(s.data).toBeInstanceOf(Float32Array);
    expect(s.data.length).toBe(3500 * 1024);
    expect(s.gaps).toEqual([{ startGps: GPS(875206680), endGps: GPS(875210160), samples: 3480 * 1024 }]);
    const d = s.data as Float32Array;
    expect(Number.isNaN(d[10 * 1024])).toBe(true);
    expect(Number.isNaN(d[3490 * 1024 - 1])).toBe(true);
    // Samples equal the per-frame vectors.
    const a = await GwfFile.open(files[0]);
    const b = await GwfFile.open(files[1]);
    const last = (await a.readChannel('H1:LSC-DARM_ERR', 119)).data as Float32Array;
    const first = (await b.readChannel('H1:LSC-DARM_ERR', 0)).data as Float32Array;
    await a.close();
    await b.close();
    expect(Array.from(d.subarray(9 * 1024, 10 * 1024))).toEqual(Array.from(last));
    expect(Array.from(d.subarray(3490 * 1024, 3491 * 1024))).toEqual(Array.from(first));
    expect(s.samplesPerFile).toEqual([10 * 1024, 10 * 1024]);
  });

  it('ADC calibration bias + slope × counts (libframe-test fastAdc1, slope 2^-15)', async () => {
    const file = path.join(ref!, 'libframe-test.gwf');
    const raw = await readChannel([file], 'fastAdc1', { gpsStart: 925484675, gpsEnd: 925484677 });
    const cal = await readChannel([file], 'fastAdc1', { gpsStart: 925484675, gpsEnd: 925484677, applyCalibration: true });
    expect(raw.data).toBeInstanceOf(Int16Array);
    expect(cal.data).toBeInstanceOf(Float64Array);
    expect(cal.dtype).toBe('float64');
    for (let i = 0; i < 4000; i += 37) expect(cal.data[i]).toBe(0.00030517578125 * (raw.data[i] as number));
  });
});

describe('readChannels on written files', () => {
  it('aligns to the channel grid, exact t0 in ns, partial frames, missing channels', async () => {
    const f = path.join(tmp, 'grid.gwf');
    await writeGwf(
      f,
      makeFrames(4, 1_000_000_000, 1, (i) => [
        { name: 'A', data: Float64Array.from({ length: 16 }, (_, k) => i * 16 + k), sampleRate: 16 },
        ...(i === 2 ? [] : [{ name: 'B', data: Int16Array.from({ length: 8 }, (_, k) => i * 8 + k), sampleRate: 8 }]),
      ]),
    );
    const [a] = await readChannels([f], ['A'], { gpsStart: 1_000_000_000.03, gpsEnd: 1_000_000_002.5 });
    expect(a.t0Gps).toBe(GPS(1_000_000_000) + 62_500_000n);
    expect(Array.from(a.data as Float64Array)).toEqual(Array.from({ length: 39 }, (_, k) => k + 1));
    const [b] = await readChannels([f], ['B'], { gpsStart: 1e9, gpsEnd: 1e9 + 4, padGaps: true });
    expect(b.data).toBeInstanceOf(Float64Array);
    expect(b.gaps).toEqual([{ startGps: GPS(1e9 + 2), endGps: GPS(1e9 + 3), samples: 8 }]);
    expect(Array.from(b.data.slice(14, 26) as Float64Array)).toEqual([14, 15, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 24, 25]);
    await expect(readChannels([f], ['A', 'NOPE'], { gpsStart: 1e9, gpsEnd: 1e9 + 1 })).rejects.toThrow(
      /NOPE.*is in none of the files/,
    );
    const some = await readChannels([f], ['A', 'NOPE'], { gpsStart: 1e9, gpsEnd: 1e9 + 1, missingChannel: 'skip' });
    expect(some.map((s) => s.channel)).toEqual(['A']);
  });

  it('a channel whose rate changes between files is an error naming file and frame', async () => {
    const f1 = path.join(tmp, 'r1.gwf');
    const f2 = path.join(tmp, 'r2.gwf');
    await writeGwf(f1, makeFrames(1, 2e9, 1, () => [{ name: 'C', data: signal(16, 1), sampleRate: 16 }]));
    await writeGwf(f2, makeFrames(1, 2e9 + 1, 1, () => [{ name: 'C', data: signal(32, 1), sampleRate: 32 }]));
    const err = await readChannels([f1, f2], ['C'], { gpsStart: 2e9, gpsEnd: 2e9 + 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GwfFormatError);
    expect((err as GwfFormatError).message).toMatch(/r2\.gwf: frame 0, channel "C": sample rate\/type changed from 16 Hz REAL_8 to 32 Hz/);
    // A batch job prunes such channels (and missing ones) and keeps the others.
    const f3 = path.join(tmp, 'r3.gwf');
    await writeGwf(f3, makeFrames(2, 2e9, 1, () => [{ name: 'D', data: signal(4, 2), sampleRate: 4 }]));
    const problems: [string, string][] = [];
    const kept = await readChannels([f1, f2, f3], ['C', 'D', 'GONE'], {
      gpsStart: 2e9,
      gpsEnd: 2e9 + 2,
      onChannelProblem: (channel, e) => problems.push([channel, e.code]),
    });
    expect(kept.map((s) => s.channel)).toEqual(['D']);
    expect(problems).toEqual([
      ['C', 'GWF_BAD_STRUCTURE'],
      ['GONE', 'GWF_CHANNEL_NOT_FOUND'],
    ]);
  });
});

describe('streamFrames and progress', () => {
  it('yields frames in order with their channels, within the interval, and stops early', async () => {
    const f1 = path.join(tmp, 's1.gwf');
    const f2 = path.join(tmp, 's2.gwf');
    await writeGwf(f1, makeFrames(3, 3e9, 1, (i) => [
      { name: 'A', data: new Float32Array(4).fill(i), sampleRate: 4 },
      { name: 'B', data: new Int16Array(2).fill(i), sampleRate: 2 },
    ]));
    await writeGwf(f2, makeFrames(2, 3e9 + 3, 1, (i) => [{ name: 'A', data: new Float32Array(4).fill(10 + i), sampleRate: 4 }]));
    const seen: string[] = [];
    for await (const chunk of streamFrames([f1, f2], { channels: ['A'], gpsStart: 3e9 + 1, gpsEnd: 3e9 + 4 })) {
      seen.push(`${path.basename(chunk.file)}:${chunk.frame.gpsSeconds}:${chunk.channels.map((c) => `${c.record.name}=${(c.data as Float32Array)[0]}`).join(',')}`);
    }
    expect(seen).toEqual(['s1.gwf:3000000001:A=1', 's1.gwf:3000000002:A=2', 's2.gwf:3000000003:A=10']);
    let n = 0;
    for await (const chunk of streamFrames([f1, f2])) {
      expect(chunk.channels.map((c) => c.record.name)).toEqual(['A', 'B']);
      if (++n === 1) break;
    }
    const progress: number[] = [];
    await readChannels([f1, f2], ['A'], { gpsStart: 3e9, gpsEnd: 3e9 + 5, onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([1, 2]);
  });
});

describe('frame file lists (FFL, LAL cache)', () => {
  it('parses Virgo FFL and LAL cache lines and selects overlapping files', async () => {
    const ffl = parseFrameFileList(
      '# comment\n/data/V-raw-1000-100.gwf 1000 100 0 0\n\n/data/V-raw-1100-100.gwf 1100 100 0 0\n/data/V-raw-1300-100.gwf 1300 100 0 0\n',
    );
    expect(ffl.map((e) => [e.path, e.gpsStart, e.durationSeconds])).toEqual([
      ['/data/V-raw-1000-100.gwf', 1000, 100],
      ['/data/V-raw-1100-100.gwf', 1100, 100],
      ['/data/V-raw-1300-100.gwf', 1300, 100],
    ]);
    expect(selectFrameFiles(ffl, 1100, 1350).map((e) => e.gpsStart)).toEqual([1100, 1300]);
    expect(selectFrameFiles(ffl, 1050, 1100).map((e) => e.gpsStart)).toEqual([1000]);
    expect(selectFrameFiles(ffl, 1200, 1300)).toEqual([]);
    const cache = parseFrameFileList(
      'H H1_LOSC_4_V2 1126259446 32 file://localhost/data/H-H1_LOSC_4_V2-1126259446-32.gwf\nL L1_HOFT 1126259478 32 /abs/L-L1-1126259478-32.gwf\n',
    );
    expect(cache[0]).toEqual({
      path: '/data/H-H1_LOSC_4_V2-1126259446-32.gwf',
      gpsStart: 1126259446,
      durationSeconds: 32,
      observatory: 'H',
      description: 'H1_LOSC_4_V2',
    });
    expect(cache[1].path).toBe('/abs/L-L1-1126259478-32.gwf');
    expect(parseFrameFileList(formatFfl(ffl))).toEqual(ffl);
  });

  it('a malformed line names the list and the line', async () => {
    const list = path.join(tmp, 'bad.ffl');
    writeFileSync(list, '/a.gwf 100 10 0 0\n/b.gwf notanumber 10 0 0\n');
    const err = (await readFrameFileList(list).catch((e: unknown) => e)) as GwfFormatError;
    expect(err.code).toBe('GWF_BAD_LIST');
    expect(err.message).toContain(list);
    expect(err.message).toContain('line 2');
  });

  it('resolves relative paths against the list and feeds readChannels', async () => {
    await writeGwf(path.join(tmp, 'X-1-5000-2.gwf'), makeFrames(2, 5000, 1, (i) => [{ name: 'Z', data: new Float32Array(4).fill(i), sampleRate: 4 }]));
    await writeGwf(path.join(tmp, 'X-1-5002-2.gwf'), makeFrames(2, 5002, 1, (i) => [{ name: 'Z', data: new Float32Array(4).fill(10 + i), sampleRate: 4 }]));
    const list = path.join(tmp, 'x.ffl');
    writeFileSync(list, 'X-1-5002-2.gwf 5002 2 0 0\nX-1-5000-2.gwf 5000 2 0 0\n');
    const entries = selectFrameFiles(await readFrameFileList(list), 5001, 5003);
    expect(entries.map((e) => path.basename(e.path))).toEqual(['X-1-5000-2.gwf', 'X-1-5002-2.gwf']);
    const z = await readChannel(entries.map((e) => e.path), 'Z', { gpsStart: 5001, gpsEnd: 5003 });
    expect(Array.from(z.data as Float32Array)).toEqual([1, 1, 1, 1, 10, 10, 10, 10]);
  });
});
