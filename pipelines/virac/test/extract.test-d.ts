import { describe, expectTypeOf, it } from 'vitest';
import { extractLightCurves, extractTile, plotLightCurve, ViracErrorCode } from '@astro/virac';
import type { Durability, ExtractLightCurvesOptions, ExtractProgress, ExtractSummary, OutputLayout, Shard, TileResult } from '@astro/virac';

describe('extractLightCurves', () => {
  it('takes an options object and resolves to a summary', () => {
    expectTypeOf(extractLightCurves).parameter(0).toEqualTypeOf<ExtractLightCurvesOptions>();
    expectTypeOf(extractLightCurves).returns.resolves.toEqualTypeOf<ExtractSummary>();
  });

  it('needs the input and output directories; everything else is optional', () => {
    expectTypeOf<Pick<ExtractLightCurvesOptions, 'inputDir' | 'outputDir'>>().toEqualTypeOf<{ inputDir: string; outputDir: string }>();
    expectTypeOf({ inputDir: 'a', outputDir: 'b' }).toExtend<ExtractLightCurvesOptions>();
    // @ts-expect-error outputDir is required
    void extractLightCurves({ inputDir: 'a' });
    // @ts-expect-error layouts are flat or nested
    void extractLightCurves({ inputDir: 'a', outputDir: 'b', layout: 'deep' });
  });

  it('has typed options', () => {
    expectTypeOf<ExtractLightCurvesOptions['durability']>().toEqualTypeOf<Durability | undefined>();
    expectTypeOf<Durability>().toEqualTypeOf<'fsync' | 'syncfs' | 'none'>();
    expectTypeOf<ExtractLightCurvesOptions['layout']>().toEqualTypeOf<OutputLayout | undefined>();
    expectTypeOf<OutputLayout>().toEqualTypeOf<'flat' | 'nested'>();
    expectTypeOf<ExtractLightCurvesOptions['shard']>().toEqualTypeOf<Shard | undefined>();
    expectTypeOf<ExtractLightCurvesOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf<ExtractLightCurvesOptions['onProgress']>().toEqualTypeOf<((progress: ExtractProgress) => void) | undefined>();
    expectTypeOf<ExtractProgress['event']>().toEqualTypeOf<'start' | 'tile-complete' | 'tile-failed' | 'done'>();
    expectTypeOf<ExtractProgress['result']>().toEqualTypeOf<TileResult | undefined>();
  });

  it('summarises tiles, sources, failures and pending tiles', () => {
    expectTypeOf<ExtractSummary>().toEqualTypeOf<{
      tiles: number;
      completed: number;
      failed: number;
      sources: number;
      valid: number;
      failures: { tile: string; error: string }[];
      pending: string[];
      aborted: boolean;
      elapsedSeconds: number;
    }>();
  });
});

describe('the rest of the surface', () => {
  it('extractTile resolves to a TileResult', () => {
    expectTypeOf(extractTile).returns.resolves.toEqualTypeOf<TileResult>();
  });

  it('plotLightCurve resolves to PNG bytes or SVG text', () => {
    expectTypeOf(plotLightCurve).returns.resolves.toEqualTypeOf<Uint8Array | string>();
  });

  it('error codes are literal', () => {
    expectTypeOf(ViracErrorCode.tile).toEqualTypeOf<'VIRAC_TILE'>();
    expectTypeOf<ViracErrorCode>().toEqualTypeOf<'VIRAC_TILE' | 'VIRAC_ABORTED' | 'VIRAC_INPUT' | 'VIRAC_WORKER' | 'VIRAC_USAGE'>();
  });

  it('keeps internals out of the index', async () => {
    const mod = await import('@astro/virac');
    // @ts-expect-error internal: src/internal/csv-text-builder.ts
    void mod.ByteWriter;
    // @ts-expect-error internal: src/internal/printf.ts
    void mod.formatFixed;
    // @ts-expect-error internal: src/internal/csv-temp-path.ts
    void mod.csvTempPath;
    // @ts-expect-error internal to the reader
    void mod.EXTRACTION_COLUMNS;
  });
});
