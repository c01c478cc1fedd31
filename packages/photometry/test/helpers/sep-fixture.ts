import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** One SEP call recorded by scripts/make_sep_apertures.py. */
export interface SepCase {
  name: string;
  fn: string;
  params: Record<string, unknown>;
  kwargs: Record<string, unknown>;
  out: Record<string, (number | null)[]>;
}

/** The fixture written by scripts/make_sep_apertures.py. */
export interface SepFixture {
  sep: string;
  image: { width: number; height: number; data: number[]; var: number[]; mask: number[] };
  x: number[];
  y: number[];
  cases: SepCase[];
  field?: {
    r5: { sum: number[]; sumErr: number[]; flags: number[] };
    r3exact: { sum: number[]; sumErr: number[]; flags: number[] };
    ellipse: { a: number; b: number; theta: number; r: number; err: number; sum: number[]; sumErr: number[]; flags: number[] };
  };
}

export function loadSepFixture(): SepFixture {
  return JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'sep-apertures.json'), 'utf8')) as SepFixture;
}

/** Relative difference, with NaN (null in JSON) equal to NaN. */
export function relDiff(actual: number, expected: number | null, floor = 1e-12): number {
  if (expected === null) return Number.isNaN(actual) ? 0 : Infinity;
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
}
