import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, promises as fsp, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointError, openCheckpointStore, readCheckpoint } from '@astro/checkpoint';

const seedDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'seed');
const python = '/usr/bin/python3';
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ckpt-files-'));
  dirs.push(dir);
  return dir;
}
function seedCopy(): string {
  const dir = tempDir();
  for (const name of ['completed_tiles.json', 'failed_tiles.json', 'progress.json']) {
    cpSync(path.join(seedDir, name), path.join(dir, name));
  }
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await fsp.rm(d, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<CheckpointError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return error as CheckpointError;
  }
  throw new Error('expected a rejection');
}

describe('files written by the Python tool (seed layout)', () => {
  it('reads them, keeps their records and continues them', async () => {
    const dir = seedCopy();
    const before = await readCheckpoint(dir);
    expect([...before.completed.keys()]).toEqual(['n1024_8535204', 'n1024_8366211']);
    expect(before.completed.get('n1024_8535204')).toEqual({
      stats: { n_sources: 257, n_valid: 12 },
      timestamp: '2024-03-01T12:00:05.123456',
    });
    expect(before.failed.get('n1024_10095042')?.error).toMatch(/truncated file/);
    expect(before.progress).toMatchObject({
      total: 1500,
      processed: 3,
      sums: { total_sources: 507, valid_sources: 21 },
      lastUpdate: '2024-03-01T12:03:41',
      percentComplete: 0.2,
    });

    const store = await openCheckpointStore(dir);
    expect(await store.claimNext(['n1024_8535204', 'n1024_10095042', 'n1024_1'])).toBe('n1024_1');
    await store.complete('n1024_1', { n_sources: 100, n_valid: 50 });
    await store.close();

    const completed = JSON.parse(readFileSync(path.join(dir, 'completed_tiles.json'), 'utf8'));
    expect(completed.completed).toEqual(['n1024_8535204', 'n1024_8366211', 'n1024_1']);
    // Older records are kept byte for byte in value, including their naive timestamps.
    const seed = JSON.parse(readFileSync(path.join(seedDir, 'completed_tiles.json'), 'utf8'));
    expect(completed.stats.n1024_8535204).toEqual(seed.stats.n1024_8535204);
    const progress = JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8'));
    expect(progress).toMatchObject({ total_tiles: 1500, processed_tiles: 4, total_sources: 607, valid_sources: 71, percent_complete: 0.27 });
  });

  it.skipIf(!existsSync(python))('writes files the Python tool reads back', async () => {
    const dir = seedCopy();
    const store = await openCheckpointStore(dir);
    await store.claim('n1024_2');
    await store.fail('n1024_2', 'HDF5: n1024_2.hdf5: bad "superblock"');
    await store.claim('n1024_3');
    await store.complete('n1024_3', { n_sources: 7, n_valid: 3 });
    await store.close();
    const script = [
      'import json, sys',
      'd = sys.argv[1]',
      'c = json.load(open(d + "/completed_tiles.json"))',
      'f = json.load(open(d + "/failed_tiles.json"))',
      'p = json.load(open(d + "/progress.json"))',
      'done = set(c["completed"])',
      'print(json.dumps({"n": len(done), "s3": c["stats"]["n1024_3"]["n_sources"], "err": f["failed"]["n1024_2"]["error"],',
      '  "p": [p["total_tiles"], p["processed_tiles"], p["total_sources"], p["valid_sources"], p["percent_complete"]]}))',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, dir], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      n: 3,
      s3: 7,
      err: 'HDF5: n1024_2.hdf5: bad "superblock"',
      p: [1500, 5, 514, 24, 0.33],
    });
  });

  it('accepts integer ids and epoch-second timestamps from older tools', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'completed_tiles.json'),
      JSON.stringify({ completed: [8535204, '8366211'], stats: { 8535204: { n_sources: 4, n_valid: 1, timestamp: 1709294405.5 } } }),
    );
    const snap = await readCheckpoint(dir);
    expect([...snap.completed.keys()]).toEqual(['8535204', '8366211']);
    expect(snap.completed.get('8535204')?.timestamp).toBe('2024-03-01T12:00:05.500Z');
    expect(snap.completed.get('8366211')).toEqual({ stats: {}, timestamp: '' });
  });
});

describe('damaged files', () => {
  it('a truncated completed_tiles.json is reported with file and place, and never overwritten', async () => {
    const dir = seedCopy();
    const file = path.join(dir, 'completed_tiles.json');
    const text = readFileSync(file, 'utf8');
    const cut = text.slice(0, Math.floor(text.length / 2));
    writeFileSync(file, cut);
    const error = await rejection(openCheckpointStore(dir));
    expect(error.code).toBe('CHECKPOINT_CORRUPT');
    expect(error.file).toBe(file);
    expect(error.location.offset).toBe(Buffer.byteLength(cut));
    const lines = cut.split('\n');
    expect(error.message).toContain(`${file}: invalid JSON at line ${lines.length}, column ${lines.at(-1)!.length + 1}`);
    expect(error.message).toMatch(/never overwritten while unreadable/);
    expect(readFileSync(file, 'utf8')).toBe(cut);
    // The monitor reader reports the same.
    expect((await rejection(readCheckpoint(dir))).code).toBe('CHECKPOINT_CORRUPT');
  });

  it('an empty or binary failed_tiles.json is reported', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'failed_tiles.json');
    writeFileSync(file, '');
    let error = await rejection(openCheckpointStore(dir));
    expect(error).toMatchObject({ code: 'CHECKPOINT_CORRUPT', file });
    expect(error.message).toContain(`${file}: the file is empty`);
    writeFileSync(file, Buffer.from([0, 0, 0, 0, 0xff, 0xfe]));
    error = await rejection(openCheckpointStore(dir));
    expect(error).toMatchObject({ code: 'CHECKPOINT_CORRUPT', file });
    writeFileSync(file, '{"failed": {"a": {"error": "x", "timestamp": "t"}} trailing');
    error = await rejection(openCheckpointStore(dir));
    expect(error.message).toMatch(/at line 1, column \d+ \(byte \d+\)/);
  });

  it.each([
    ['completed_tiles.json', '[1, 2]', 'top level: found an array'],
    ['completed_tiles.json', '{"completed": "n1024_1"}', '"completed": found the string "n1024_1" (expected an array of ids)'],
    ['completed_tiles.json', '{"completed": [1.5]}', '"completed"[0]: found number 1.5'],
    ['completed_tiles.json', '{"completed": ["a"], "stats": {"a": 3}}', '"stats"["a"]: found number 3'],
    ['failed_tiles.json', '{"failed": ["a"]}', '"failed": found an array'],
    ['failed_tiles.json', '{"failed": {"a": "boom"}}', '"failed"["a"]: found the string "boom"'],
  ])('%s containing %s is reported as invalid', async (name, content, expected) => {
    const dir = tempDir();
    const file = path.join(dir, name);
    writeFileSync(file, content);
    const error = await rejection(openCheckpointStore(dir));
    expect(error).toMatchObject({ code: 'CHECKPOINT_INVALID', file });
    expect(error.message).toContain(`${file}: ${expected}`);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('a damaged claims.json (leases) reads as no claims with a warning; a live holder writes its claim again', async () => {
    const dir = tempDir();
    const holder = await openCheckpointStore(dir);
    expect(await holder.claim('a')).toBe('claimed');
    for (const [content, expected] of [
      ['{"claims": {"a": {"owner": "x"}}}', '"claims"["a"]: found {"owner":"x"}'],
      ['{"claims": {"a": ', 'invalid JSON at line 1'],
    ]) {
      writeFileSync(path.join(dir, 'claims.json'), content);
      const warnings: string[] = [];
      const other = await openCheckpointStore(dir, {
        owner: 'other',
        logger: { debug() {}, info() {}, error() {}, warn: (_o, m) => warnings.push(String(m)) },
      });
      expect(warnings.join('\n')).toContain(`${path.join(dir, 'claims.json')}: ${expected}`);
      expect((await other.snapshot()).claims.size).toBe(0);
      // The holder's next operation re-asserts its claim before anyone else takes it.
      await holder.setTotal(1);
      expect(await other.claim('a')).toBe('busy');
      await other.close();
    }
    await holder.close();
  });

  it('a damaged progress.json (derived data) is recomputed with a warning', async () => {
    const dir = seedCopy();
    writeFileSync(path.join(dir, 'progress.json'), '{"total_tiles": 15');
    const warnings: string[] = [];
    const store = await openCheckpointStore(dir, {
      logger: { debug() {}, info() {}, error() {}, warn: (_o, m) => warnings.push(String(m)) },
    });
    expect(warnings.join('\n')).toMatch(/progress\.json: invalid JSON.*recomputed/);
    let progress = JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8'));
    expect(progress).toMatchObject({ total_tiles: 0, processed_tiles: 3, total_sources: 507, valid_sources: 21, percent_complete: 0 });
    await store.setTotal(1500);
    await store.close();
    progress = JSON.parse(readFileSync(path.join(dir, 'progress.json'), 'utf8'));
    expect(progress).toMatchObject({ total_tiles: 1500, percent_complete: 0.2 });
  });

  it('a file damaged by another tool while the store is open stops the next write, which overwrites nothing', async () => {
    const dir = seedCopy();
    const store = await openCheckpointStore(dir);
    await store.claim('x');
    const file = path.join(dir, 'completed_tiles.json');
    writeFileSync(file, '{"completed": ["n1024_8535204", ');
    const error = await rejection(store.complete('x', { n_sources: 1, n_valid: 1 }));
    expect(error).toMatchObject({ code: 'CHECKPOINT_CORRUPT', file });
    expect(readFileSync(file, 'utf8')).toBe('{"completed": ["n1024_8535204", ');
    // The lock was released despite the error: a repaired store is usable at once.
    cpSync(path.join(seedDir, 'completed_tiles.json'), file);
    await store.complete('x', { n_sources: 1, n_valid: 1 });
    expect((await store.snapshot()).completed.has('x')).toBe(true);
    await store.close();
  });

  it('a directory in place of a store file gives CHECKPOINT_IO naming it', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'failed_tiles.json'));
    const error = await rejection(openCheckpointStore(dir));
    expect(error).toMatchObject({ code: 'CHECKPOINT_IO', file: path.join(dir, 'failed_tiles.json') });
    expect(error.cause).toBeDefined();
  });

  it('temp files left by a crash mid-write are removed on open and never read', async () => {
    const dir = seedCopy();
    const junk = path.join(dir, 'completed_tiles.json.astro-tmp-999999-deadbeef');
    writeFileSync(junk, '{"completed": [');
    const snap = await readCheckpoint(dir);
    expect(snap.completed.size).toBe(2);
    // Lock candidates: of a dead pid on this host (removed), of another host (kept until older than staleMs).
    const deadPid = path.join(dir, `.checkpoint.lock.${os.hostname()}.999999999.0123456789ab.tmp`);
    const otherFresh = path.join(dir, '.checkpoint.lock.node-z.123.0123456789ab.tmp');
    const otherOld = path.join(dir, '.checkpoint.lock.break.node-z.124.0123456789ab.tmp');
    for (const f of [deadPid, otherFresh, otherOld]) writeFileSync(f, '{}');
    const old = new Date(Date.now() - 120_000);
    await fsp.utimes(otherOld, old, old);
    const store = await openCheckpointStore(dir, { staleMs: 60_000 });
    await store.close();
    expect(existsSync(junk)).toBe(false);
    expect([existsSync(deadPid), existsSync(otherFresh), existsSync(otherOld)]).toEqual([false, true, false]);
  });
});
