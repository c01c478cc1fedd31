/**
 * Load a `<file>.expected.json` of ../shared/data/fits written by astropy:
 * integers beyond 2^53 become bigint (they are exact in the JSON text), the
 * strings "NaN", "Infinity", "-Infinity" stay strings (see `expectedNumber`).
 */
import { readFileSync } from 'node:fs';

export interface ExpectedImage {
  shape: number[];
  dtype: string | null;
  nan_count?: number;
  sum?: number;
  sum_sq?: number;
  min?: number | bigint;
  max?: number | bigint;
  samples?: Record<string, number | bigint | string>;
}

export interface ExpectedColumn {
  format: string;
  n: number;
  first: unknown[];
  last: unknown[];
  sum?: number;
  dtype?: string;
  true_count?: number;
}

export interface ExpectedHdu {
  index: number;
  class: string;
  name: string;
  header: { cards: Record<string, unknown>; COMMENT: string[]; HISTORY: string[] };
  image?: ExpectedImage;
  table?: { nrows: number; columns: Record<string, ExpectedColumn> };
}

export interface ExpectedFile {
  file: string;
  reader: string;
  hdus: ExpectedHdu[];
  wcs?: unknown;
}

const BIG = '__bigint__:';

export function loadExpected(path: string): ExpectedFile {
  const text = readFileSync(path, 'utf8').replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, (_m, pre: string, digits: string) => {
    const n = Number(digits);
    return Number.isSafeInteger(n) ? `${pre}${digits}` : `${pre}"${BIG}${digits}"`;
  });
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(BIG) ? BigInt(value.slice(BIG.length)) : value,
  ) as ExpectedFile;
}

/** A JSON number or one of the strings "NaN", "Infinity", "-Infinity" as a number. */
export function expectedNumber(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'bigint') return Number(v);
  return v as number;
}

/** Same value: NaN equals NaN, bigint compared exactly with bigint or integer. */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'bigint' || typeof actual === 'bigint') {
    try {
      return BigInt(actual as bigint) === BigInt(expected as bigint);
    } catch {
      return false;
    }
  }
  const e = expectedNumber(expected);
  const a = actual as number;
  if (Number.isNaN(e)) return Number.isNaN(a);
  return a === e;
}
