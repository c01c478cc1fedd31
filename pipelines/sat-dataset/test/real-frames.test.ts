import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gpsToUtc } from '@astro/gwf';
import { openHdf5 } from '@astro/hdf5-io';
import { convertDay, loadWorkerConfig } from '@astro/sat-dataset';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { smallDay, tempDir } from './helpers.js';

const gwfDir = sharedData('gwf');

interface Expected {
  frames: { GTimeS: number; channels: { name: string; data: { nData: number; stats: { crc32: number } } }[] }[];
}
const expectedOf = (name: string): Expected => JSON.parse(readFileSync(path.join(gwfDir!, 'expected', name.replace('.gwf', '.json')), 'utf8'));

function configFor(list: string, channels: string[], gpsStart: number, gpsEnd: number, out: string, extra: Record<string, unknown> = {}) {
  const channelsFile = path.join(path.dirname(list), 'channels.txt');
  writeFileSync(channelsFile, `${channels.join('\n')}\n`);
  return loadWorkerConfig({
    flags: {
      start_dt: gpsToUtc(gpsStart).toISOString(),
      end_dt: gpsToUtc(gpsEnd).toISOString(),
      channels_file: channelsFile,
      ffl_spec: 'real',
      ffl_path: list,
      out_root: out,
      ...extra,
    },
  });
}

describe.skipIf(!gwfDir)('conversion of the shared real frame files (FrameL golden values)', () => {
  if (!gwfDir) it.skip(missingDataMessage('gwf'), () => undefined);

  it('two contiguous F-TEST files (v6 big-endian int32, 16384 Hz) through an FFL: every frame matches FrameL', async () => {
    const dir = tempDir('ftest');
    const files = ['F-TEST-600000000-60.gwf', 'F-TEST-600000060-60.gwf'];
    const ffl = path.join(dir, 'ftest.ffl');
    writeFileSync(ffl, files.map((f, i) => `${path.join(gwfDir!, f)} ${600000000 + 60 * i} 60 0 0\n`).join(''));
    // 45 s increments: they cross frame and file boundaries.
    const summary = await convertDay(configFor(ffl, ['H1:LSC-AS_Q'], 600000000, 600000120, path.join(dir, 'out'), { increment_size: 45 }));
    expect(summary.channels).toMatchObject({ valid: 1, invalid: 0, pruned: 0 });
    const h = await openHdf5(path.join(dir, 'out', `real-${summary.time_window.start_utc.slice(0, 10)}`, `real_${summary.day}.h5`));
    const data = h.read('/channels/H1:LSC-AS_Q') as Float64Array;
    expect(h.attrs('/channels/H1:LSC-AS_Q')).toMatchObject({ sample_rate: 16384, t0: 600000000, source_dtype: 'int32' });
    h.close();
    expect(data).toBeInstanceOf(Float64Array);
    expect(data.length).toBe(120 * 16384);
    let checked = 0;
    for (const f of files) {
      for (const frame of expectedOf(f).frames) {
        const ch = frame.channels.find((c) => c.name === 'H1:LSC-AS_Q')!;
        const i0 = (frame.GTimeS - 600000000) * 16384;
        const ints = Int32Array.from(data.subarray(i0, i0 + ch.data.nData));
        expect(crc32(new Uint8Array(ints.buffer)), `frame at GPS ${frame.GTimeS}`).toBe(ch.data.stats.crc32);
        checked++;
      }
    }
    expect(checked).toBe(12);
    const cov = JSON.parse(readFileSync(path.join(dir, 'out', `real-${summary.time_window.start_utc.slice(0, 10)}`, 'channels_info', 'channels_coverage.json'), 'utf8'));
    expect(cov.channels['H1:LSC-AS_Q']).toMatchObject({ coverage_mask: '11', n_gaps: 0, missing_fraction: 0, nan_fraction: 0, total_samples: 120 * 16384 });
  });

  it('the two H-CW_Injection files with their 3480 s gap through a LAL cache: NaN in the gap, FrameL values around it', async () => {
    const dir = tempDir('cw');
    const files = ['H-CW_Injection-875206560-120.gwf', 'H-CW_Injection-875210160-120.gwf'];
    const cache = path.join(dir, 'cw.cache');
    writeFileSync(cache, files.map((f) => `H CW_Injection ${f.split('-')[2]} 120 file://localhost${path.join(gwfDir!, f)}\n`).join(''));
    const [g0, g1] = [875206560, 875210280];
    const summary = await convertDay(configFor(cache, ['H1:LSC-DARM_ERR', 'H1:NOT-IN-FILES'], g0, g1, path.join(dir, 'out')));
    expect(summary.channels).toMatchObject({ valid: 1, invalid: 1, invalid_channels: ['H1:NOT-IN-FILES'] });
    expect(summary.ffl).toMatchObject({ files_in_window: 2, seconds_covered: 240 });
    const h = await openHdf5(path.join(dir, 'out', `real-${summary.time_window.start_utc.slice(0, 10)}`, `real_${summary.day}.h5`));
    const data = h.read('/channels/H1:LSC-DARM_ERR') as Float32Array;
    h.close();
    expect(data).toBeInstanceOf(Float32Array);
    expect(data.length).toBe((g1 - g0) * 1024);
    let checked = 0;
    for (const f of files) {
      for (const frame of expectedOf(f).frames) {
        const ch = frame.channels[0];
        const i0 = (frame.GTimeS - g0) * 1024;
        expect(crc32(new Uint8Array(data.slice(i0, i0 + 1024).buffer)), `frame at GPS ${frame.GTimeS}`).toBe(ch.data.stats.crc32);
        checked++;
      }
    }
    expect(checked).toBe(240);
    const gap = data.subarray(120 * 1024, (875210160 - g0) * 1024);
    expect(gap.length).toBe(3480 * 1024);
    expect(gap.every((v) => Number.isNaN(v))).toBe(true);
    const cov = JSON.parse(readFileSync(path.join(dir, 'out', `real-${summary.time_window.start_utc.slice(0, 10)}`, 'channels_info', 'channels_coverage.json'), 'utf8'));
    expect(cov.channels['H1:LSC-DARM_ERR']).toMatchObject({ coverage_mask: '11', n_gaps: 1, total_samples: 3720 * 1024 });
    expect(cov.channels['H1:LSC-DARM_ERR'].missing_fraction).toBeCloseTo(3480 / 3720, 12);
  });
});

const python = '/usr/bin/python3';
const hasH5py = existsSync(python) && spawnSync(python, ['-c', 'import h5py, numpy'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasH5py)('h5py reads the day files (gzip and lzf)', () => {
  if (!hasH5py) it.skip('needs /usr/bin/python3 with h5py (apt-get install python3-h5py)', () => undefined);

  it.each(['gzip', 'lzf'])('%s', async (compression) => {
    const dir = tempDir(`h5py-${compression}`);
    const d = await smallDay(dir);
    const cfg = loadWorkerConfig({
      flags: {
        start_dt: `${d.date}T00:00:00`,
        end_dt: `${d.date}T00:40:00`,
        channels_file: d.channelsFile,
        ffl_spec: 'trend',
        ffl_path: d.ffl,
        out_root: path.join(dir, 'out'),
        increment_size: 300,
        compression,
        buffer_mb: 0.001,
      },
    });
    await convertDay(cfg);
    const file = path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5');
    const script = `
import h5py, json, sys, numpy as np
f = h5py.File(sys.argv[1], 'r')
out = {'attrs': {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, 'item') else v) for k, v in f.attrs.items()}, 'channels': {}}
for name, d in f['channels'].items():
    x = d[()]
    out['channels'][name] = {'shape': list(d.shape), 'dtype': str(d.dtype), 'compression': d.compression, 'maxshape': list(d.maxshape),
        'nan': int(np.isnan(x).sum()), 'shuffle': bool(d.shuffle), 'storage': int(d.id.get_storage_size()), 'nbytes': int(d.nbytes), 'sum': float(np.nansum(x.astype('f8'))), 'first': float(x[0]), 'crc': __import__('zlib').crc32(x.astype(x.dtype.newbyteorder('<')).tobytes()),
        'attrs': {k: (v.decode() if isinstance(v, bytes) else v.item() if hasattr(v, 'item') else v) for k, v in d.attrs.items()}}
print(json.dumps(out))
`;
    const r = spawnSync(python, ['-c', script, file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout);
    expect(py.attrs).toMatchObject({ spec: 'trend', start: '2023-06-01T00:00:00.000Z', end_gps: d.g0 + 2400, increment_size: 300, compression });
    const h = await openHdf5(file);
    for (const e of h.list('/channels')) {
      const ours = h.read(e.path) as Float64Array;
      const p = py.channels[e.name];
      expect(p.shape).toEqual([ours.length]);
      expect(p.dtype).toBe(ours instanceof Float32Array ? 'float32' : 'float64');
      expect(p.compression).toBe(compression);
      expect(p.maxshape).toEqual([null]);
      expect(p.shuffle).toBe(true);
      // gzip + shuffle compresses these samples; lzf chunks appended through h5wasm are stored raw (docs/sat-dataset.md).
      if (compression === 'gzip') expect(p.storage).toBeLessThan(p.nbytes / 3);
      else expect(p.storage).toBeLessThanOrEqual(p.nbytes);
      expect(p.crc).toBe(crc32(new Uint8Array(ours.buffer, ours.byteOffset, ours.byteLength)));
      expect(p.nan).toBe(ours.filter((v) => Number.isNaN(v)).length);
      expect(p.attrs).toMatchObject({ channel: e.name, unit: 'counts', t0: d.g0 });
    }
    h.close();
  });
});
