/**
 * `gwf-dump FILE... [--json] [--channel NAME]... [--verify]`: header, frames
 * and per-channel statistics of GWF frame files, like FrameL's FrDump.
 *
 * ```
 * $ gwf-dump H-H1_LOSC_4_V2-1126259446-32.gwf --channel H1:LOSC-STRAIN
 * H-H1_LOSC_4_V2-1126259446-32.gwf: frame format v8, little-endian, ...
 * frame 0  ...  GPS 1126259446.000000000 dt 32 s
 *   proc H1:LOSC-STRAIN  4096 Hz  REAL_8  compress 257  nData 131072  min ... crc32 552789565
 * ```
 *
 * `--channel` (`-c`) may be repeated. Exit codes: 0 every file read (and
 * its checksum, when verified, agrees), 1 a file could not be read or its
 * checksum disagrees, 2 usage.
 */
import { parseArgs } from 'node:util';
import { dumpGwf, formatGwfDump } from '../index.js';

const USAGE = [
  'usage: gwf-dump FILE... [--json] [--channel NAME]... [--verify]',
  'Print header, frames and per-channel statistics of GWF frame files (like FrDump).',
  '  --json            print JSON (one document with every file)',
  '  -c, --channel N   only channel N (repeat for more)',
  '  --verify          verify structure and file checksums',
].join('\n');

/** JSON for dumps: bigints as strings, non-finite numbers by name. */
function jsonValue(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

/** Run `gwf-dump` with `args` (default: the process arguments); resolves to the exit code. */
export async function runGwfDump(args: string[] = process.argv.slice(2)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        channel: { type: 'string', short: 'c', multiple: true },
        verify: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`gwf-dump: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const opts = parsed.values;
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    console.error(`gwf-dump: no frame file given\n${USAGE}`);
    return 2;
  }
  const results: unknown[] = [];
  let failed = 0;
  for (const file of files) {
    try {
      const d = await dumpGwf(file, { channels: opts.channel, verifyChecksums: opts.verify });
      if (opts.json) results.push(d);
      else console.log(formatGwfDump(d));
      if (d.fileChecksum && !d.fileChecksum.ok) failed++;
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      if (opts.json) results.push({ file, error: message });
      console.error(message);
    }
  }
  if (opts.json) console.log(JSON.stringify(results, jsonValue, 2));
  return failed ? 1 : 0;
}
