/**
 * Quantization of floating-point tiles (FITS tiled image convention §4):
 * `value = (q - r + 0.5) * ZSCALE + ZZERO` with subtractive dithering, where r
 * walks the standard table of 10000 uniform random numbers (Park & Miller
 * generator, seed 1, stored as float32 like cfitsio's `fits_rand_value`).
 */
import { TileCodecError } from './codecs/codec-error.js';

/** Number of values in the dither table. */
export const N_RANDOM = 10000;
/** Quantized value that marks an undefined (NaN) pixel. */
export const NULL_VALUE = -2147483647;
/** Quantized value that marks an exact 0.0 under SUBTRACTIVE_DITHER_2. */
export const ZERO_VALUE = -2147483646;
const N_RESERVED_VALUES = 10;

/** Quantization methods (ZQUANTIZ). */
export type QuantizeMethod = 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2';

let randoms: Float32Array | undefined;

/**
 * The standard dither table (computed once, immutable afterwards). Throws if
 * the generator does not end on the published check value 1043618065.
 */
export function ditherRandoms(): Float32Array {
  if (randoms) return randoms;
  const table = new Float32Array(N_RANDOM);
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  for (let i = 0; i < N_RANDOM; i++) {
    const temp = a * seed;
    seed = temp - m * Math.trunc(temp / m);
    table[i] = seed / m;
  }
  if (seed !== 1043618065) {
    throw new TileCodecError(`dither table generator ended on ${seed}; 1043618065 expected`);
  }
  randoms = table;
  return table;
}

/** Dither table position of a tile: (tile + ZDITHER0 - 1) mod 10000, tile zero-based. */
export function ditherSeedIndex(tileIndex: number, zdither0: number): number {
  return (((tileIndex + zdither0 - 1) % N_RANDOM) + N_RANDOM) % N_RANDOM;
}

function startOf(table: Float32Array, iseed: number): number {
  // cfitsio computes (int)(float * 500) in single precision.
  return Math.trunc(Math.fround(table[iseed] * 500));
}

/**
 * Restore floats from quantized integers into `out[0..count)`.
 * `blank` (or undefined) marks null pixels, which become NaN. Per-pixel
 * arithmetic is done in double precision, then stored (rounded once to
 * float32 for a Float32Array), as cfitsio does.
 */
export function unquantize(
  q: Int32Array,
  count: number,
  out: Float32Array | Float64Array,
  scale: number,
  zero: number,
  method: QuantizeMethod,
  seedIndex: number,
  blank: number | undefined,
): void {
  const checkNull = blank !== undefined;
  const nullValue = blank ?? 0;
  if (method === 'NO_DITHER') {
    for (let i = 0; i < count; i++) {
      const v = q[i];
      out[i] = checkNull && v === nullValue ? NaN : v * scale + zero;
    }
    return;
  }
  const table = ditherRandoms();
  let iseed = seedIndex;
  let next = startOf(table, iseed);
  const dither2 = method === 'SUBTRACTIVE_DITHER_2';
  const special = checkNull || dither2;
  let i = 0;
  // runs up to the end of the table, so the inner loops carry no wrap test
  while (i < count) {
    const run = Math.min(count - i, N_RANDOM - next);
    const end = i + run;
    if (!special) {
      for (let r = next - i; i < end; i++) out[i] = (q[i] - table[i + r] + 0.5) * scale + zero;
    } else {
      for (let r = next - i; i < end; i++) {
        const v = q[i];
        if (checkNull && v === nullValue) out[i] = NaN;
        else if (dither2 && v === ZERO_VALUE) out[i] = 0;
        else out[i] = (v - table[i + r] + 0.5) * scale + zero;
      }
    }
    next += run;
    if (next === N_RANDOM) {
      iseed++;
      if (iseed === N_RANDOM) iseed = 0;
      next = startOf(table, iseed);
    }
  }
}

function nint(x: number): number {
  return x >= 0 ? Math.trunc(x + 0.5) : Math.trunc(x - 0.5);
}

function median(values: Float64Array, n: number): number {
  const sorted = values.subarray(0, n).sort();
  return n % 2 === 1 ? sorted[(n - 1) >> 1] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

/**
 * Noise estimate of a tile (rows of `nx` pixels): the median over rows of
 * 0.6052697 * median |2 x[i] - x[i-2] - x[i+2]| (cfitsio's "noise3"),
 * falling back to the standard deviation for short rows. NaNs are skipped.
 */
export function estimateNoise(data: ArrayLike<number>, nx: number, ny: number): number {
  const rowMedians = new Float64Array(ny);
  const work = new Float64Array(nx);
  const good = new Float64Array(nx);
  let nRows = 0;
  for (let y = 0; y < ny; y++) {
    let n = 0;
    for (let x = 0; x < nx; x++) {
      const v = data[y * nx + x];
      if (!Number.isNaN(v)) good[n++] = v;
    }
    if (n < 9) continue;
    let m = 0;
    for (let i = 2; i < n - 2; i++) {
      const d = Math.abs(2 * good[i] - good[i - 2] - good[i + 2]);
      work[m++] = d;
    }
    rowMedians[nRows++] = 0.6052697 * median(work, m);
  }
  if (nRows > 0) {
    const noise = median(rowMedians, nRows);
    if (noise > 0) return noise;
  }
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let i = 0; i < nx * ny; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    sum += v;
    sum2 += v * v;
    n++;
  }
  if (n < 2) return 0;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sum2 / n - mean * mean));
}

/** A quantized tile: integers plus the ZSCALE/ZZERO that restore them. */
export interface QuantizedTile {
  values: Int32Array;
  scale: number;
  zero: number;
  /** True when some pixel was NaN (stored as {@link NULL_VALUE}). */
  hasNull: boolean;
}

/**
 * Quantize one float tile (rows of `nx` pixels). `level` > 0 sets the step to
 * noise / level; `level` < 0 sets the step to -level directly. Returns
 * undefined when the tile cannot be quantized (constant, all NaN or a range
 * too wide for 32-bit integers); the caller then stores it losslessly.
 * Infinite values cannot be quantized either.
 */
export function quantizeTile(
  data: ArrayLike<number>,
  nx: number,
  ny: number,
  level: number,
  method: QuantizeMethod,
  seedIndex: number,
): QuantizedTile | undefined {
  const count = nx * ny;
  if (count <= 1) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let nGood = 0;
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) return undefined;
    if (v < min) min = v;
    if (v > max) max = v;
    nGood++;
  }
  if (nGood === 0) return undefined;
  let delta: number;
  if (level >= 0) {
    const noise = estimateNoise(data, nx, ny);
    delta = level === 0 ? noise / 4 : noise / level;
  } else {
    delta = -level;
  }
  if (!(delta > 0) || !Number.isFinite(delta)) return undefined;
  if ((max - min) / delta > 2 * 2147483647 - N_RESERVED_VALUES) return undefined;
  let zero: number;
  const hasNull = nGood !== count;
  if (hasNull || method === 'SUBTRACTIVE_DITHER_2') {
    zero = min - delta * (NULL_VALUE + N_RESERVED_VALUES);
  } else if ((max - min) / delta < 2147483647 - N_RESERVED_VALUES) {
    zero = Math.trunc(min / delta + 0.5) * delta;
  } else {
    zero = (min + max) / 2;
  }
  const values = new Int32Array(count);
  if (method === 'NO_DITHER') {
    for (let i = 0; i < count; i++) {
      const v = data[i];
      values[i] = Number.isNaN(v) ? NULL_VALUE : nint((v - zero) / delta);
    }
  } else {
    const table = ditherRandoms();
    let iseed = seedIndex;
    let next = startOf(table, iseed);
    const dither2 = method === 'SUBTRACTIVE_DITHER_2';
    for (let i = 0; i < count; i++) {
      const v = data[i];
      if (Number.isNaN(v)) values[i] = NULL_VALUE;
      else if (dither2 && v === 0) values[i] = ZERO_VALUE;
      else values[i] = nint((v - zero) / delta + table[next] - 0.5);
      next++;
      if (next === N_RANDOM) {
        iseed++;
        if (iseed === N_RANDOM) iseed = 0;
        next = startOf(table, iseed);
      }
    }
  }
  return { values, scale: delta, zero, hasNull };
}
