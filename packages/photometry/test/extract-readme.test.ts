/** The README's example runs as written and finds the three stars it makes. */
import { expect, it } from 'vitest';
import { runReadmeExample } from '@astro/test-support/readme';

it('README example runs: background ~1000, the three stars found at their positions', async () => {
  const calls = await runReadmeExample(import.meta.url);
  expect(calls).toHaveLength(2);
  const [count, back] = calls[0] as [number, string];
  expect(count).toBe(3);
  expect(Math.abs(Number(back) - 1000)).toBeLessThan(5);
  const rows = String(calls[1][0])
    .split('\n')
    .map((l) => l.split(' ').map(Number));
  for (const [sx, sy] of [[60.3, 70.8], [180.5, 40.2], [128.9, 200.1]]) {
    const r = rows.find(([x, y]) => Math.hypot(x - sx, y - sy) < 0.3);
    expect(r, `star at ${sx}, ${sy}`).toBeDefined();
    expect(r![2]).toBeGreaterThan(0);
  }
});
