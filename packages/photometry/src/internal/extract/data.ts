/** The pixels extractSources scans: float32, masked and non-finite pixels zeroed. */
import type { ImageData } from '@astro/core';
import { BIG as SEP_BIG } from './float32.js';

const BIG = SEP_BIG;

/**
 * Float32 view of the data with masked and non-finite pixels set to 0 (and
 * their noise, in `noise`, to BIG); copies only when needed: a float32 image
 * without mask, noise map or non-finite pixel is returned as a view.
 */
export function prepareData(
  data: ImageData,
  n: number,
  mask: Uint8Array | undefined,
  noise: Float32Array | null,
): Float32Array {
  if (data instanceof Float32Array && mask === undefined && noise === null) {
    let finite = true;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v !== v || v === Infinity || v === -Infinity) {
        finite = false;
        break;
      }
    }
    if (finite) return data.length === n ? data : data.subarray(0, n);
  }
  const img = new Float32Array(n);
  img.set(data.length === n ? data : data.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const v = img[i];
    let bad = v !== v || v === Infinity || v === -Infinity || (mask !== undefined && mask[i] !== 0);
    if (noise !== null) {
      const nv = noise[i];
      if (!(nv > 0) || nv === Infinity) bad = true;
      if (bad) noise[i] = BIG;
    }
    if (bad) img[i] = 0;
  }
  return img;
}
