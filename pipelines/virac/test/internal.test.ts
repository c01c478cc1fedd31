import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTempFileName } from '@astro/core';
import * as virac from '@astro/virac';
import { ViracErrorCode, parseShard, parseLightCurveCsv } from '@astro/virac';
import { csvTempPath } from '../src/internal/csv-temp-path.js';
import { requireTileWorker, tileWorkerPath } from '../src/internal/worker-script.js';
import { PACKAGE_DIR, tempDir } from './helpers.js';

describe('the compiled tile worker is found from the running module', () => {
  it('beside the compiled module', () => {
    const url = pathToFileURL('/opt/app/node_modules/@astro/virac/dist/internal/worker-script.js').href;
    expect(tileWorkerPath(url)).toBe('/opt/app/node_modules/@astro/virac/dist/internal/tile-worker.js');
  });

  it('in the build output when running from the TypeScript source', () => {
    const url = pathToFileURL('/work/repo/pipelines/virac/src/internal/worker-script.ts').href;
    expect(tileWorkerPath(url)).toBe('/work/repo/pipelines/virac/dist/internal/tile-worker.js');
    // This test runs from the source (vitest resolves "source"); the global setup built dist.
    expect(tileWorkerPath()).toBe(path.join(PACKAGE_DIR, 'dist', 'internal', 'tile-worker.js'));
    expect(existsSync(requireTileWorker())).toBe(true);
  });

  it('names the missing script and says to build', () => {
    const dir = tempDir('no-worker');
    const module = path.join(dir, 'worker-script.js');
    writeFileSync(module, '');
    expect(() => requireTileWorker(pathToFileURL(module).href)).toThrow(/worker script .*tile-worker\.js not found; run `pnpm build`/);
    try {
      requireTileWorker(pathToFileURL(module).href);
    } catch (error) {
      expect((error as { code: string }).code).toBe(ViracErrorCode.worker);
    }
  });
});

describe('surfaces', () => {
  it('temporary CSV names are deterministic per tile and recognised as temporary', () => {
    const t = csvTempPath('/out/123.csv', '8535204');
    expect(t).toBe(csvTempPath('/out/123.csv', '8535204'));
    expect(path.dirname(t)).toBe('/out');
    expect(isTempFileName(t)).toBe(true);
  });

  it('usage errors carry VIRAC_USAGE and keep their messages', () => {
    expect(() => parseShard('3')).toThrow('--shard must be I/N (e.g. 0/16), got "3"');
    expect(() => parseShard('5/2')).toThrow('--shard 5/2: the index must be in 0..1');
    for (const bad of [() => parseShard('x'), () => parseLightCurveCsv('a,b\n1,2\n')]) {
      try {
        bad();
        expect.unreachable();
      } catch (error) {
        expect((error as { code: string }).code).toBe(ViracErrorCode.usage);
      }
    }
  });

  it('the index lists what a user calls, not the CSV internals', () => {
    for (const internal of ['ByteWriter', 'CsvTextBuilder', 'formatFixed', 'csvTempPath', 'EXTRACTION_COLUMNS', 'writeLightCurve', 'prepareEpochText']) {
      expect(Object.keys(virac), internal).not.toContain(internal);
    }
    for (const name of ['extractLightCurves', 'extractTile', 'openViracTile', 'plotLightCurve', 'csvPath', 'parseShard', 'ViracErrorCode']) {
      expect(Object.keys(virac)).toContain(name);
    }
  });
});
