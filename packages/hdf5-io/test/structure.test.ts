/**
 * Structure snapshot of the h5py-written fixture types.h5 (make_types.py), as
 * h5web's metadata viewer shows a file: every object's path and kind, and for
 * datasets the dtype, shape, storage, attributes and first values. A change
 * in what the reader reports (dtype names, member offsets, filters, decoded
 * values) shows up as a snapshot diff.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withHdf5 } from '@astro/hdf5-io';
import type { Hdf5Reader } from '@astro/hdf5-io';

const fixture = fileURLToPath(new URL('./fixtures/types.h5', import.meta.url));
const FIRST = 3;

/** First values of a dataset, or why there are none. */
function firstValues(f: Hdf5Reader, path: string): unknown {
  const info = f.info(path);
  const range = info.shape.length === 0 ? undefined : { end: FIRST };
  if (info.vlen !== undefined) {
    const col = f.readVlen(path, range);
    return Array.from({ length: col.nrows }, (_, i) => col.values.subarray(col.offsets[i], col.offsets[i + 1]));
  }
  if (info.dtype === 'compound') return f.readCompound(path, range);
  if (info.dtype === 'other') return '(not readable)';
  return f.read(path, range);
}

function describeTree(f: Hdf5Reader, group = '/'): unknown[] {
  const out: unknown[] = [];
  for (const entry of f.list(group)) {
    if (entry.kind === 'group') {
      out.push({ path: entry.path, kind: 'group', attrs: f.attrs(entry.path) });
      out.push(...describeTree(f, entry.path));
    } else if (entry.kind === 'dataset') {
      const { path, ...info } = f.info(entry.path);
      out.push({ path, kind: 'dataset', ...info, attrs: f.attrs(entry.path), first: firstValues(f, entry.path) });
    } else {
      out.push({ path: entry.path, kind: entry.kind });
    }
  }
  return out;
}

describe('types.h5 structure', () => {
  it('matches the snapshot: every object, dtype, shape, storage, attributes and first values', async () => {
    const tree = await withHdf5(fixture, undefined, (f) => ({ root: { attrs: f.attrs('/') }, objects: describeTree(f) }));
    expect(tree).toMatchSnapshot();
  });
});
