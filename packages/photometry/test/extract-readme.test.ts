/** The README's example runs as written and finds the three stars it makes. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const script = fileURLToPath(new URL(`./readme-example-${process.pid}.tmp.ts`, import.meta.url));
afterAll(() => rmSync(script, { force: true }));

it('README example runs: background ~1000, the three stars found at their positions', async () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  writeFileSync(script, blocks[0]);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(script);
    expect(log).toHaveBeenCalledTimes(2);
    const [count, back] = log.mock.calls[0] as [number, string];
    expect(count).toBe(3);
    expect(Math.abs(Number(back) - 1000)).toBeLessThan(5);
    const rows = String(log.mock.calls[1][0])
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    for (const [sx, sy] of [[60.3, 70.8], [180.5, 40.2], [128.9, 200.1]]) {
      const r = rows.find(([x, y]) => Math.hypot(x - sx, y - sy) < 0.3);
      expect(r, `star at ${sx}, ${sy}`).toBeDefined();
      expect(r![2]).toBeGreaterThan(0);
    }
  } finally {
    log.mockRestore();
  }
});
