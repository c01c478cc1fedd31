import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '@astro/checkpoint';
import { utcToGps } from '@astro/gwf';
import { smallDay, tempDir } from './helpers.js';
import { convertDay, loadWorkerConfig } from '@astro/sat-dataset';

function cfgOf(d: { ffl: string; channelsFile: string }, out: string, extra: Record<string, unknown> = {}) {
  return loadWorkerConfig({
    flags: { start_dt: '2023-06-01T00:00:00', end_dt: '2023-06-01T00:40:00', channels_file: d.channelsFile, ffl_spec: 'trend', ffl_path: d.ffl, out_root: out, increment_size: 300, ...extra },
  });
}

async function rejection(p: Promise<unknown>): Promise<{ message: string; code?: string }> {
  try {
    await p;
  } catch (error) {
    return error as { message: string; code?: string };
  }
  throw new Error('did not reject');
}

describe('day worker: bad inputs give clear errors or recorded gaps', () => {
  it('a missing ffl_path, FFL and channels file are named', async () => {
    const dir = tempDir('hostile');
    const d = await smallDay(dir);
    const out = path.join(dir, 'out');
    expect((await rejection(convertDay(cfgOf({ ...d, ffl: path.join(dir, 'nope.ffl') }, out)))).message).toBe(`ffl_path ${path.join(dir, 'nope.ffl')}: does not exist`);
    expect((await rejection(convertDay(cfgOf({ ...d, ffl: dir }, out)))).message).toMatch(/is a directory without trend\.ffl/);
    expect((await rejection(convertDay(cfgOf({ ...d, channelsFile: path.join(dir, 'none.txt') }, out)))).message).toMatch(/^channels_file .*none\.txt: cannot read/);
    const badList = path.join(dir, 'bad.ffl');
    writeFileSync(badList, 'only-a-path\n');
    expect((await rejection(convertDay(cfgOf({ ...d, ffl: badList }, out)))).message).toMatch(/bad\.ffl.*line 1/);
  });

  it('an FFL entry whose file does not exist becomes a gap, named in the summary', async () => {
    const dir = tempDir('hostile');
    const d = await smallDay(dir);
    const g0 = utcToGps('2023-06-01T00:00:00Z');
    appendFileSync(d.ffl, `${path.join(dir, 'frames', 'V-SYN-lost.gwf')} ${g0 + 700} 300 0 0\n`);
    const s = await convertDay(cfgOf(d, path.join(dir, 'out')));
    expect(s.status).toBe('complete');
    expect(Object.keys(s.ffl.bad_files)).toEqual([path.join(dir, 'frames', 'V-SYN-lost.gwf')]);
    expect(s.ffl.bad_files[path.join(dir, 'frames', 'V-SYN-lost.gwf')]).toMatch(/GWF: .*V-SYN-lost\.gwf: cannot open/);
    const cov = JSON.parse(readFileSync(path.join(dir, 'out', 'trend-2023-06-01', 'channels_info', 'channels_coverage.json'), 'utf8'));
    expect(cov.channels['V1:TREND_A_1Hz'].coverage_mask).toMatch(/^1+01+$/);
  });

  it('a damaged state_day.json and a changed configuration on resume are refused, naming the file and key', async () => {
    const dir = tempDir('hostile');
    const d = await smallDay(dir);
    const out = path.join(dir, 'out');
    await convertDay(cfgOf(d, out));
    const state = path.join(out, 'trend-2023-06-01', 'state_day.json');
    const e = await rejection(convertDay(cfgOf(d, out, { increment_size: 600 })));
    expect(e.message).toBe(`${state}: increment_size was 300 when the day started, now 600; run with resume = false to start the day again`);
    appendFileSync(d.channelsFile, 'V1:ANOTHER\n');
    expect((await rejection(convertDay(cfgOf(d, out)))).message).toMatch(/channels_file .* lists 4 channels, the day started with 3/);
    writeFileSync(state, '{"version": 1, "status": "runn');
    const e2 = await rejection(convertDay(cfgOf(d, out)));
    expect(e2.message).toMatch(new RegExp(`^${state}: cannot read the day state \\(.*JSON.*\\); remove it or run with resume = false$`));
    // resume = false starts again
    const s = await convertDay(cfgOf(d, out, { resume: false }));
    expect(s.status).toBe('complete');
  });

  it('refuses to convert a day another live worker holds', async () => {
    const dir = tempDir('hostile');
    const d = await smallDay(dir);
    const out = path.join(dir, 'out');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(out, 'trend-2023-06-01'), { recursive: true });
    const lock = await acquireLock(path.join(out, 'trend-2023-06-01', '.day.lock'));
    try {
      const e = await rejection(convertDay(cfgOf(d, out), { lockTimeoutMs: 300 }));
      expect(e.code).toBe('SAT_BUSY');
      expect(e.message).toMatch(/^day 20230601 \(.*trend-2023-06-01\) is being converted by another worker: /);
    } finally {
      await lock.release();
    }
    expect((await convertDay(cfgOf(d, out))).status).toBe('complete');
  });

  it('a rate change in the middle of a file prunes the channel from that frame on', async () => {
    const dir = tempDir('hostile');
    const g0 = utcToGps('2023-06-01T00:00:00Z');
    const d = await smallDay(dir, { extra: [{ name: 'V1:MIDFILE', sampleRate: 2, index: 9, rateChange: { fromGps: g0 + 1300, sampleRate: 1 } }] });
    const s = await convertDay(cfgOf(d, path.join(dir, 'out')));
    expect(s.channels.pruned_channels).toEqual([{ name: 'V1:MIDFILE', reason: `sample rate changed from 2 Hz to 1 Hz at GPS ${g0 + 1300}` }]);
  });
});
