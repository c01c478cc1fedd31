/**
 * What reading an image asks for and gives back: sections, options, the
 * decoded {@link FitsImage} and the {@link ImageLayout} of a header. The
 * decoding itself is in `internal/image-values.ts`.
 */
import type { Bitpix, FitsDtype, FitsTypedArray } from './format.js';

/** A rectangular cutout of the first two axes (zero-based pixels). */
export interface ImageSection {
  /** First column (zero-based). */
  x0: number;
  /** First row (zero-based). */
  y0: number;
  /** Number of columns. */
  width: number;
  /** Number of rows. */
  height: number;
}

/** Options of `FitsHdu.readImage()`. */
export interface ReadImageOptions {
  /**
   * Read only this cutout of the first two axes (every plane of the higher
   * axes, or only `plane`). Only the bytes of the needed rows are read.
   */
  section?: ImageSection;
  /** For images with more than two axes: read only this plane (index into the flattened NAXIS3..n). */
  plane?: number;
  /** Return the stored values without BSCALE/BZERO/BLANK (default true = physical values, as astropy). */
  scale?: boolean;
  /**
   * Read into this memory instead of a new buffer (whole-image reads only):
   * at least as many bytes as the stored data, byteOffset a multiple of 8.
   * The result's `data` is then a view on it (unless scaling makes floats,
   * which are a new array). Reusing one buffer across many files of the same
   * size saves the page faults of fresh memory, which dominate big reads.
   */
  into?: ArrayBufferView;
}

/** Pixels of an image HDU with their shape and the scaling that was applied. */
export interface FitsImage {
  /** Pixel values, x fastest (`data[y * shape[0] + x]`), native byte order. */
  data: FitsTypedArray;
  /** Shape in FITS order `[NAXIS1, NAXIS2, ...]` (of the section when one was read). */
  shape: number[];
  /** dtype of `data` (see the dtype table in docs/fits-io.md). */
  dtype: FitsDtype;
  /** BITPIX of the stored values. */
  bitpix: Bitpix;
  /** BSCALE applied (1 when none). */
  bscale: number;
  /** BZERO applied (0 when none). */
  bzero: number;
  /** BLANK of the stored integers (undefined when none). */
  blank?: number | bigint;
  /** The section read, when one was asked for. */
  section?: ImageSection;
}

/** BITPIX, axes and scaling of an image header (validated). */
export interface ImageLayout {
  /** BITPIX. */
  bitpix: Bitpix;
  /** NAXISn in FITS order. */
  axes: number[];
  /** BSCALE (1 when absent). */
  bscale: number;
  /** BZERO (0 when absent; the header value may be a bigint for 2^63). */
  bzero: number;
  /** BLANK when present and BITPIX is an integer type. */
  blank?: number | bigint;
}

