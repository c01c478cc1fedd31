/**
 * Test support for the background / extraction tests (phot-A): rebuilds the
 * synthetic images of fixtures/sep-extract-cases.json bit for bit (the same
 * + - * / sequence as scripts/make-sep-extract-cases.py) and reads the shared
 * field.fits with a minimal primary-HDU reader (BITPIX -32, big-endian).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Parameters of a synthetic image (see the fixture generator). */
export interface ImageSpec {
  w: number;
  h: number;
  seed: number;
  sky: number;
  gx: number;
  gy: number;
  noise: number;
  stars: [number, number, number, number][];
}

/** Rectangles [x0, y0, x1, y1) and rules (a x + b y) % m == r. */
export interface RuleSpec {
  rects?: [number, number, number, number][];
  mods?: [number, number, number, number][];
  /** Rows below this stay unmasked (see the fixture generator). */
  ymin?: number;
}

/** Noise map err = base * (1 + slope * x / w). */
export interface NoiseSpec {
  kind: 'err-scalar' | 'var-scalar' | 'err-map' | 'var-map';
  value?: number;
  base?: number;
  slope?: number;
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

/** The float32 image of `spec`, identical to the generator's numpy array. */
export function buildCaseImage(spec: ImageSpec): Float32Array {
  const { w, h } = spec;
  const rnd = lcg(spec.seed);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = spec.sky + spec.gx * x + spec.gy * y;
      let g = 0;
      for (let k = 0; k < 12; k++) g = g + rnd();
      v = v + spec.noise * (g - 6);
      for (const [sx, sy, amp, a2] of spec.stars) {
        const dx = x - sx;
        const dy = y - sy;
        const q = 1 + (dx * dx + dy * dy) / a2;
        v = v + amp / (q * q);
      }
      out[y * w + x] = v;
    }
  }
  return out;
}

/** Boolean pixel selection of `spec` as a 0/1 mask. */
export function ruleMask(spec: RuleSpec, w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of spec.rects ?? []) {
    for (let y = y0; y < Math.min(y1, h); y++) for (let x = x0; x < Math.min(x1, w); x++) m[y * w + x] = 1;
  }
  for (const [a, b, mod, r] of spec.mods ?? []) {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((a * x + b * y) % mod === r) m[y * w + x] = 1;
  }
  m.fill(0, 0, Math.min(spec.ymin ?? 0, h) * w);
  return m;
}

/** err (or var = err^2 in float32) map of `spec`. */
export function noiseMap(spec: NoiseSpec, w: number, h: number, asVariance: boolean): Float32Array {
  const out = new Float32Array(w * h);
  const base = spec.base ?? 1;
  const slope = spec.slope ?? 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const e = Math.fround(base * (1 + (slope * x) / w));
      out[y * w + x] = asVariance ? Math.fround(e * e) : e;
    }
  }
  return out;
}

/** Expand [value, count] runs. */
export function decodeRuns(runs: [number, number][], n: number): Int32Array {
  const out = new Int32Array(n);
  let k = 0;
  for (const [v, c] of runs) {
    out.fill(v, k, k + c);
    k += c;
  }
  if (k !== n) throw new Error(`run-length map covers ${k} pixels, expected ${n}`);
  return out;
}

/** A primary float32 image (BITPIX -32) from a FITS file. */
export function readFitsFloat32(file: string): { data: Float32Array; width: number; height: number; header: Map<string, string> } {
  const bytes = readFileSync(file);
  const header = new Map<string, string>();
  let off = 0;
  for (let done = false; !done; off += 2880) {
    if (off + 2880 > bytes.length) throw new Error(`${file}: no END card in the primary header`);
    for (let c = 0; c < 36; c++) {
      const card = bytes.toString('latin1', off + c * 80, off + c * 80 + 80);
      const key = card.slice(0, 8).trim();
      if (key === 'END') {
        done = true;
        break;
      }
      if (card.slice(8, 10) === '= ') header.set(key, card.slice(10).split('/')[0].trim());
    }
  }
  if (Number(header.get('BITPIX')) !== -32) throw new Error(`${file}: BITPIX ${header.get('BITPIX')} is not -32`);
  const width = Number(header.get('NAXIS1'));
  const height = Number(header.get('NAXIS2'));
  const n = width * height;
  if (off + 4 * n > bytes.length) throw new Error(`${file}: data truncated`);
  const data = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset + off, 4 * n);
  for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, false);
  return { data, width, height, header };
}

/** Rows of a small CSV with a header line. */
export function readCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = lines[0].split(',').map((s) => s.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: Record<string, string> = {};
    cols.forEach((c, i) => (row[c] = (cells[i] ?? '').trim()));
    return row;
  });
}
