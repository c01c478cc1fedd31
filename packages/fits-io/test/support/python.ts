/** Run Debian's python3 with astropy, when installed (tests skip with a clear message otherwise). */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

let cached: boolean | undefined;

/** True when /usr/bin/python3 can import astropy. */
export function hasAstropy(): boolean {
  if (cached === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import astropy.io.fits, numpy'], { encoding: 'utf8' });
    cached = r.status === 0;
  }
  return cached;
}

export const NO_ASTROPY = 'skipped: /usr/bin/python3 with astropy not found (apt-get install -y python3-astropy; CI installs it)';

/** Run a python script with arguments; returns stdout, throws with stderr on failure. */
export function runPython(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
