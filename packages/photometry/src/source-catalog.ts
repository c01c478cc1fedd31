/**
 * The catalogue `extractSources` returns: SEP's columns as typed
 * arrays, and the same sources as plain rows.
 */
import { OBJ_DOVERFLOW, OBJ_MERGED, OBJ_SINGU, OBJ_TRUNC } from './internal/extract/objects.js';

/**
 * Flag bits of an extracted source (`SourceCatalog.flag`), SEP's values.
 * A problem with one source is a flag, never an exception.
 */
export const SourceFlag = {
  /** Deblended: the object was one of several children of a detection. */
  MERGED: OBJ_MERGED,
  /** Touches the image edge (its pixels include row/column 0 or the last). */
  TRUNCATED: OBJ_TRUNC,
  /**
   * Not deblended: more branches than `subObjectLimit` at a level, or more
   * pixels than `deblendMaxPixels`; the detection is kept whole.
   */
  DEBLEND_OVERFLOW: OBJ_DOVERFLOW,
  /** Singular moments (e.g. a single line of pixels); shape regularised. */
  SINGULAR: OBJ_SINGU,
} as const;

/**
 * Extracted sources as columns (index i = source i), SEP's fields and types.
 * Coordinates are zero-based pixel coordinates (pixel (0, 0) is the centre of
 * the first pixel).
 */
export interface SourceCatalog {
  /** Number of sources. */
  count: number;
  /** Detection threshold at the source (data units). */
  thresh: Float32Array;
  /** Number of member pixels. */
  npix: Int32Array;
  /** Number of member pixels above `thresh` in the unfiltered data. */
  tnpix: Int32Array;
  /** Bounding box of the member pixels (inclusive). */
  xmin: Int32Array;
  /** See `xmin`. */
  xmax: Int32Array;
  /** See `xmin`. */
  ymin: Int32Array;
  /** See `xmin`. */
  ymax: Int32Array;
  /** Barycentre (first moments of the filtered data), x. */
  x: Float64Array;
  /** Barycentre, y. */
  y: Float64Array;
  /** Second moment x2 (pixel^2). */
  x2: Float64Array;
  /** Second moment y2. */
  y2: Float64Array;
  /** Second moment xy. */
  xy: Float64Array;
  /** Variance of x (zero without noise or gain). */
  errx2: Float64Array;
  /** Variance of y. */
  erry2: Float64Array;
  /** Covariance of x and y. */
  errxy: Float64Array;
  /** Semi-major axis (pixels). */
  a: Float32Array;
  /** Semi-minor axis (pixels). */
  b: Float32Array;
  /** Position angle (radians, counter-clockwise from +x, in [-pi/2, pi/2]). */
  theta: Float32Array;
  /** Ellipse coefficient: cxx x^2 + cyy y^2 + cxy x y = 1 at the isophote scale. */
  cxx: Float32Array;
  /** See `cxx`. */
  cyy: Float32Array;
  /** See `cxx`. */
  cxy: Float32Array;
  /** Sum of the member pixels in the filtered data. */
  cflux: Float32Array;
  /** Sum of the member pixels in the unfiltered data (isophotal flux). */
  flux: Float32Array;
  /** Peak of the filtered data. */
  cpeak: Float32Array;
  /** Peak of the unfiltered data. */
  peak: Float32Array;
  /** Pixel of the filtered peak, x. */
  xcpeak: Int32Array;
  /** Pixel of the filtered peak, y. */
  ycpeak: Int32Array;
  /** Pixel of the unfiltered peak, x. */
  xpeak: Int32Array;
  /** Pixel of the unfiltered peak, y. */
  ypeak: Int32Array;
  /** {@link SourceFlag} bits. */
  flag: Uint16Array;
  /**
   * Segmentation map (when requested): `width * height`, 0 for background,
   * `i + 1` for the pixels of source i.
   */
  segmentationMap?: Int32Array;
}

/** One source as a plain object (see {@link sourceRows}). */
export interface SourceRow {
  /** See {@link SourceCatalog}. */
  thresh: number;
  /** See {@link SourceCatalog}. */
  npix: number;
  /** See {@link SourceCatalog}. */
  tnpix: number;
  /** See {@link SourceCatalog}. */
  xmin: number;
  /** See {@link SourceCatalog}. */
  xmax: number;
  /** See {@link SourceCatalog}. */
  ymin: number;
  /** See {@link SourceCatalog}. */
  ymax: number;
  /** See {@link SourceCatalog}. */
  x: number;
  /** See {@link SourceCatalog}. */
  y: number;
  /** See {@link SourceCatalog}. */
  x2: number;
  /** See {@link SourceCatalog}. */
  y2: number;
  /** See {@link SourceCatalog}. */
  xy: number;
  /** See {@link SourceCatalog}. */
  errx2: number;
  /** See {@link SourceCatalog}. */
  erry2: number;
  /** See {@link SourceCatalog}. */
  errxy: number;
  /** See {@link SourceCatalog}. */
  a: number;
  /** See {@link SourceCatalog}. */
  b: number;
  /** See {@link SourceCatalog}. */
  theta: number;
  /** See {@link SourceCatalog}. */
  cxx: number;
  /** See {@link SourceCatalog}. */
  cyy: number;
  /** See {@link SourceCatalog}. */
  cxy: number;
  /** See {@link SourceCatalog}. */
  cflux: number;
  /** See {@link SourceCatalog}. */
  flux: number;
  /** See {@link SourceCatalog}. */
  cpeak: number;
  /** See {@link SourceCatalog}. */
  peak: number;
  /** See {@link SourceCatalog}. */
  xcpeak: number;
  /** See {@link SourceCatalog}. */
  ycpeak: number;
  /** See {@link SourceCatalog}. */
  xpeak: number;
  /** See {@link SourceCatalog}. */
  ypeak: number;
  /** See {@link SourceCatalog}. */
  flag: number;
}

const COLUMNS = [
  'thresh', 'npix', 'tnpix', 'xmin', 'xmax', 'ymin', 'ymax', 'x', 'y', 'x2', 'y2', 'xy',
  'errx2', 'erry2', 'errxy', 'a', 'b', 'theta', 'cxx', 'cyy', 'cxy', 'cflux', 'flux',
  'cpeak', 'peak', 'xcpeak', 'ycpeak', 'xpeak', 'ypeak', 'flag',
] as const satisfies readonly (keyof SourceRow)[];

/** The sources of a catalogue as an array of plain objects (copies the values). */
export function sourceRows(catalog: SourceCatalog): SourceRow[] {
  const rows: SourceRow[] = [];
  for (let i = 0; i < catalog.count; i++) {
    const row = {} as Record<keyof SourceRow, number>;
    for (const c of COLUMNS) row[c] = catalog[c][i];
    rows.push(row as SourceRow);
  }
  return rows;
}
