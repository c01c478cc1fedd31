import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallDay, tempDir } from './helpers.js';
import { convertDay, coverageGrid, loadWorkerConfig } from '@astro/sat-dataset';

describe('coverage grid of the plot', () => {
  it('bins the day file and shows the gap as zero coverage', async () => {
    const dir = tempDir('plot');
    const d = await smallDay(dir);
    const cfg = loadWorkerConfig({
      flags: { start_dt: '2023-06-01T00:00:00', end_dt: '2023-06-01T00:40:00', channels_file: d.channelsFile, ffl_spec: 'trend', ffl_path: d.ffl, out_root: path.join(dir, 'out'), increment_size: 300 },
    });
    await convertDay(cfg);
    // 24 bins of 100 s: bins 7, 8, 9 are the gap [700 s, 1000 s).
    const g = await coverageGrid(path.join(dir, 'out', 'trend-2023-06-01', 'trend_20230601.h5'), { bins: 24 });
    expect(g.binSeconds).toBe(100);
    expect(g.channels.length).toBe(3);
    for (const ch of g.channels) {
      const f = g.rows.filter((r) => r.channel === ch).map((r) => r.fraction);
      expect(f).toEqual(Array.from({ length: 24 }, (_, b) => (b >= 7 && b <= 9 ? 0 : 1)));
    }
    expect(g.rows[0].start).toBe('2023-06-01T00:00:00.000Z');
  });
});
