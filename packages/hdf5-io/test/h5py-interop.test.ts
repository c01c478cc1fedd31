/**
 * Interop with h5py: a synthetic VIRAC-layout tile written by this package
 * (mode 'w') must read in h5py with the same values, types and storage; a
 * file that h5py created and we appended to (mode 'a') must read back in
 * h5py. Runs when /usr/bin/python3 has h5py (CI installs python3-h5py).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesOf, seededRandom } from '@astro/core';
import { withHdf5 } from '@astro/hdf5-io';

const PYTHON = '/usr/bin/python3';
const hasH5py = spawnSync(PYTHON, ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0;
const tmp = mkdtempSync(path.join(tmpdir(), 'hdf5-io-h5py-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

const SUMMARY = `
import hashlib, json, sys
import h5py, numpy as np
out = {}
with h5py.File(sys.argv[1], "r") as f:
    out["attrs"] = {k: (v.decode() if isinstance(v, bytes) else (v.item() if hasattr(v, "item") else v)) for k, v in f.attrs.items()}
    def visit(name, o):
        if not isinstance(o, h5py.Dataset):
            return
        d = {"shape": list(o.shape), "chunks": list(o.chunks) if o.chunks else None,
             "compression": o.compression, "shuffle": bool(o.shuffle), "maxshape": list(o.maxshape)}
        vl = h5py.check_vlen_dtype(o.dtype)
        if vl is not None:
            rows = o[()]
            base = np.dtype(vl).newbyteorder("<")
            vals = np.concatenate([np.asarray(r, base) for r in rows]) if len(rows) else np.zeros(0, base)
            d.update(dtype="vlen<" + base.str + ">", sha=hashlib.sha256(vals.tobytes()).hexdigest(),
                     lengths=[len(r) for r in rows][:20])
        elif o.dtype.kind == "S":
            d.update(dtype=o.dtype.str, values=[x.decode() for x in o[()]])
        else:
            a = o[()]
            d.update(dtype=a.dtype.str, sha=hashlib.sha256(a.astype(a.dtype.newbyteorder("<")).tobytes()).hexdigest())
        out["/" + name] = d
    f.visititems(visit)
json.dump(out, sys.stdout)
`;
const h5pySummary = (file: string): Record<string, Record<string, unknown>> =>
  JSON.parse(execFileSync(PYTHON, ['-c', SUMMARY, file], { encoding: 'utf8' })) as Record<string, Record<string, unknown>>;

describe.skipIf(!hasH5py)(`h5py reads what we write ${hasH5py ? '' : '(skipped: /usr/bin/python3 has no h5py; apt-get install python3-h5py)'}`, () => {
  it('a synthetic VIRAC tile: vlen columns, S2 filter, gzip+shuffle, attributes', async () => {
    const file = path.join(tmp, 'n1024_1.hdf5');
    const r = seededRandom(1);
    const nsrc = 500;
    const nep = 120;
    const sourceid = BigInt64Array.from({ length: nsrc }, (_, i) => 1_000_000n + BigInt(i));
    const ra = Float64Array.from({ length: nsrc }, () => 266 + r());
    const det = Array.from({ length: nsrc }, (_, i) => BigInt64Array.from({ length: i % 17 === 0 ? 0 : Math.floor(r() * 60) }, () => BigInt(Math.floor(r() * nep))));
    const mag = det.map((d) => Float32Array.from(d, () => (r() < 0.02 ? Number.NaN : 10 + r() * 8)));
    const objtype = det.map((d) => Int32Array.from(d, () => Math.floor(r() * 3) - 1));
    const filters = Array.from({ length: nep }, (_, i) => ['Ks', 'Z', 'Y', 'J', 'H'][i % 5]);
    const gz = { compression: 'gzip', shuffle: true } as const;
    await withHdf5(file, { mode: 'w' }, (f) => {
      f.setAttrs('/', { hpx: 1, nside: 1024, layout: 'VIRAC2 ts_tables' });
      f.createDataset('/sourceList/sourceid', { data: sourceid, ...gz });
      f.createDataset('/sourceList/ra', { data: ra, ...gz });
      f.createDataset('/catIndex/filter', { data: filters, stringLength: 2, ...gz });
      f.createDataset('/catIndex/mjdobs', { data: Float64Array.from({ length: nep }, (_, i) => 55000 + i * 0.5), ...gz });
      f.createVlenDataset('/timeSeries/catindexid', det, gz);
      f.createVlenDataset('/timeSeries/hfad_mag', mag, gz);
      f.createVlenDataset('/timeSeries/objtype', objtype, { ...gz, chunks: [64] });
    });
    const s = h5pySummary(file);
    expect(s.attrs).toEqual({ hpx: 1, nside: 1024, layout: 'VIRAC2 ts_tables' });
    expect(s['/sourceList/sourceid']).toMatchObject({ dtype: '<i8', sha: sha(bytesOf(sourceid)), compression: 'gzip', shuffle: true, shape: [nsrc] });
    expect(s['/sourceList/ra']).toMatchObject({ dtype: '<f8', sha: sha(bytesOf(ra)) });
    expect(s['/catIndex/filter']).toMatchObject({ dtype: '|S2', values: filters, compression: 'gzip', shuffle: true });
    const concat = <T extends BigInt64Array | Float32Array | Int32Array>(rows: T[], ctor: { new (n: number): T }): T => {
      const out = new ctor(rows.reduce((n, x) => n + x.length, 0));
      let at = 0;
      for (const x of rows) {
        (out as unknown as { set(a: T, o: number): void }).set(x, at);
        at += x.length;
      }
      return out;
    };
    expect(s['/timeSeries/catindexid']).toMatchObject({
      dtype: 'vlen<<i8>', sha: sha(bytesOf(concat(det, BigInt64Array))), lengths: det.slice(0, 20).map((d) => d.length), compression: 'gzip', shuffle: true,
    });
    expect(s['/timeSeries/hfad_mag']).toMatchObject({ dtype: 'vlen<<f4>', sha: sha(bytesOf(concat(mag, Float32Array))) });
    expect(s['/timeSeries/objtype']).toMatchObject({ dtype: 'vlen<<i4>', sha: sha(bytesOf(concat(objtype, Int32Array))), chunks: [64] });
  });

  it('a file h5py created, appended to by us, reads back in h5py', async () => {
    const file = path.join(tmp, 'daily.h5');
    execFileSync(PYTHON, [
      '-c',
      `import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("strain", data=np.arange(4, dtype="<f4"), maxshape=(None,), chunks=(1024,), compression="gzip")
    f.attrs["channel"] = "H1:STRAIN"`,
      file,
    ]);
    const more = Float32Array.from({ length: 5000 }, (_, i) => i + 4);
    await withHdf5(file, { mode: 'a' }, (f) => {
      f.append('/strain', more.subarray(0, 2000));
      f.append('/strain', more.subarray(2000));
      f.setAttrs('/strain', { sampleRate: 16384 });
    });
    const s = h5pySummary(file);
    expect(s['/strain']).toMatchObject({ shape: [5004], maxshape: [null], sha: sha(bytesOf(Float32Array.from({ length: 5004 }, (_, i) => i))) });
    expect(s.attrs).toEqual({ channel: 'H1:STRAIN' });
  });
});
