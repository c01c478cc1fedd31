/**
 * Golden comparison with FrameL 8.30: every channel of every reference file
 * (../shared/data/gwf, expected/*.json) — samples (CRC-32, sum, min, max,
 * NaN count, first/last values) and metadata (frame, channel, vector, TOC).
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GwfFile, computeSampleStats } from '@astro/gwf';
import type { GwfSamples } from '@astro/gwf';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const dir = sharedData('gwf');

/** JSON form of a number: FrameL's expected files write NaN/Infinity as strings. */
function j(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    return v;
  }
  if (Array.isArray(v)) return v.map(j);
  return v;
}

/** Relative comparison for sums (FrameL sums sequentially in float64, as we do). */
function closeTo(actual: unknown, expected: unknown, rel = 1e-12): void {
  if (Array.isArray(expected)) {
    (expected as unknown[]).forEach((e, i) => closeTo((actual as unknown[])[i], e, rel));
    return;
  }
  if (typeof expected !== 'number') {
    expect(j(actual)).toEqual(expected);
    return;
  }
  const a = actual as number;
  expect(Math.abs(a - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

interface ExpectedChannel {
  kind: string;
  name: string;
  [key: string]: unknown;
  data: {
    vectName: string;
    type: number;
    typeName: string;
    compress: number;
    nData: number;
    nDim: number;
    nx: number[];
    dx: number[];
    startX: number[];
    unitX: string[];
    unitY: string;
    stats: Record<string, unknown>;
  };
}

const files = dir ? readdirSync(path.join(dir, 'expected')).filter((f) => f.endsWith('.json')) : [];

describe.skipIf(!dir)(`conformance with FrameL 8.30 (${dir ? `${files.length} files` : missingDataMessage('gwf')})`, () => {
  let channelsChecked = 0;
  for (const jsonName of files) {
    const expected = JSON.parse(readFileSync(path.join(dir!, 'expected', jsonName), 'utf8'));
    it(`${expected.file}: header, frames, every channel, TOC, checksum`, async () => {
      const file = await GwfFile.open(path.join(dir!, expected.file), { verifyChecksums: true });
      try {
        const h = file.header;
        expect({
          formatVersion: h.formatVersion,
          libraryMinorVersion: h.libraryMinorVersion,
          byteOrder: h.littleEndian ? 'little' : 'big',
          byte38: h.byte38,
          byte39: h.byte39,
        }).toEqual({
          formatVersion: expected.header.formatVersion,
          libraryMinorVersion: expected.header.libraryMinorVersion,
          byteOrder: expected.header.byteOrder,
          byte38: expected.header.byte38,
          byte39: expected.header.byte39,
        });
        expect(file.size).toBe(expected.fileSize);
        expect(file.frames.length).toBe(expected.nFrames);
        expect(file.endOfFile?.chkSum).toBe(expected.fileChecksumStored);
        if (h.formatVersion >= 6) expect((await file.verifyFileChecksum()).ok).toBe(true);

        for (const ef of expected.frames) {
          const content = await file.readFrame(ef.index);
          const f = content.info;
          expect({
            name: f.name, run: f.run, frame: f.frame, dataQuality: f.dataQuality,
            GTimeS: f.gpsSeconds, GTimeN: f.gpsNanoseconds, ULeapS: f.leapSeconds, dt: f.durationSeconds,
          }).toEqual({
            name: ef.name, run: ef.run, frame: ef.frame, dataQuality: ef.dataQuality,
            GTimeS: ef.GTimeS, GTimeN: ef.GTimeN, ULeapS: ef.ULeapS, dt: ef.dt,
          });
          const channels = content.channels.filter((c) => c.record.kind !== 'ser');
          const sers = content.channels.filter((c) => c.record.kind === 'ser');
          expect(channels.map((c) => `${c.record.kind}:${c.record.name}`)).toEqual(
            ef.channels.map((c: ExpectedChannel) => `${c.kind}:${c.name}`),
          );
          expect(
            sers.map((c) => ({
              name: c.record.name,
              timeSec: c.record.timeSec,
              timeNsec: c.record.timeNsec,
              sampleRate: c.record.sampleRate,
              data: c.record.serData,
            })),
          ).toEqual(ef.ser);
          for (let i = 0; i < channels.length; i++) {
            const { record, vector } = channels[i];
            const ec: ExpectedChannel = ef.channels[i];
            const where = `frame ${ef.index} ${ec.kind} ${ec.name}`;
            // channel metadata
            const fields = ['comment', 'sampleRate', 'timeOffset', 'fShift', 'phase'];
            if (ec.kind === 'adc') fields.push('channelGroup', 'channelNumber', 'nBits', 'bias', 'slope', 'units', 'dataValid');
            if (ec.kind === 'proc' && file.version >= 6) fields.push('procType', 'subType', 'tRange', 'fRange', 'BW');
            const mine: Record<string, unknown> = {};
            const theirs: Record<string, unknown> = {};
            for (const k of fields) {
              mine[k] = (record as unknown as Record<string, unknown>)[k];
              theirs[k] = ec[k];
            }
            expect(mine, where).toEqual(theirs);
            if (ec.kind === 'proc' && file.version >= 6) expect(record.auxParam?.length, where).toBe(ec.nAuxParam);
            // vector metadata
            expect(vector, where).toBeDefined();
            const v = vector!;
            expect(
              {
                vectName: v.name, type: v.type, typeName: v.typeName, compress: v.compress === 256 ? 0 : v.compress,
                nData: v.nData, nDim: v.nDim, nx: v.nx, dx: v.dx, startX: v.startX, unitX: v.unitX, unitY: v.unitY,
              },
              where,
            ).toEqual({
              vectName: ec.data.vectName, type: ec.data.type, typeName: ec.data.typeName, compress: ec.data.compress,
              nData: ec.data.nData, nDim: ec.data.nDim, nx: ec.data.nx, dx: ec.data.dx, startX: ec.data.startX,
              unitX: ec.data.unitX, unitY: ec.data.unitY,
            });
            // samples
            const data = (await file.readVectorData(v, ef.index, record.name)) as GwfSamples;
            const s = computeSampleStats(data, v.type);
            const es = ec.data.stats;
            expect(s.crc32, `${where} crc32`).toBe(es.crc32);
            expect(s.nBytesDecoded, where).toBe(es.nBytesDecoded);
            closeTo(s.sum, es.sum);
            expect(j(s.min), where).toEqual(es.min);
            expect(j(s.max), where).toEqual(es.max);
            if ('nNaN' in es) expect(s.nNaN, where).toBe(es.nNaN);
            if ('nInf' in es) expect(s.nInf, where).toBe(es.nInf);
            expect(j(s.first), where).toEqual(es.first);
            expect(j(s.last), where).toEqual(es.last);
            channelsChecked++;
          }
          // The one-pass frame reader gives the same samples.
          const all = await file.readFrameData(ef.index);
          expect(all.map((c) => c.record.name), 'readFrameData').toEqual(ef.channels.map((c: ExpectedChannel) => c.name));
          all.forEach((c, i) => {
            const st = computeSampleStats(c.data as GwfSamples, c.vector.type);
            expect(st.crc32, `readFrameData ${c.record.name}`).toBe(ef.channels[i].data.stats.crc32);
          });
          const some = await file.readFrameData(ef.index, { channels: [ef.channels[0].name] });
          expect(some.map((c) => c.record.name)).toEqual(
            ef.channels.filter((c: ExpectedChannel) => c.name === ef.channels[0].name).map((c: ExpectedChannel) => c.name),
          );
        }

        // listChannels: names, kinds, rates and dtypes from the TOC and the vector headers only
        const listed = await file.listChannels();
        const firstSeen = new Map<string, ExpectedChannel>();
        for (const ef of expected.frames) for (const c of ef.channels as ExpectedChannel[]) if (!firstSeen.has(c.name)) firstSeen.set(c.name, c);
        expect(listed.filter((c) => c.kind !== 'ser').map((c) => c.name).sort()).toEqual([...firstSeen.keys()].sort());
        for (const c of listed) {
          const e = firstSeen.get(c.name);
          if (!e) continue;
          expect({ kind: c.kind, sampleRate: c.sampleRate, typeName: c.typeName, nData: c.nData }, c.name).toEqual({
            kind: e.kind, sampleRate: e.sampleRate, typeName: e.data.typeName, nData: e.data.nData,
          });
        }

        // table of contents
        const toc = file.toc!;
        const et = expected.toc;
        expect(toc.frames.length).toBe(et.nFrame);
        expect(toc.leapSeconds).toBe(et.ULeapS);
        expect(toc.frames).toEqual(et.frames);
        expect(toc.SH).toEqual(et.SH);
        expect(toc.adc.map((c) => ({ name: c.name, channelID: c.channelID, groupID: c.groupID, position: c.positions }))).toEqual(et.adc);
        for (const k of ['proc', 'sim', 'ser', 'summary'] as const) {
          expect(toc[k].map((c) => ({ name: c.name, position: c.positions })), k).toEqual(et[k]);
        }
        // FrameL reports the TOC position after the length and class fields for v4 (4+2) and v6 (8+2).
        const framelSkip = file.version >= 8 ? 0 : file.version >= 6 ? 10 : 6;
        expect(toc.position + framelSkip).toBe(et.position);
      } finally {
        await file.close();
      }
    });
  }
  it('checked every channel of every frame', () => {
    expect(channelsChecked).toBeGreaterThan(0);
    console.log(`conformance: ${channelsChecked} channel-frames of ${files.length} files match FrameL`);
  });
});
