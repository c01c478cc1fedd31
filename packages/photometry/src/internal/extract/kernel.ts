/** The detection filter kernel of extractSources, checked and normalised (SEP's order). */
import type { Kernel } from '@astro/image';
import { fail } from '../fail.js';

const f32 = Math.fround;


/**
 * The kernel from its rows (`null`: no filtering), its weights divided by
 * the sum of their absolute values in float32, as SEP normalises it.
 *
 * @throws PhotometryError for an empty, ragged, non-finite or all-zero kernel.
 */
export function normaliseKernel(rows: readonly (readonly number[])[] | null): Kernel | null {
  if (rows === null) return null;
  const kh = rows.length;
  const kw = kh > 0 ? rows[0].length : 0;
  if (kh === 0 || kw === 0 || rows.some((r) => r.length !== kw)) {
    fail('extractSources', 'filterKernel must be a non-empty rectangular array of rows');
  }
  const values = new Float32Array(kw * kh);
  let sum = 0;
  for (let j = 0; j < kh; j++) {
    for (let i = 0; i < kw; i++) {
      const v = rows[j][i];
      if (!Number.isFinite(v)) fail('extractSources', `filterKernel[${j}][${i}] = ${String(v)} is not finite`);
      values[j * kw + i] = v;
      sum = f32(sum + Math.abs(values[j * kw + i]));
    }
  }
  if (!(sum > 0)) fail('extractSources', 'filterKernel weights are all zero');
  for (let i = 0; i < values.length; i++) values[i] = f32(values[i] / sum);
  return { data: values, width: kw, height: kh };
}
