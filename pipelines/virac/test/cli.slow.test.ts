import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTempFileName } from '@astro/core';
import { extractLightCurves, writeSyntheticViracTile } from '@astro/virac';
import { PACKAGE_DIR, csvDigests, listFiles, runCli, tempDir } from './helpers.js';

/**
 * End-to-end tests of the compiled CLI as a user runs it: SIGKILL mid-run
 * and rerun, two processes on one output directory, SIGTERM, exit codes.
 */
describe('virac-extract CLI', () => {
  let input: string;
  let reference: Map<string, string>;
  const tileNames: string[] = [];
  beforeAll(async () => {
    input = tempDir('cli-in');
    for (let t = 0; t < 6; t++) {
      const hpx = 4000000 + t;
      tileNames.push(`n1024_${hpx}`);
      await writeSyntheticViracTile(path.join(input, `n1024_${hpx}.hdf5`), { healpix: hpx, sources: 2500, epochs: 250, seed: 10 + t });
    }
    const refOut = tempDir('cli-ref');
    const s = await extractLightCurves({ inputDir: input, outputDir: refOut, durability: 'none' });
    expect(s.completed).toBe(6);
    reference = csvDigests(refOut);
    expect(reference.size).toBeGreaterThan(1000);
  });

  it('prints usage errors with exit code 2', async () => {
    const r = await runCli('virac-extract', ['--input-dir', input]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output-dir/);
    const bad = await runCli('virac-extract', ['--input-dir', input, '--output-dir', tempDir('u'), '--layout', 'weird']).done;
    expect(bad.code).toBe(2);
    const shard = await runCli('virac-extract', ['--input-dir', input, '--output-dir', tempDir('u'), '--shard', '5/2']).done;
    expect(shard.code).toBe(2);
  });

  it('survives SIGKILL mid-run: the rerun gives output identical to an uninterrupted run', async () => {
    for (const delayMs of [700, 1500]) {
      const out = tempDir('kill');
      const first = runCli('virac-extract', ['--input-dir', input, '--output-dir', out]);
      await new Promise((r) => setTimeout(r, delayMs));
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      // What the killed run left under final names is complete, never partial.
      for (const [f, digest] of csvDigests(out)) {
        if (isTempFileName(f)) continue;
        expect(reference.get(f), f).toBe(digest);
      }
      const second = await runCli('virac-extract', ['--input-dir', input, '--output-dir', out]).done;
      expect(second.code, second.stderr).toBe(0);
      expect(csvDigests(out)).toEqual(reference);
      expect(listFiles(out).filter(isTempFileName)).toEqual([]);
    }
  });

  it('two processes on one output directory do each tile once', async () => {
    const out = tempDir('two');
    const a = runCli('virac-extract', ['--input-dir', input, '--output-dir', out]);
    const b = runCli('virac-extract', ['--input-dir', input, '--output-dir', out]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(csvDigests(out)).toEqual(reference);
    // Each tile was completed by exactly one process, according to their logs.
    const completedBy = new Map<string, number>();
    for (const log of readdirSync(path.join(out, 'logs'))) {
      for (const line of readFileSync(path.join(out, 'logs', log), 'utf8').trim().split('\n')) {
        const rec = JSON.parse(line);
        if (rec.msg === 'tile complete') completedBy.set(rec.tile, (completedBy.get(rec.tile) ?? 0) + 1);
      }
    }
    expect([...completedBy.keys()].sort()).toEqual(tileNames);
    expect([...completedBy.values()].every((n) => n === 1)).toBe(true);
  });

  it('shards split the tiles (SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT) and together give the full output', async () => {
    const out = tempDir('shards');
    const runs = [0, 1, 2].map((i) =>
      runCli('virac-extract', ['--input-dir', input, '--output-dir', out, '--workers', i === 0 ? '2' : '1'], {
        SLURM_ARRAY_TASK_ID: String(i),
        SLURM_ARRAY_TASK_COUNT: '3',
      }).done,
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(csvDigests(out)).toEqual(reference);
    const completed = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'completed_tiles.json'), 'utf8'));
    expect(completed.completed.length).toBe(6);
  });

  it('stops cleanly on SIGTERM (exit 143, claims released) and resumes', async () => {
    const out = tempDir('term');
    const first = runCli('virac-extract', ['--input-dir', input, '--output-dir', out, '--workers', '2']);
    await new Promise((r) => setTimeout(r, 900));
    first.child.kill('SIGTERM');
    const r1 = await first.done;
    expect(r1.code, r1.stderr).toBe(143);
    expect(r1.stderr).toMatch(/rerun the same command to resume/);
    expect(listFiles(out).filter(isTempFileName)).toEqual([]);
    const r2 = await runCli('virac-extract', ['--input-dir', input, '--output-dir', out]).done;
    expect(r2.code, r2.stderr).toBe(0);
    expect(csvDigests(out)).toEqual(reference);
  });

  it('recovers the lock left by a process killed while holding it', async () => {
    const out = tempDir('stale');
    const lockPath = path.join(out, 'checkpoints', '.checkpoint.lock');
    const script = `
      import { mkdirSync } from 'node:fs';
      import { acquireLock } from '@astro/checkpoint';
      mkdirSync(${JSON.stringify(path.dirname(lockPath))}, { recursive: true });
      await acquireLock(${JSON.stringify(lockPath)});
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);
    `;
    const { spawn } = await import('node:child_process');
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.on('data', (d) => String(d).includes('locked') && resolve()));
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('close', r));
    expect(existsSync(lockPath)).toBe(true); // the dead holder's lock is still there
    const started = Date.now();
    const r = await runCli('virac-extract', ['--input-dir', input, '--output-dir', out, '--tile-pattern', 'n1024_4000000.hdf5']).done;
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000); // not the 60 s stale timeout: the dead pid is detected
    const completed = JSON.parse(readFileSync(path.join(out, 'checkpoints', 'completed_tiles.json'), 'utf8'));
    expect(completed.completed).toEqual(['n1024_4000000']);
  });

  it('exits 3 and lists failed tiles; writes a log file; the monitor reads the checkpoints', async () => {
    const inBad = tempDir('cli-bad');
    await writeSyntheticViracTile(path.join(inBad, 'n1024_5000001.hdf5'), { healpix: 5000001, sources: 100, epochs: 50 });
    writeFileSync(path.join(inBad, 'n1024_5000002.hdf5'), 'not an hdf5 file');
    const out = tempDir('cli-bad-out');
    const r = await runCli('virac-extract', ['--input-dir', inBad, '--output-dir', out]).done;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/n1024_5000002/);
    // Not a terminal: one readable, timestamped line per tile (SLURM .out files).
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z n1024_5000001 complete, \d+\/100 light curves \[\d\/2 tiles/m);
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z n1024_5000002 FAILED: .*n1024_5000002/m);
    expect(r.stderr).not.toMatch(/"level":/); // JSON stays in the log file
    const logs = readdirSync(path.join(out, 'logs'));
    expect(logs.length).toBe(1);
    expect(logs[0]).toMatch(/^extraction_\d{8}_\d{6}\.log$/);
    const m = await runCli('virac-monitor', ['--output-dir', out, '--json']).done;
    expect(m.code, m.stderr).toBe(0);
    const status = JSON.parse(m.stdout);
    expect(status.totalTiles).toBe(2);
    expect(status.completedTiles).toBe(1);
    expect(status.failedTiles).toBe(1);
    expect(status.failures[0].tile).toBe('n1024_5000002');
    const text = await runCli('virac-monitor', ['--output-dir', out]).done;
    expect(text.stdout).toMatch(/tiles\s+1\/2 complete, 1 failed/);
    // virac-plot renders a PNG of one extracted source.
    const id = readdirSync(out).find((n) => n.endsWith('.csv'))!.replace('.csv', '');
    const png = path.join(out, '..', `plot-${id}.png`);
    const p = await runCli('virac-plot', ['--output-dir', out, id, '--out', png]).done;
    expect(p.code, p.stderr).toBe(0);
    expect(existsSync(png)).toBe(true);
    expect([...readFileSync(png).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });
});
