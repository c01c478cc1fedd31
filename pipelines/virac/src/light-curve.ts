/**
 * The light-curve data of a tile as the reader hands it out: the epochs
 * (catIndex) and batches of sources' time series (timeSeries), plus the
 * filter-to-band rule. The CSV writer is in `internal/csv-light-curve.ts`.
 */
import { OTHER_BAND, VIRAC_BANDS } from './layout.js';

/** Per-epoch metadata of a tile (the catIndex group), native arrays. */
export interface TileEpochs {
  /** Number of epochs. */
  count: number;
  /** Epoch MJD. */
  mjd: Float64Array;
  /** Filter name per epoch, padding stripped ("Ks", "Z", ...). */
  filter: string[];
  /** Band index per epoch into {@link VIRAC_BANDS}, or 255 for another filter. */
  band: Uint8Array;
  /** Seeing (arcsec), float32 widened. */
  seeing: Float32Array | Float64Array;
  /** Exposure time (s). */
  exptime: Float32Array | Float64Array;
  /** Sky level. */
  skylevel: Float32Array | Float64Array;
  /** Ellipticity. */
  ellipticity: Float32Array | Float64Array;
}

/**
 * Time-series rows of a range of sources, as flat columns plus offsets:
 * source `i` (0-based within the batch) owns values `offsets[i]..offsets[i+1]`.
 */
export interface SourceBatch {
  /** Index of the first source of the batch in the tile. */
  start: number;
  /** Number of sources in the batch. */
  count: number;
  /** Source ids (exact 64-bit). */
  sourceid: BigInt64Array;
  /** Detected epochs (catindexid) per source. */
  detEpoch: Int32Array;
  /** Offsets into `detEpoch`, `mag`, `emag`, `chi`, `ast` (length count + 1). */
  detOffsets: Float64Array;
  /** Covered epochs per source. */
  covEpoch: Int32Array;
  /** Offsets into `covEpoch` (length count + 1). */
  covOffsets: Float64Array;
  /** Magnitude per detection. */
  mag: Float32Array | Float64Array;
  /** Magnitude error per detection. */
  emag: Float32Array | Float64Array;
  /** PSF-fit chi per detection. */
  chi: Float32Array | Float64Array;
  /** Astrometric residual chi^2 per detection. */
  ast: Float32Array | Float64Array;
}

/** Map a stored filter name to its band index. */
export function bandIndex(filter: string): number {
  const i = (VIRAC_BANDS as readonly string[]).indexOf(filter);
  return i < 0 ? OTHER_BAND : i;
}
