/**
 * The CSV light curve of one source, byte-identical to the reference
 * extractor: per-tile epoch text prepared once, then one row per detection
 * and per covered epoch without one, written into a reusable text buffer.
 */
import { CSV_HEADER, KS_BAND, OTHER_BAND, VIRAC_BANDS } from '../layout.js';
import type { SourceBatch, TileEpochs } from '../light-curve.js';
import { CsvTextBuilder, encodeAscii } from './csv-text-builder.js';
import { formatFixed } from './printf.js';

/** Pre-formatted per-epoch text (ASCII bytes), computed once per tile. */
export interface EpochText {
  /** `%.6f` of the MJD. */
  mjd: Uint8Array[];
  /** `,seeing,exptime,skylevel,ellipticity` formatted. */
  meta: Uint8Array[];
  /** The whole row of a covered epoch without a detection, with `\n`. */
  nondetRow: Uint8Array[];
  /** `,1,<filter>\n`: the end of a detection row. */
  detTail: Uint8Array[];
  /** Dense rank of the MJD (equal MJDs share a rank). */
  rank: Float64Array;
}

function fmt(value: number, digits: number): string {
  return value !== value ? '' : formatFixed(value, digits);
}

/** Empty photometry columns of a row: 10 fields. */
const EMPTY_PHOT = ',,,,,,,,,,';

/** Pre-format the epoch columns of a tile once (every source reuses them). */
export function prepareEpochText(epochs: TileEpochs): EpochText {
  const n = epochs.count;
  const mjd = new Array<Uint8Array>(n);
  const meta = new Array<Uint8Array>(n);
  const nondetRow = new Array<Uint8Array>(n);
  const detTail = new Array<Uint8Array>(n);
  for (let c = 0; c < n; c++) {
    const mjdText = fmt(epochs.mjd[c], 6);
    const metaText =
      ',' +
      fmt(epochs.seeing[c], 3) +
      ',' +
      fmt(epochs.exptime[c], 2) +
      ',' +
      fmt(epochs.skylevel[c], 2) +
      ',' +
      fmt(epochs.ellipticity[c], 4);
    mjd[c] = encodeAscii(mjdText);
    meta[c] = encodeAscii(metaText);
    nondetRow[c] = encodeAscii(mjdText + EMPTY_PHOT + metaText + ',,,0,' + epochs.filter[c] + '\n');
    detTail[c] = encodeAscii(',1,' + epochs.filter[c] + '\n');
  }
  // Dense rank of the MJD so that sort keys are small integers.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => epochs.mjd[a] - epochs.mjd[b]);
  const rank = new Float64Array(n);
  let r = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && epochs.mjd[order[k]] !== epochs.mjd[order[k - 1]]) r++;
    rank[order[k]] = r;
  }
  return { mjd, meta, nondetRow, detTail, rank };
}

/**
 * Reusable scratch space for {@link formatLightCurve}: one per worker, grown
 * on demand, so the hot loop allocates nothing but strings.
 */
export class LightCurveScratch {
  /** Stamp per epoch: the source that last marked it detected. */
  mark = new Int32Array(0);
  /** Sort keys. */
  keys = new Float64Array(0);
  private stamp = 0;

  /** Prepare for a tile with `epochs` epochs. */
  reset(epochs: number): void {
    if (this.mark.length < epochs) this.mark = new Int32Array(epochs);
    this.mark.fill(0);
    this.stamp = 0;
  }

  /** A new stamp value for the next source. */
  nextStamp(): number {
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.mark.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** Sort-key buffer with room for `n` keys. */
  keyBuffer(n: number): Float64Array {
    if (this.keys.length < n) this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
    return this.keys;
  }
}

/** Count of Ks detections of source `i` of the batch. */
export function countKsDetections(epochs: TileEpochs, batch: SourceBatch, i: number): number {
  let n = 0;
  const end = batch.detOffsets[i + 1];
  for (let k = batch.detOffsets[i]; k < end; k++) if (epochs.band[batch.detEpoch[k]] === KS_BAND) n++;
  return n;
}

/**
 * The CSV light curve of source `i` of `batch`, or `undefined` when it has
 * no more than `minKs` Ks detections (the extractor's selection rule).
 *
 * Rows: one per detection (detected=1) and one per covered epoch without a
 * detection (detected=0), sorted by MJD; equal MJDs keep detections first,
 * then stored order. Numbers as C printf formats them; NaN is empty.
 * Epoch ids must already be validated against the epoch count.
 */
export function formatLightCurve(
  epochs: TileEpochs,
  text: EpochText,
  batch: SourceBatch,
  i: number,
  minKs: number,
  scratch: LightCurveScratch,
): string | undefined {
  const out = new CsvTextBuilder(1 << 12);
  return writeLightCurve(out, epochs, text, batch, i, minKs, scratch) ? out.toString() : undefined;
}

/**
 * {@link formatLightCurve} into a reusable byte buffer (cleared first):
 * returns false, leaving it empty, when the source is not selected. The hot
 * path of the extractor: no strings are built.
 */
export function writeLightCurve(
  out: CsvTextBuilder,
  epochs: TileEpochs,
  text: EpochText,
  batch: SourceBatch,
  i: number,
  minKs: number,
  scratch: LightCurveScratch,
): boolean {
  out.clear();
  const d0 = batch.detOffsets[i];
  const d1 = batch.detOffsets[i + 1];
  const nDet = d1 - d0;
  if (nDet === 0) return false;
  if (countKsDetections(epochs, batch, i) <= minKs) return false;

  const c0 = batch.covOffsets[i];
  const c1 = batch.covOffsets[i + 1];
  const stamp = scratch.nextStamp();
  const mark = scratch.mark;
  for (let k = d0; k < d1; k++) mark[batch.detEpoch[k]] = stamp;

  // Sort key: (mjd rank, non-detection flag, stored position); all exact integers.
  const span = nDet + (c1 - c0) + 1;
  const keys = scratch.keyBuffer(span);
  let n = 0;
  for (let k = d0; k < d1; k++) keys[n++] = text.rank[batch.detEpoch[k]] * 2 * span + (k - d0);
  for (let k = c0; k < c1; k++) {
    const c = batch.covEpoch[k];
    if (mark[c] !== stamp) keys[n++] = (text.rank[c] * 2 + 1) * span + (k - c0);
  }
  const sorted = keys.subarray(0, n).sort();

  out.put(HEADER_BYTES);
  for (let s = 0; s < n; s++) {
    const key = sorted[s];
    const group = Math.floor(key / span);
    const pos = key - group * span;
    if (group & 1) {
      out.put(text.nondetRow[batch.covEpoch[c0 + pos]]);
      continue;
    }
    const k = d0 + pos;
    const c = batch.detEpoch[k];
    const band = epochs.band[c];
    out.put(text.mjd[c]);
    if (band === OTHER_BAND) {
      out.put(EMPTY_PHOT_BYTES);
    } else {
      out.put(PHOT_PREFIX[band]);
      out.byte(COMMA);
      out.fixed(batch.mag[k], 4);
      out.byte(COMMA);
      out.fixed(batch.emag[k], 4);
      out.put(PHOT_SUFFIX[band]);
    }
    out.put(text.meta[c]);
    out.byte(COMMA);
    out.fixed(batch.chi[k], 4);
    out.byte(COMMA);
    out.fixed(batch.ast[k], 4);
    out.put(text.detTail[c]);
  }
  return true;
}

const COMMA = 44;
const HEADER_BYTES = encodeAscii(CSV_HEADER + '\n');
const EMPTY_PHOT_BYTES = encodeAscii(EMPTY_PHOT);

// Commas before and after a band's (mag, err) pair among the 10 photometry fields.
const PHOT_PREFIX = VIRAC_BANDS.map((_, b) => encodeAscii(','.repeat(2 * b)));
const PHOT_SUFFIX = VIRAC_BANDS.map((_, b) => encodeAscii(','.repeat(2 * (VIRAC_BANDS.length - 1 - b))));
