/**
 * End to end: every shared VIRAC tile is read with this package and written
 * again with its writer (same chunks, gzip + shuffle, S2/S4/S20 strings, vlen
 * columns, attributes); the copy must match h5py's golden values exactly,
 * read back through HDF5 (h5wasm) and, when available, through h5py itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesOf } from '@astro/core';
import type { NumericArray } from '@astro/core';
import { withHdf5 } from '@astro/hdf5-io';
import type { NumericDtype } from '@astro/hdf5-io';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

interface Golden {
  tiles: Record<string, { attrs: Record<string, unknown>; datasets: Record<string, Record<string, unknown>> }>;
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/virac-golden.json', import.meta.url), 'utf8')) as Golden;
const dir = sharedData('virac');
const tmp = mkdtempSync(path.join(tmpdir(), 'hdf5-io-tilecopy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const hasH5py = spawnSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0;

async function copyTile(src: string, dst: string): Promise<void> {
  await withHdf5(src, undefined, async (inp) => {
    await withHdf5(dst, { mode: 'w' }, (out) => {
      out.setAttrs('/', inp.attrs());
      for (const g of inp.list('/')) {
        for (const e of inp.list(g.path)) {
          const info = inp.info(e.path);
          const storage = { chunks: info.chunks, compression: 'gzip' as const, shuffle: info.shuffle };
          if (info.vlen) out.createVlenDataset(e.path, inp.readVlen(e.path), storage);
          else if (info.dtype === 'string') {
            out.createDataset(e.path, { data: inp.read(e.path) as string[], stringLength: info.stringLength, ...storage });
          } else {
            out.createDataset(e.path, { data: inp.read(e.path) as NumericArray, dtype: info.dtype as NumericDtype, ...storage });
          }
        }
      }
    });
  });
}

describe.skipIf(!dir)(`shared tiles rewritten by our writer ${dir ? '' : missingDataMessage('virac')}`, () => {
  for (const tile of Object.keys(golden.tiles)) {
    it(`${tile}: the copy matches h5py's golden values`, async () => {
      const dst = path.join(tmp, tile);
      await copyTile(path.join(dir ?? '', 'tiles', tile), dst);
      const g = golden.tiles[tile];
      await withHdf5(dst, undefined, (f) => {
        expect(f.attrs()).toEqual(g.attrs);
        for (const [p, exp] of Object.entries(g.datasets)) {
          const info = f.info(p);
          expect(info).toMatchObject({ shape: exp.shape, compression: 'gzip', shuffle: true });
          if (exp.kind === 'vlen') {
            const col = f.readVlen(p);
            expect(sha(bytesOf(col.values)), p).toBe(exp.sha_values);
            expect(sha(bytesOf(col.offsets)), p).toBe(exp.sha_offsets);
          } else if (exp.kind === 'string') {
            expect(sha((f.read(p) as string[]).join('\n')), p).toBe(exp.sha);
          } else {
            expect(sha(bytesOf(f.read(p) as NumericArray)), p).toBe(exp.sha);
          }
        }
      });
      if (hasH5py) {
        const script = `
import hashlib, json, sys, h5py, numpy as np
out = {}
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, o):
        if isinstance(o, h5py.Dataset):
            vl = h5py.check_vlen_dtype(o.dtype)
            if vl is not None:
                base = np.dtype(vl).newbyteorder("<")
                rows = o[()]
                v = np.concatenate([np.asarray(r, base) for r in rows])
                out["/" + name] = hashlib.sha256(v.tobytes()).hexdigest()
            elif o.dtype.kind == "S":
                out["/" + name] = hashlib.sha256("\\n".join(x.decode("latin1") for x in o[()]).encode()).hexdigest()
            else:
                out["/" + name] = hashlib.sha256(o[()].tobytes()).hexdigest()
    f.visititems(visit)
json.dump(out, sys.stdout)`;
        const s = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, dst], { encoding: 'utf8' })) as Record<string, string>;
        for (const [p, exp] of Object.entries(g.datasets)) {
          expect(s[p], `h5py ${p}`).toBe(exp.kind === 'vlen' ? exp.sha_values : exp.sha);
        }
      }
    });
  }
});
