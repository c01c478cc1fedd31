import { PhotometryError } from '../errors.js';
import { momentFwhm, renderGrid } from '../internal/psf/grid.js';
import type { PsfModel, PsfStamp, PsfStampOptions } from './types.js';

/** Header values of a PSFEx `PSF_DATA` HDU (as from fits-io's `header.toRecord()`). */
export type PsfexHeader = Record<string, string | number | boolean | bigint | null | undefined | object>;

/** Input of {@link PsfexModel.fromTable}. */
export interface PsfexTableInput {
  /** Header cards of the PSF_DATA extension (POLNAXIS, POLNAMEi, POLGRPi, POLZEROi, POLSCALi, POLNGRP, POLDEGi, PSF_SAMP, PSFAXISi, PSF_FWHM). */
  header: PsfexHeader;
  /** The PSF_MASK cell of the single row: PSFAXIS3 planes of PSFAXIS1 x PSFAXIS2 values. */
  psfMask: ArrayLike<number>;
  /** File name for error messages. */
  file?: string;
}

/** Options of {@link PsfexModel.gridAt}. */
export interface PsfexPosition {
  /** Zero-based x of the source (X_IMAGE / XWIN_IMAGE = x + 1). */
  x?: number;
  /** Zero-based y of the source. */
  y?: number;
  /** Other context values by POLNAME (override x/y for those names too). */
  context?: Record<string, number>;
}

/** Names PSFEx uses for the one-based image position (context filled from x and y). */
const X_CONTEXTS = new Set(['X_IMAGE', 'XWIN_IMAGE', 'XPEAK_IMAGE']);
const Y_CONTEXTS = new Set(['Y_IMAGE', 'YWIN_IMAGE', 'YPEAK_IMAGE']);

/**
 * Exponents of PSFEx's polynomial terms, in the order of the PSF_MASK planes
 * (PSFEx poly.c: the lowest context varies fastest, each group's total
 * degree bounded by POLDEGg). For one group of two contexts and degree d:
 * u^i v^j, j = 0..d, i = 0..d-j, i fastest.
 */
export function psfexPolynomialTerms(groups: readonly number[], degrees: readonly number[]): number[][] {
  const ndim = groups.length;
  const terms: number[][] = [new Array<number>(ndim).fill(0)];
  if (ndim === 0) return terms;
  // count coefficients: product over groups of C(n_g + d_g, d_g)
  const perGroup = degrees.map(() => 0);
  for (const g of groups) perGroup[g]++;
  let ncoeff = 1;
  degrees.forEach((d, g) => {
    const n = perGroup[g];
    let num = 1;
    let den = 1;
    for (let k = 1; k <= Math.min(d, n); k++) {
      num *= n + d - k + 1;
      den *= k;
    }
    // C(n + d, min(n, d))
    ncoeff *= Math.round(num / den);
  });
  // Odometer: budget left per group, exponent per dimension.
  const left = degrees.slice();
  const expo = new Array<number>(ndim).fill(0);
  expo[0] = 1;
  if (left[groups[0]] > 0) left[groups[0]]--;
  for (let t = 1; t < ncoeff; t++) {
    terms.push(expo.slice());
    for (let d = 0; d < ndim; d++) {
      const g = groups[d];
      if (left[g] > 0) {
        left[g]--;
        expo[d]++;
        break;
      }
      left[g] = expo[d];
      expo[d] = 0;
    }
  }
  return terms;
}

function num(h: PsfexHeader, key: string, file: string, required = true): number | undefined {
  const v = h[key];
  if (v === undefined || v === null) {
    if (!required) return undefined;
    throw new PhotometryError(`PSFEx ${file}: header keyword ${key} is missing`, { code: 'PSF_BAD_MODEL', file, card: key });
  }
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n)) {
    throw new PhotometryError(`PSFEx ${file}: ${key} = ${String(v)} is not a number`, { code: 'PSF_BAD_MODEL', file, card: key });
  }
  return n;
}

/**
 * A PSFEx model: PSF = sum_k term_k(context) * PSF_MASK[k], with context
 * u = (value - POLZEROi) / POLSCALi, at any position, any degree and any
 * number of groups; rendered through Lanczos-3 from the PSF_SAMP grid.
 */
export class PsfexModel implements PsfModel {
  readonly kind = 'psfex' as const;
  /** PSF_FWHM of the file (image pixels), or a moment estimate when absent. */
  readonly fwhm: number;
  /** Grid width (PSFAXIS1). */
  readonly width: number;
  /** Grid height (PSFAXIS2). */
  readonly height: number;
  /** PSF_SAMP: grid step in image pixels. */
  readonly sampling: number;
  /** Context names (POLNAMEi). */
  readonly contextNames: readonly string[];
  /** POLZEROi. */
  readonly contextZero: readonly number[];
  /** POLSCALi. */
  readonly contextScale: readonly number[];
  /** Exponents of each term (one row per PSF_MASK plane). */
  readonly terms: readonly (readonly number[])[];
  /** File name used in messages. */
  readonly file: string;
  readonly #planes: Float64Array;

  private constructor(init: {
    width: number;
    height: number;
    sampling: number;
    names: string[];
    zero: number[];
    scale: number[];
    terms: number[][];
    planes: Float64Array;
    fwhm: number | undefined;
    file: string;
  }) {
    this.width = init.width;
    this.height = init.height;
    this.sampling = init.sampling;
    this.contextNames = init.names;
    this.contextZero = init.zero;
    this.contextScale = init.scale;
    this.terms = init.terms;
    this.#planes = init.planes;
    this.file = init.file;
    this.fwhm =
      init.fwhm ?? momentFwhm(this.#planes.subarray(0, init.width * init.height), init.width, init.height) * init.sampling;
  }

  /**
   * Build a model from the PSF_DATA header and the PSF_MASK values (pure:
   * no I/O; values are copied). Throws {@link PhotometryError}
   * (`PSF_BAD_MODEL`) naming the keyword when the header is inconsistent.
   */
  static fromTable(input: PsfexTableInput): PsfexModel {
    const { header: h, psfMask } = input;
    const file = input.file ?? '<table>';
    const naxis = num(h, 'PSFNAXIS', file, false) ?? 3;
    const w = num(h, 'PSFAXIS1', file) as number;
    const hh = num(h, 'PSFAXIS2', file) as number;
    const nplanes = naxis >= 3 ? (num(h, 'PSFAXIS3', file) as number) : 1;
    for (const [k, v] of [
      ['PSFAXIS1', w],
      ['PSFAXIS2', hh],
      ['PSFAXIS3', nplanes],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new PhotometryError(`PSFEx ${file}: ${k} = ${v} (need a positive integer)`, { code: 'PSF_BAD_MODEL', file, card: k });
      }
    }
    const ndim = num(h, 'POLNAXIS', file, false) ?? 0;
    const ngroup = ndim > 0 ? (num(h, 'POLNGRP', file) as number) : 0;
    const names: string[] = [];
    const groups: number[] = [];
    const zero: number[] = [];
    const scale: number[] = [];
    for (let i = 1; i <= ndim; i++) {
      const name = h[`POLNAME${i}`];
      if (typeof name !== 'string' || name.trim() === '') {
        throw new PhotometryError(`PSFEx ${file}: POLNAME${i} is missing`, { code: 'PSF_BAD_MODEL', file, card: `POLNAME${i}` });
      }
      names.push(name.trim().toUpperCase());
      const g = num(h, `POLGRP${i}`, file) as number;
      if (!Number.isInteger(g) || g < 1 || g > ngroup) {
        throw new PhotometryError(`PSFEx ${file}: POLGRP${i} = ${g} (need 1..POLNGRP=${ngroup})`, {
          code: 'PSF_BAD_MODEL',
          file,
          card: `POLGRP${i}`,
        });
      }
      groups.push(g - 1);
      zero.push(num(h, `POLZERO${i}`, file) as number);
      const s = num(h, `POLSCAL${i}`, file) as number;
      if (s === 0) {
        throw new PhotometryError(`PSFEx ${file}: POLSCAL${i} = 0`, { code: 'PSF_BAD_MODEL', file, card: `POLSCAL${i}` });
      }
      scale.push(s);
    }
    const degrees: number[] = [];
    for (let g = 1; g <= ngroup; g++) {
      const d = num(h, `POLDEG${g}`, file) as number;
      if (!Number.isInteger(d) || d < 0 || d > 20) {
        throw new PhotometryError(`PSFEx ${file}: POLDEG${g} = ${d} (need an integer in [0, 20])`, {
          code: 'PSF_BAD_MODEL',
          file,
          card: `POLDEG${g}`,
        });
      }
      degrees.push(d);
    }
    const terms = psfexPolynomialTerms(groups, degrees);
    if (terms.length !== nplanes) {
      throw new PhotometryError(
        `PSFEx ${file}: the polynomial (POLNAXIS=${ndim}, degrees ${degrees.join(',') || 'none'}) has ${terms.length} terms but PSFAXIS3 = ${nplanes}`,
        { code: 'PSF_BAD_MODEL', file, card: 'PSFAXIS3' },
      );
    }
    if (psfMask.length !== w * hh * nplanes) {
      throw new PhotometryError(
        `PSFEx ${file}: PSF_MASK has ${psfMask.length} values, expected ${w}x${hh}x${nplanes} = ${w * hh * nplanes}`,
        { code: 'PSF_BAD_MODEL', file },
      );
    }
    const planes = Float64Array.from(psfMask);
    for (let i = 0; i < planes.length; i++) {
      if (!Number.isFinite(planes[i])) {
        throw new PhotometryError(`PSFEx ${file}: PSF_MASK value ${i} is ${planes[i]}`, { code: 'PSF_BAD_MODEL', file });
      }
    }
    const sampling = num(h, 'PSF_SAMP', file, false) ?? 1;
    if (!(sampling > 0)) {
      throw new PhotometryError(`PSFEx ${file}: PSF_SAMP = ${sampling} (need > 0)`, { code: 'PSF_BAD_MODEL', file, card: 'PSF_SAMP' });
    }
    const fwhm = num(h, 'PSF_FWHM', file, false);
    return new PsfexModel({ width: w, height: hh, sampling, names, zero, scale, terms, planes, fwhm, file });
  }

  /** Scaled context values u_i for a position; throws PSF_BAD_CONTEXT for a context that cannot be filled. */
  contextAt(position: PsfexPosition): number[] {
    return this.contextNames.map((name, i) => {
      let v = position.context?.[name];
      if (v === undefined && X_CONTEXTS.has(name) && position.x !== undefined) v = position.x + 1;
      if (v === undefined && Y_CONTEXTS.has(name) && position.y !== undefined) v = position.y + 1;
      if (v === undefined || !Number.isFinite(v)) {
        const how = X_CONTEXTS.has(name) || Y_CONTEXTS.has(name) ? `give ${X_CONTEXTS.has(name) ? 'x' : 'y'}` : `give context.${name}`;
        throw new PhotometryError(
          `PSFEx ${this.file}: context ${name} (POLNAME${i + 1}) has no value for this evaluation (${how}; contexts: ${this.contextNames.join(', ')})`,
          { code: 'PSF_BAD_CONTEXT', file: this.file, card: `POLNAME${i + 1}` },
        );
      }
      return (v - this.contextZero[i]) / this.contextScale[i];
    });
  }

  /**
   * The PSF on the model grid (PSFAXIS1 x PSFAXIS2, PSF_SAMP steps) at a
   * position: sum_k term_k * PSF_MASK[k]. Not normalised; a new array.
   */
  gridAt(position: PsfexPosition = {}): Float64Array {
    const u = this.contextAt(position);
    const n = this.width * this.height;
    const out = new Float64Array(n);
    for (let k = 0; k < this.terms.length; k++) {
      let c = 1;
      const e = this.terms[k];
      for (let d = 0; d < e.length; d++) if (e[d] !== 0) c *= u[d] ** e[d];
      const plane = this.#planes.subarray(k * n, (k + 1) * n);
      for (let i = 0; i < n; i++) out[i] += c * plane[i];
    }
    return out;
  }

  /**
   * Render a stamp at `options.x`, `options.y` (required when the model
   * depends on the position): the model grid there, centred at
   * (floor(w/2), floor(h/2)) as PSFEx does, resampled by Lanczos-3 to the
   * stamp's sub-pixel offset and oversampling.
   */
  evaluate(options: PsfStampOptions = {}): PsfStamp {
    const grid = this.gridAt(options);
    return renderGrid(
      grid,
      this.width,
      this.height,
      this.sampling,
      Math.floor(this.width / 2),
      Math.floor(this.height / 2),
      options,
      'PSFEx',
    );
  }
}
