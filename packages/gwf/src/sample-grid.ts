/**
 * The one rule by which readers put samples on a channel's time grid.
 *
 * @module
 */

/**
 * Tolerance, in samples, below which a time is taken to lie on a grid point:
 * times converted to nanoseconds carry rounding, so `t0 + k·step` may come
 * out a hair after sample `k`; it still counts as sample `k`.
 */
const ON_GRID_TOLERANCE = 1e-6;

/**
 * Index of the first sample at or after `tNs` on the grid that starts at
 * `t0Ns` with `sampleRate` samples per second: `ceil((tNs - t0Ns) / step - 1e-6)`
 * with `step = 1e9 / sampleRate` ns. A time at most 1e-6 of a step after a grid
 * point counts as that point. Negative when `tNs` is before `t0Ns`.
 *
 * @param tNs - GPS time in nanoseconds.
 * @param t0Ns - GPS time of sample 0 in nanoseconds.
 * @param sampleRate - Samples per second (> 0).
 * @returns The sample index (an integer, possibly negative).
 */
export function sampleIndexAt(tNs: bigint, t0Ns: bigint, sampleRate: number): number {
  // `+ 0` turns the -0 that ceil gives just below zero into 0.
  return Math.ceil(Number(tNs - t0Ns) / (1e9 / sampleRate) - ON_GRID_TOLERANCE) + 0;
}
