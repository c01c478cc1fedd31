import { PhotometryError } from '../errors.js';

/** A number, or one number per source. */
export type NumberOrArray = number | ArrayLike<number>;

/** Length of the broadcast of scalars and arrays (each array has length 1 or n). */
export function broadcastLength(fn: string, args: Record<string, NumberOrArray>): number {
  const lengths = Object.values(args)
    .filter((v): v is ArrayLike<number> => typeof v !== 'number')
    .map((v) => v.length);
  if (lengths.length === 0) return 1;
  const others = lengths.filter((l) => l !== 1);
  const n = others.length > 0 ? others[0] : 1;
  if (others.some((l) => l !== n)) {
    const sizes = Object.entries(args)
      .map(([k, a]) => `${k}: ${typeof a === 'number' ? 'scalar' : a.length}`)
      .join(', ');
    throw new PhotometryError(`${fn}: per-source arrays have different lengths (${sizes})`, {
      code: 'PHOT_SIZE_MISMATCH',
    });
  }
  return n;
}

/** Element i of a broadcast argument. */
export function scalarAt(v: NumberOrArray, i: number): number {
  if (typeof v === 'number') return v;
  return v.length === 1 ? v[0] : v[i];
}
