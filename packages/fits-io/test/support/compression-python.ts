/**
 * Run /usr/bin/python3 with astropy for side-by-side checks. Tests that need it
 * skip with `ASTROPY_MISSING` when it is not installed
 * (`apt-get install -y python3-astropy`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

function probe(): boolean {
  if (!existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ['-c', 'import astropy, numpy'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0;
}

/** True when /usr/bin/python3 can import astropy and numpy. */
export const HAS_ASTROPY = probe();

/** Skip message for tests that need astropy. */
export const ASTROPY_MISSING =
  'skipped: /usr/bin/python3 with astropy not found (apt-get install -y python3-astropy to run the astropy interop tests)';

/** Run a Python script (stdin) with arguments; returns stdout, throws with stderr on failure. */
export function runPython(script: string, args: string[] = [], timeoutMs = 120_000): string {
  const r = spawnSync(PYTHON, ['-W', 'ignore', '-', ...args], {
    input: script,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
