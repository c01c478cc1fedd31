/**
 * The CLIs, run as users run them: node on the built dist (built once here).
 * fits-info is compared line by line with astropy's `fits.info()` for every
 * reference file when astropy is installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '@astro/test-support/build-once';
import { REPO_ROOT, missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { NO_ASTROPY, hasAstropy, runPython } from './support/python.js';

const dist = path.join(REPO_ROOT, 'packages/fits-io/dist/cli');
const dir = sharedData('fits');

function run(tool: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [path.join(dist, `${tool}.js`), ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

beforeAll(() => {
  buildOnce(['packages/fits-io']);
});

describe.skipIf(!dir)(`fits-info and fits-header (${dir ? 'shared/data/fits' : missingDataMessage('fits')})`, () => {
  it('fits-header prints cards and single keywords, HIERARCH included', () => {
    const file = path.join(dir!, 'header_edge.fits');
    const all = run('fits-header', [file]);
    expect(all.status).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    // the card images as stored, up to END
    const raw = readFileSync(file, 'latin1').slice(0, 2880).match(/.{80}/g)!.map((c) => c.trimEnd());
    expect(lines).toEqual(raw.slice(0, raw.indexOf('END')));
    expect(lines[0]).toBe('SIMPLE  =                    T / conforms to FITS standard');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.filter((l) => l.startsWith('CONTINUE')).length).toBeGreaterThan(0);
    const one = run('fits-header', [file, '--hdu', '0', '--key', 'ESO DET CHIP NAME']);
    expect(one.stdout.trim()).toBe("HIERARCH ESO DET CHIP NAME = 'CCD-1   '");
    const none = run('fits-header', [file, '--key', 'NOPE']);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no keyword NOPE/);
    const byName = run('fits-header', [path.join(dir!, 'mef_calexp.fits'), '--hdu', 'MASK', '--key', 'MP_SAT']);
    expect(byName.stdout.trim()).toMatch(/^MP_SAT  =\s+1/);
  });

  it('fits-info reports a damaged file with its name and exit code 1', () => {
    const r = run('fits-info', [path.join(dir!, 'README.md'), path.join(dir!, 'img_u8.fits')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fits-info: FITS .*README\.md/);
    expect(r.stdout).toMatch(/img_u8\.fits/);
  });

  it.skipIf(!hasAstropy())(`fits-info equals astropy's fits.info() for every reference file${hasAstropy() ? '' : ` (${NO_ASTROPY})`}`, () => {
    const files = readdirSync(dir!).filter((f) => f.endsWith('.fits')).sort().map((f) => path.join(dir!, f));
    const ours = run('fits-info', files);
    expect(ours.status).toBe(0);
    const theirs = runPython('import sys\nfrom astropy.io import fits\nfor f in sys.argv[1:]: fits.info(f)', files);
    expect(ours.stdout.trimEnd().split('\n')).toEqual(theirs.trimEnd().split('\n'));
  });
});
