/**
 * Seeded pseudo-random numbers for synthetic data, tests and benchmarks:
 * mulberry32 (32-bit state, period 2^32), the same sequence on every
 * platform for a given seed. Not for cryptography.
 */

/** A generator of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/** mulberry32 seeded with `seed` (any number; its low 32 bits are used). */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from `random` (Box-Muller; uses two draws). */
export function gaussianDeviate(random: RandomSource): number {
  let u = 0;
  while (u === 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Poisson deviate of mean `lambda` (Knuth for small means, normal approximation above 60). */
export function poissonDeviate(random: RandomSource, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussianDeviate(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
