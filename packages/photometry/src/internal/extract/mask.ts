import { PhotometryErrorCode } from '../../errors.js';
import { fail } from '../fail.js';

/**
 * The mask as "non-zero = masked" (`mask[i] > maskThresh`); a new array only
 * when `maskThresh` is not 0. Used by estimateBackground and extractSources.
 */
export function thresholdMask(
  mask: Uint8Array | undefined,
  maskThresh: number | undefined,
  n: number,
  caller: string,
): Uint8Array | undefined {
  if (mask === undefined) return undefined;
  if (!(mask instanceof Uint8Array)) {
    fail(caller, 'mask must be a Uint8Array');
  }
  if (mask.length < n) {
    fail(caller, `mask has ${mask.length} values, the image ${n}`, PhotometryErrorCode.sizeMismatch);
  }
  const t = maskThresh ?? 0;
  if (typeof t !== 'number' || Number.isNaN(t)) {
    fail(caller, `option maskThresh = ${String(t)} is not a number`);
  }
  if (t === 0) return mask;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = mask[i] > t ? 1 : 0;
  return out;
}
