import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFlag, extractSources, sourceRows } from '@astro/photometry';
import type { ExtractOptions, SourceCatalog } from '@astro/photometry';
import { FIXTURES, buildCaseImage, decodeRuns, noiseMap, ruleMask } from './extract-helpers.js';
import type { ImageSpec, NoiseSpec, RuleSpec } from './extract-helpers.js';

interface ExtractCase {
  name: string;
  image: ImageSpec;
  thresh: number;
  options: ExtractOptions;
  mask: RuleSpec | null;
  noise: NoiseSpec | null;
  count: number;
  objects: Record<string, (number | string)[]>;
  segmap: [number, number][];
}

const fixture = JSON.parse(readFileSync(path.join(FIXTURES, 'sep-extract-cases.json'), 'utf8')) as {
  fields: string[];
  extract: ExtractCase[];
};

function decode(v: number | string): number {
  if (typeof v === 'number') return v;
  return v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN;
}

/** Run a fixture case through extractSources with the same inputs SEP had. */
export function runCase(c: ExtractCase): { cat: SourceCatalog; w: number; h: number } {
  const { w, h } = c.image;
  const data = buildCaseImage(c.image);
  const options: ExtractOptions = { ...c.options, segmentationMap: true };
  if (c.mask) options.mask = ruleMask(c.mask, w, h);
  const n = c.noise;
  if (n?.kind === 'err-scalar') options.err = n.value;
  else if (n?.kind === 'var-scalar') options.var = n.value;
  else if (n?.kind === 'err-map') options.err = noiseMap(n, w, h, false);
  else if (n?.kind === 'var-map') options.var = noiseMap(n, w, h, true);
  return { cat: extractSources({ data, width: w, height: h }, c.thresh, options), w, h };
}

describe('extractSources vs SEP 1.2.1 on synthetic fields (fixtures/sep-extract-cases.json)', () => {
  for (const c of fixture.extract) {
    it(`${c.name}: ${c.count} objects, every field and the segmentation map identical`, () => {
      const { cat, w, h } = runCase(c);
      expect(cat.count).toBe(c.count);
      for (const field of fixture.fields) {
        const got = Array.from((cat as unknown as Record<string, ArrayLike<number>>)[field]);
        const want = c.objects[field].map(decode);
        expect(got, field).toEqual(want);
      }
      expect(cat.segmentationMap).toEqual(decodeRuns(c.segmap, w * h));
    });
  }

  it('the cases exercise deblending, cleaning, edges, masks and every filter path', () => {
    const all = fixture.extract.flatMap((c) => c.objects.flag.map(decode));
    expect(all.some((f) => f & SourceFlag.MERGED)).toBe(true);
    expect(all.some((f) => f & SourceFlag.TRUNCATED)).toBe(true);
    expect(fixture.extract.some((c) => c.options.filterType === 'conv')).toBe(true);
    expect(fixture.extract.some((c) => c.options.filterKernel === null)).toBe(true);
    expect(fixture.extract.some((c) => c.noise?.kind === 'err-map' && c.options.filterType === undefined)).toBe(true);
  });

  it('sourceRows gives one plain object per source with every column', () => {
    const { cat } = runCase(fixture.extract[0]);
    const rows = sourceRows(cat);
    expect(rows).toHaveLength(cat.count);
    expect(Object.keys(rows[3]).sort()).toEqual([...fixture.fields].sort());
    expect(rows[3].x).toBe(cat.x[3]);
    expect(rows[3].flag).toBe(cat.flag[3]);
  });

  it('is deterministic (the deblender random sequence restarts per call) and does not modify its input', () => {
    const c = fixture.extract[0];
    const data = buildCaseImage(c.image);
    const copy = new Float32Array(data);
    const a = extractSources({ data, width: c.image.w, height: c.image.h }, 1.5, { err: 3 });
    const b = extractSources({ data, width: c.image.w, height: c.image.h }, 1.5, { err: 3 });
    expect(Array.from(b.flux)).toEqual(Array.from(a.flux));
    expect(data).toEqual(copy);
  });

  it('a float64 image gives the float32 result (SEP converts to float)', () => {
    const c = fixture.extract[0];
    const data = buildCaseImage(c.image);
    const a = extractSources({ data, width: c.image.w, height: c.image.h }, 1.5, { err: 3 });
    const b = extractSources({ data: Float64Array.from(data), width: c.image.w, height: c.image.h }, 1.5, { err: 3 });
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.flux)).toEqual(Array.from(a.flux));
  });

  it('reports progress by rows', () => {
    const c = fixture.extract[0];
    const seen: number[] = [];
    extractSources({ data: buildCaseImage(c.image), width: c.image.w, height: c.image.h }, 1.5, {
      err: 3,
      onProgress: (p) => seen.push(p.done),
    });
    expect(seen).toEqual([64, 120]);
  });
});
