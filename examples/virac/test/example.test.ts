import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('examples/virac', () => {
  it('extract-light-curves.mjs runs end to end on generated tiles', () => {
    const before = new Set(readdirSync(tmpdir()));
    let out: string;
    try {
      out = execFileSync(process.execPath, [path.join(here, '..', 'extract-light-curves.mjs')], { encoding: 'utf8' });
    } finally {
      for (const name of readdirSync(tmpdir())) {
        if (name.startsWith('virac-example-') && !before.has(name)) rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
      }
    }
    const json = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1));
    expect(json.tiles).toBe(2);
    expect(json.completed).toBe(2);
    expect(json.failed).toBe(0);
    expect(json.valid).toBeGreaterThan(50);
    expect(out).toMatch(/plot: .*\.png/);
  });
  it('the sbatch script is valid bash', () => {
    execFileSync('bash', ['-n', path.join(here, '..', 'slurm-array.sbatch')]);
  });
});
