/** h5wasm metadata -> {@link DatasetInfo}: dtype, storage and filters of a dataset. */
import type { Metadata } from 'h5wasm/node';
import type { CompoundMemberInfo, DatasetInfo, Hdf5Dtype, NumericDtype } from '../../types.js';
import { H5T, numericDtypeOf } from '../dtype.js';

/** HDF5 filter ids -> names (h5py's, where it has one). */
export const FILTER_NAMES: Record<number, string> = { 1: 'gzip', 2: 'shuffle', 3: 'fletcher32', 4: 'szip', 5: 'nbit', 6: 'scaleoffset', 32000: 'lzf', 32001: 'blosc', 32004: 'lz4', 32008: 'bitshuffle', 32015: 'zstd' };

/** Object kinds from H5Gget_objinfo. */
export const H5G = { GROUP: 0, DATASET: 1, TYPE: 2, LINK: 3, UDLINK: 4 } as const;

function maxDim(d: number): number | null {
  return d >= Number.MAX_SAFE_INTEGER ? null : d;
}

function memberInfo(m: Metadata & { name?: string; offset?: number }): CompoundMemberInfo {
  const t = hdf5DtypeOf(m);
  const out: CompoundMemberInfo = { name: m.name ?? '', dtype: t.dtype, offset: m.offset ?? 0, size: m.size };
  if (t.stringLength !== undefined) out.stringLength = t.stringLength;
  return out;
}

function hdf5DtypeOf(md: Metadata): { dtype: Hdf5Dtype; stringLength?: number; vlenBase?: NumericDtype } {
  switch (md.type) {
    case H5T.INTEGER:
    case H5T.FLOAT:
      return { dtype: numericDtypeOf(md.type, md.size, md.signed) ?? 'other' };
    case H5T.ENUM:
      return { dtype: numericDtypeOf(md.enum_type?.type ?? -1, md.size, md.signed) ?? 'other' };
    case H5T.STRING:
      return md.vlen ? { dtype: 'string' } : { dtype: 'string', stringLength: md.size };
    case H5T.COMPOUND:
      return { dtype: 'compound' };
    case H5T.VLEN: {
      const b = md.vlen_type;
      const base = b === undefined ? undefined : numericDtypeOf(b.type, b.size, b.signed);
      return base === undefined ? { dtype: 'other' } : { dtype: `vlen<${base}>`, vlenBase: base };
    }
    default:
      return { dtype: 'other' };
  }
}

/** The {@link DatasetInfo} of dataset `p` from its h5wasm metadata and filter names. */
export function buildInfo(p: string, md: Metadata, filters: string[]): DatasetInfo {
  const t = hdf5DtypeOf(md);
  const info: DatasetInfo = { path: p, shape: md.shape ?? [], dtype: t.dtype, elementSize: md.size };
  if (t.vlenBase !== undefined) info.vlen = { base: t.vlenBase };
  if (t.dtype === 'string') {
    if (t.stringLength !== undefined) info.stringLength = t.stringLength;
    info.stringPadding = md.strpad === 2 ? 'spacepad' : md.strpad === 1 ? 'nullpad' : 'nullterm';
    info.charset = md.cset === 1 ? 'utf-8' : 'ascii';
  }
  if (t.dtype === 'compound' && md.compound_type !== undefined) {
    info.members = md.compound_type.members.map(memberInfo);
  }
  if (md.chunks !== null && md.chunks !== undefined) info.chunks = [...md.chunks];
  if (md.maxshape !== null && md.maxshape !== undefined) info.maxshape = md.maxshape.map(maxDim);
  if (filters.length > 0) {
    info.filters = filters;
    info.shuffle = filters.includes('shuffle');
    const comp = filters.find((f) => f !== 'shuffle' && f !== 'fletcher32');
    if (comp !== undefined) info.compression = comp;
  }
  return info;
}
