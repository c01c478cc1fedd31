import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CsvTextBuilder } from '../src/internal/csv-text-builder.js';
import { formatFixed } from '../src/internal/printf.js';
import { seededRandom } from '@astro/core';

describe('formatFixed (printf %.Nf)', () => {
  it('rounds exact ties half to even, like glibc', () => {
    expect(formatFixed(0.03125, 4)).toBe('0.0312');
    expect(formatFixed(0.09375, 4)).toBe('0.0938');
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(-0.03125, 4)).toBe('-0.0312');
    expect(formatFixed(16.40625, 4)).toBe('16.4062');
  });
  it('rounds non-ties to nearest, on the exact binary value', () => {
    // 1.005 is 1.00499999999999989... in binary: printf gives 1.00
    expect(formatFixed(1.005, 2)).toBe('1.00');
    expect(formatFixed(0.0001, 4)).toBe('0.0001');
    expect(formatFixed(55286.022245, 6)).toBe('55286.022245');
    expect(formatFixed(Math.fround(16.3806), 4)).toBe('16.3806');
    expect(formatFixed(123456789.987654321, 6)).toBe('123456789.987654');
  });
  it('keeps the sign of negative zero and small negatives', () => {
    expect(formatFixed(-0, 2)).toBe('-0.00');
    expect(formatFixed(-0.00001, 4)).toBe('-0.0000');
    expect(formatFixed(0, 3)).toBe('0.000');
  });
  it('formats huge values exactly', () => {
    expect(formatFixed(1e22, 2)).toBe('10000000000000000000000.00');
    expect(formatFixed(2 ** 60 + 0.0, 1)).toBe('1152921504606846976.0');
  });
  it('prints nan and inf like glibc', () => {
    expect(formatFixed(Number.NaN, 2)).toBe('nan');
    expect(formatFixed(Number.POSITIVE_INFINITY, 2)).toBe('inf');
    expect(formatFixed(Number.NEGATIVE_INFINITY, 2)).toBe('-inf');
  });

  // Side by side with the C library through Python's % operator (which calls
  // the platform's correctly rounded formatting): thousands of random values,
  // float32-widened ones and constructed ties.
  const python = (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'print(1)']);
      return '/usr/bin/python3';
    } catch {
      return undefined;
    }
  })();
  it.skipIf(!python)('agrees with C printf on 20,000 random, float32 and tie values', () => {
    const r = seededRandom(42);
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) values.push((r() - 0.3) * 10 ** Math.floor(r() * 8 - 3));
    for (let i = 0; i < 5000; i++) values.push(Math.fround(r() * 30));
    for (let i = 0; i < 5000; i++) values.push(Math.floor(r() * 1e6) / 2 ** Math.floor(r() * 12)); // dyadic: many exact ties
    for (let i = 0; i < 5000; i++) values.push(50000 + r() * 10000);
    const digits = [6, 4, 3, 2];
    const script =
      'import sys,json\nv=json.load(sys.stdin)\nfor x in v:\n  for d in (6,4,3,2): print(("%." + str(d) + "f") % x)\n';
    const out = execFileSync(python!, ['-c', script], { input: JSON.stringify(values), maxBuffer: 1 << 26 })
      .toString()
      .split('\n');
    let k = 0;
    let mismatches = 0;
    for (const v of values) {
      for (const d of digits) {
        if (formatFixed(v, d) !== out[k]) mismatches++;
        k++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('CsvTextBuilder.fixed', () => {
  it('writes the same digits as formatFixed for every precision and magnitude', () => {
    const r = seededRandom(7);
    const w = new CsvTextBuilder(16);
    const values = [0, -0, 0.5, 1.5, 2.5, 0.03125, 99.99995, 100, 999.5, 1e15, 123456789012.5, 5e-324, -1e-7, 2 ** 53, 1e300];
    for (let i = 0; i < 20000; i++) values.push((r() - 0.5) * 10 ** Math.floor(r() * 14 - 4));
    for (let i = 0; i < 5000; i++) values.push(Math.floor(r() * 1e7) / 2 ** Math.floor(r() * 14));
    let mismatches = 0;
    for (const v of values) {
      for (let d = 0; d <= 9; d++) {
        w.clear();
        w.fixed(v, d);
        if (w.toString() !== formatFixed(v, d)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    w.clear();
    w.fixed(Number.NaN, 4);
    expect(w.length).toBe(0); // NaN is an empty CSV field
  });
});
