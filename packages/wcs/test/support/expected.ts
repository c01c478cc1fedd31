/**
 * The `wcs` block of a `<file>.expected.json` of ../shared/data/fits written
 * by astropy, and its number encoding: the strings "NaN", "Infinity",
 * "-Infinity" stand for the values JSON cannot hold.
 */
import { readFileSync } from 'node:fs';

/** The part of an expected file the WCS tests read. */
export interface ExpectedFile {
  file: string;
  wcs?: unknown;
}

/** Load a `.expected.json` (the WCS tests need no bigint, so plain JSON.parse). */
export function loadExpected(path: string): ExpectedFile {
  return JSON.parse(readFileSync(path, 'utf8')) as ExpectedFile;
}

/** A JSON number or one of the strings "NaN", "Infinity", "-Infinity" as a number. */
export function expectedNumber(v: unknown): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'bigint') return Number(v);
  return v as number;
}
