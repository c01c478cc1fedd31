import { describe, expect, it } from 'vitest';
import { sampleIndexAt } from '@astro/gwf';

const S = 1_000_000_000n;

describe('sampleIndexAt', () => {
  it('is the index itself on an exact grid point', () => {
    expect(sampleIndexAt(10n * S, 10n * S, 16)).toBe(0);
    expect(sampleIndexAt(11n * S, 10n * S, 16)).toBe(16);
    expect(sampleIndexAt(10n * S + 62_500_000n, 10n * S, 16)).toBe(1); // 1/16 s
    expect(sampleIndexAt(100n * S, 0n, 16384)).toBe(1_638_400);
  });

  it('rounds up between grid points', () => {
    expect(sampleIndexAt(10n * S + 100n, 10n * S, 16)).toBe(1); // 1.6e-6 step after point 0
    expect(sampleIndexAt(10n * S + 62_499_999n, 10n * S, 16)).toBe(1);
    expect(sampleIndexAt(10n * S + 62_500_100n, 10n * S, 16)).toBe(2);
    expect(sampleIndexAt(10n * S + 62_500_001n, 10n * S, 16)).toBe(1); // within 1e-6 step of point 1
  });

  it('takes a time up to 1e-6 of a step after a grid point as that point', () => {
    expect(sampleIndexAt(10n * S + 1n, 10n * S, 16)).toBe(0); // 1.6e-8 step after point 0
    expect(sampleIndexAt(10n * S + 62n, 10n * S, 16)).toBe(0); // 9.9e-7 step
    expect(sampleIndexAt(10n * S + 63n, 10n * S, 16)).toBe(1); // 1.008e-6 step
    // 16384 Hz: step 61035.15625 ns; 0.05 ns is < 1e-6 step, 1 ns is > 1e-6 step.
    const step = 1e9 / 16384;
    const t0 = 5n * S;
    expect(sampleIndexAt(t0 + BigInt(Math.round(3 * step)), t0, 16384)).toBe(3); // 183105.47 rounds to 183105 ns: 7.7e-6 step before point 3
    expect(sampleIndexAt(t0 + 183_105n, t0, 16384)).toBe(3);
    expect(sampleIndexAt(t0 + 183_106n, t0, 16384)).toBe(4); // 0.53 ns after point 3: 8.7e-6 step → next
    // 1 Hz grid: step 1e9 ns, 1e-6 step = 1000 ns.
    expect(sampleIndexAt(7n * S + 999n, 0n, 1)).toBe(7);
    expect(sampleIndexAt(7n * S + 1001n, 0n, 1)).toBe(8);
  });

  it('is negative before the grid start', () => {
    expect(sampleIndexAt(9n * S, 10n * S, 16)).toBe(-16);
    expect(sampleIndexAt(10n * S - 1n, 10n * S, 16)).toBe(0); // ceil(-1.6e-8 - 1e-6) = -0, returned as 0
    expect(sampleIndexAt(10n * S - 62_500_000n, 10n * S, 16)).toBe(-1);
    expect(sampleIndexAt(10n * S - 62_500_001n, 10n * S, 16)).toBe(-1);
    expect(sampleIndexAt(0n, 3n * S, 0.5)).toBe(-1); // 2 s step, 3 s before: first point at or after is -1 (−2 s)
  });
});
