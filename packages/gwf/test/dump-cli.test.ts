import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dumpGwf, formatGwfDump } from '@astro/gwf';
import { runGwfDump } from '@astro/gwf/cli';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const ref = sharedData('gwf');

/** Run the CLI module in-process with the given arguments; capture stdout/stderr. */
async function runCli(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const argv = process.argv;
  process.argv = ['node', 'gwf-dump', ...args];
  process.exitCode = undefined;
  vi.resetModules();
  try {
    await import('../src/cli/gwf-dump.js');
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.argv = argv;
    log.mockRestore();
    error.mockRestore();
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out: out.join('\n'), err: err.join('\n'), code };
}

afterEach(() => vi.restoreAllMocks());

describe('gwf-dump usage', () => {
  it('exit 2 with the usage for no file or an unknown option; --help prints it (exit 0)', async () => {
    const err: string[] = [];
    const out: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    expect(await runGwfDump([])).toBe(2);
    expect(err.join('\n')).toContain('no frame file given');
    expect(await runGwfDump(['--bogus', 'x.gwf'])).toBe(2);
    expect(err.join('\n')).toContain("Unknown option '--bogus'");
    expect(await runGwfDump(['--help'])).toBe(0);
    expect(out.join('\n')).toContain('usage: gwf-dump FILE...');
  });

  it('a missing file is exit 1 with the error, other files still dumped', async () => {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    expect(await runGwfDump(['/nonexistent/x.gwf', '--json'])).toBe(1);
    expect(err.join('\n')).toMatch(/x\.gwf.*cannot open/);
    expect(JSON.parse(out.join('\n'))).toEqual([{ file: '/nonexistent/x.gwf', error: expect.stringContaining('cannot open') }]);
  });
});

describe.skipIf(!ref)(ref ? 'gwf-dump' : missingDataMessage('gwf'), () => {
  it('dumpGwf gives FrameL figures (libframe-test, frame 3, Adc2)', async () => {
    const d = await dumpGwf(path.join(ref!, 'libframe-test.gwf'), { channels: ['Adc2'], verifyChecksums: true });
    expect(d.frames).toHaveLength(10);
    expect(d.fileChecksum?.ok).toBe(true);
    const c = d.frames[0].channels;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ kind: 'adc', name: 'Adc2', sampleRate: 200, typeName: 'INT_2S', compress: 261, nData: 200 });
    expect(c[0].stats).toMatchObject({ crc32: 2541966878, sum: 264228, min: -32321, max: 32478, nNaN: 0 });
    expect(formatGwfDump(d)).toContain('adc  Adc2  200 Hz  INT_2S  compress 261  nData 200  min -32321 max 32478 sum 264228 nNaN 0 crc32 2541966878');
  });

  it('CLI: text, --json, --channel, and a clear error for a non-GWF file (exit 1)', async () => {
    const losc = path.join(ref!, 'H-H1_LOSC_4_V2-1126259446-32.gwf');
    const text = await runCli([losc]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('frame format v8');
    expect(text.out).toContain('GPS 1126259446.000000000 dt 32 s');
    expect(text.out).toContain('proc H1:LOSC-STRAIN  4096 Hz  REAL_8  compress 257  nData 131072');
    expect(text.out).toContain('crc32 552789565');

    const json = await runCli([losc, '--json', '--channel', 'H1:LOSC-DQMASK']);
    const parsed = JSON.parse(json.out);
    expect(parsed[0].frames[0].channels).toHaveLength(1);
    expect(parsed[0].frames[0].channels[0].stats).toMatchObject({ crc32: 4559788, sum: 4064, min: 127, max: 127 });

    const bad = await runCli([losc, path.join(ref!, 'README.md')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/README\.md: file header \(byte 0\): bad magic/);
    expect(bad.out).toContain('H1:LOSC-STRAIN');
  });
});
