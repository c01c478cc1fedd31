import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { withHdf5, type VlenColumn } from '@astro/hdf5-io';
import { VIRAC_BANDS } from './layout.js';
import { seededRandom } from '@astro/core';

/** Options of {@link writeSyntheticViracTile}. */
export interface SyntheticTileOptions {
  /** HEALPix ring pixel at nside 1024 (source ids are `hpx * 1e6 + i`). Default 8535204. */
  healpix?: number;
  /** Number of sources. Default 2000. */
  sources?: number;
  /** Number of epochs in the catalogue. Default 400. */
  epochs?: number;
  /** Seed of the random generator: equal seeds give identical tiles. Default 1. */
  seed?: number;
  /** Largest fraction of the epochs that cover a source (each source draws 10-100% of it). Default 0.9. */
  coverage?: number;
  /** Fraction of sources that are variable (sinusoidal, 0.1-1 mag). Default 0.1. */
  variableFraction?: number;
  /**
   * Write a deliberately broken tile, to test a pipeline's error handling:
   * `missing-group` omits /catIndex; `short-vlen` writes /timeSeries/hfad_mag
   * with fewer rows than /sourceList/sourceid; `epoch-out-of-range` makes one
   * detection refer to an epoch past the catalogue; `mismatched-row` gives one
   * source one magnitude fewer than detections.
   */
  corrupt?: 'missing-group' | 'short-vlen' | 'epoch-out-of-range' | 'mismatched-row';
}

/** What {@link writeSyntheticViracTile} wrote. */
export interface SyntheticTileSummary {
  /** Path of the tile. */
  path: string;
  /** Source count. */
  sources: number;
  /** Epoch count. */
  epochs: number;
  /** Detections over all sources. */
  detections: number;
  /** Covered epochs over all sources. */
  covered: number;
}

/** Seeded uniform numbers (core's mulberry32; seed 0 means 1, as the seed tiles were made). */
function random(seed: number): () => number {
  return seededRandom(seed >>> 0 || 1);
}

function gauss(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * Write a synthetic VIRAC2-layout time-series tile (`n1024_<hpx>.hdf5`
 * layout, gzip+shuffle chunks, vlen time-series columns) with seeded random
 * epochs, sources, coverage and photometry: the demo's and the benchmark's
 * input. Filters are mostly Ks, some space-padded; a few detections have
 * NaN magnitudes; epochs are stored in random MJD order.
 */
export async function writeSyntheticViracTile(file: string, options: SyntheticTileOptions = {}): Promise<SyntheticTileSummary> {
  const hpx = options.healpix ?? 8535204;
  const nSrc = options.sources ?? 2000;
  const nEp = options.epochs ?? 400;
  const coverage = options.coverage ?? 0.9;
  const varFrac = options.variableFraction ?? 0.1;
  const rand = random(options.seed ?? 1);

  // Epochs: 60% Ks, the rest spread over Z, Y, J, H; MJDs over ten years, stored shuffled.
  const mjd = new Float64Array(nEp);
  const filter: string[] = [];
  const seeing = new Float32Array(nEp);
  const exptime = new Float32Array(nEp);
  const skylevel = new Float32Array(nEp);
  const ellipticity = new Float32Array(nEp);
  const tile: string[] = [];
  const tileloc = new Int32Array(nEp);
  const filename: string[] = [];
  for (let c = 0; c < nEp; c++) {
    mjd[c] = 55000 + Math.floor(rand() * 3650 * 1e6) / 1e6;
    const r = rand();
    const band = r < 0.6 ? 'Ks' : VIRAC_BANDS[1 + Math.floor(rand() * 4)];
    filter.push(band.length === 1 && rand() < 0.5 ? `${band} ` : band);
    seeing[c] = 0.5 + rand() * 0.8;
    exptime[c] = band === 'Ks' ? 4 : 10 + Math.floor(rand() * 3) * 5;
    skylevel[c] = 2000 + rand() * 4000;
    ellipticity[c] = rand() * 0.2;
    tile.push(`t${String(Math.floor(rand() * 999)).padStart(3, '0')}`);
    tileloc[c] = Math.floor(rand() * 16);
    filename.push(`v2010${String(c).padStart(6, '0')}.fit`);
  }
  const catindexid = BigInt64Array.from({ length: nEp }, (_, i) => BigInt(i));

  const sourceid = new BigInt64Array(nSrc);
  const ra = new Float64Array(nSrc);
  const dec = new Float64Array(nSrc);
  const nDet = VIRAC_BANDS.map(() => new Int32Array(nSrc));
  const detRows: BigInt64Array[] = [];
  const covRows: BigInt64Array[] = [];
  const cols = {
    hfad_mag: [] as Float32Array[],
    hfad_emag: [] as Float32Array[],
    chi: [] as Float32Array[],
    ast_res_chisq: [] as Float32Array[],
    ambiguous_match: [] as Int32Array[],
    cnf_ctr: [] as Int32Array[],
    ext: [] as Int32Array[],
    objtype: [] as Int32Array[],
    diff_fit_ap: [] as Float32Array[],
    sky: [] as Float32Array[],
    x: [] as Float32Array[],
    y: [] as Float32Array[],
  };
  let detections = 0;
  let covered = 0;
  const covBuf = new Int32Array(nEp);
  const detBuf = new Int32Array(nEp);
  for (let s = 0; s < nSrc; s++) {
    sourceid[s] = BigInt(hpx) * 1_000_000n + BigInt(s);
    ra[s] = 266 + rand() * 0.06;
    dec[s] = -29 + rand() * 0.06;
    const base = 12 + rand() * 6; // Ks magnitude
    const variable = rand() < varFrac;
    const amp = variable ? 0.1 + rand() * 0.9 : 0;
    const period = 1 + rand() * 500;
    const phase = rand() * 2 * Math.PI;
    const cov = coverage * (0.1 + 0.9 * rand());
    const detProb = Math.max(0.05, Math.min(0.98, (19 - base) / 4));
    let nc = 0;
    let nd = 0;
    for (let c = 0; c < nEp; c++) {
      if (rand() >= cov) continue;
      covBuf[nc++] = c;
      if (rand() < detProb) detBuf[nd++] = c;
    }
    const covRow = new BigInt64Array(nc);
    for (let k = 0; k < nc; k++) covRow[k] = BigInt(covBuf[k]);
    const detRow = new BigInt64Array(nd);
    const mag = new Float32Array(nd);
    const emag = new Float32Array(nd);
    const chi = new Float32Array(nd);
    const ast = new Float32Array(nd);
    for (let k = 0; k < nd; k++) {
      const c = detBuf[k];
      detRow[k] = BigInt(c);
      const band = filter[c].trim();
      const b = VIRAC_BANDS.indexOf(band as (typeof VIRAC_BANDS)[number]);
      nDet[b][s]++;
      const colour = [0, 1.2, 0.9, 0.6, 0.2][b];
      const err = 0.005 + 0.02 * Math.exp((base - 14) / 1.5);
      const m = base + colour + amp * Math.sin((2 * Math.PI * mjd[c]) / period + phase) + err * gauss(rand);
      mag[k] = rand() < 0.002 ? Number.NaN : m;
      emag[k] = err;
      chi[k] = 0.5 + rand() * 1.5;
      ast[k] = rand() * 2;
    }
    detections += nd;
    covered += nc;
    detRows.push(detRow);
    covRows.push(covRow);
    cols.hfad_mag.push(mag);
    cols.hfad_emag.push(emag);
    cols.chi.push(chi);
    cols.ast_res_chisq.push(ast);
    cols.ambiguous_match.push(new Int32Array(nd));
    cols.cnf_ctr.push(Int32Array.from({ length: nd }, () => Math.floor(rand() * 4)));
    cols.ext.push(new Int32Array(nd));
    cols.objtype.push(Int32Array.from({ length: nd }, () => (rand() < 0.9 ? 1 : 2)));
    cols.diff_fit_ap.push(Float32Array.from({ length: nd }, () => gauss(rand) * 0.02));
    cols.sky.push(Float32Array.from({ length: nd }, () => 2000 + rand() * 4000));
    cols.x.push(Float32Array.from({ length: nd }, () => rand() * 2048));
    cols.y.push(Float32Array.from({ length: nd }, () => rand() * 2048));
  }

  const broken = options.corrupt;
  if (broken === 'epoch-out-of-range' && nSrc > 0) {
    const row = detRows[Math.floor(nSrc / 2)];
    if (row.length > 0) row[0] = BigInt(nEp + 5);
    else detRows[Math.floor(nSrc / 2)] = BigInt64Array.of(BigInt(nEp + 5));
  }
  if (broken === 'mismatched-row' && nSrc > 0) {
    const i = detRows.findIndex((r) => r.length > 0);
    if (i >= 0) cols.hfad_mag[i] = cols.hfad_mag[i].subarray(0, cols.hfad_mag[i].length - 1);
  }
  if (broken === 'short-vlen') cols.hfad_mag = cols.hfad_mag.slice(0, Math.max(0, nSrc - 10));

  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const gz = { compression: 'gzip' as const, shuffle: true };
  await withHdf5(file, { mode: 'w' }, (h5) => {
    h5.createDataset('sourceList/sourceid', { data: sourceid, ...gz });
    h5.createDataset('sourceList/ra', { data: ra, ...gz });
    h5.createDataset('sourceList/dec', { data: dec, ...gz });
    VIRAC_BANDS.forEach((b, i) => h5.createDataset(`sourceList/${b.toLowerCase()}_n_detections`, { data: nDet[i], ...gz }));
    if (broken !== 'missing-group') writeCatIndex();
    function writeCatIndex() {
      h5.createDataset('catIndex/catindexid', { data: catindexid, ...gz });
      h5.createDataset('catIndex/mjdobs', { data: mjd, ...gz });
      h5.createDataset('catIndex/filter', { data: filter, dtype: 'string', stringLength: 2 });
      h5.createDataset('catIndex/seeing', { data: seeing, ...gz });
      h5.createDataset('catIndex/exptime', { data: exptime, ...gz });
      h5.createDataset('catIndex/skylevel', { data: skylevel, ...gz });
      h5.createDataset('catIndex/ellipticity', { data: ellipticity, ...gz });
      h5.createDataset('catIndex/tile', { data: tile, dtype: 'string', stringLength: 4 });
      h5.createDataset('catIndex/tileloc', { data: tileloc, ...gz });
      h5.createDataset('catIndex/filename', { data: filename, dtype: 'string', stringLength: 20 });
    }
    h5.createVlenDataset('timeSeries/catindexid', detRows);
    h5.createVlenDataset('timeSeries/catindexidcovered', covRows);
    for (const [name, rows] of Object.entries(cols)) h5.createVlenDataset(`timeSeries/${name}`, rows as VlenColumn['values'][]);
    h5.setAttrs('/', { layout: 'VIRAC2 time series (synthetic)', healpix_nside: 1024, healpix_pixel: hpx, seed: options.seed ?? 1 });
  });
  return { path: file, sources: nSrc, epochs: nEp, detections, covered };
}
