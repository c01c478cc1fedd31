import * as path from 'node:path';
import { AstroError, IS_LITTLE_ENDIAN, describeError } from '@astro/core';
import { openHdf5, type Hdf5Reader, type VlenColumn } from '@astro/hdf5-io';
import { ViracTileError } from './errors.js';
import { EXTRACTION_COLUMNS, ViracLayout } from './layout.js';
import { bandIndex, type SourceBatch, type TileEpochs } from './light-curve.js';

/** The id of a tile: its file name without the extension (`n1024_8535204`). */
export function tileIdOf(file: string): string {
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** An open VIRAC2 tile: epochs read, sources read on demand by row range. */
export interface ViracTile {
  /** Tile id (file name without extension). */
  readonly id: string;
  /** Path of the tile file. */
  readonly path: string;
  /** Number of sources (rows of sourceList and timeSeries). */
  readonly sourceCount: number;
  /** The epochs (catIndex) of the tile. */
  readonly epochs: TileEpochs;
  /**
   * Read and validate sources `[start, end)`: ids and the time-series columns
   * the extraction needs, as flat arrays plus offsets (one copy each).
   */
  readSources(start: number, end: number): SourceBatch;
  /** Close the file (idempotent). */
  close(): void;
}

/** Options of {@link openViracTile}. */
export interface OpenViracTileOptions {
  /** Skip the per-source checks (lengths, epoch range). Default false. */
  trusted?: boolean;
}

/**
 * Open a VIRAC2 time-series tile and validate its layout: the three groups,
 * consistent column lengths, and (per batch) epoch ids within the catalogue.
 * Every problem is a {@link ViracTileError} naming the tile and the problem.
 * Call `close()` when done (see {@link withViracTile}).
 */
export async function openViracTile(file: string, options: OpenViracTileOptions = {}): Promise<ViracTile> {
  const id = tileIdOf(file);
  let h5: Hdf5Reader;
  try {
    h5 = await openHdf5(file);
  } catch (error) {
    throw new ViracTileError(`VIRAC tile ${id} (${file}): cannot open as HDF5: ${describeError(error)}`, {
      file,
      tile: id,
      cause: error,
    });
  }
  try {
    return new OpenTile(id, file, h5, options.trusted === true);
  } catch (error) {
    h5.close();
    throw wrap(error, id, file);
  }
}

/** Open a tile, run `fn`, and always close it. */
export async function withViracTile<T>(
  file: string,
  fn: (tile: ViracTile) => Promise<T> | T,
  options: OpenViracTileOptions = {},
): Promise<T> {
  const tile = await openViracTile(file, options);
  try {
    return await fn(tile);
  } finally {
    tile.close();
  }
}

/** A tile read into memory by {@link readViracTile}. */
export interface ViracTileData {
  /** Tile id (file name without extension). */
  id: string;
  /** Path of the tile file. */
  path: string;
  /** Number of sources in the tile. */
  sourceCount: number;
  /** The epochs (catIndex). */
  epochs: TileEpochs;
  /** The sources read (all, or the requested row range). */
  sources: SourceBatch;
}

/**
 * Read a tile (or the source rows `[start, end)` of it) into memory, with
 * the layout validated. For large tiles prefer {@link iterateViracSources},
 * which keeps memory bounded.
 */
export async function readViracTile(file: string, range: { start?: number; end?: number } = {}): Promise<ViracTileData> {
  return withViracTile(file, (tile) => ({
    id: tile.id,
    path: tile.path,
    sourceCount: tile.sourceCount,
    epochs: tile.epochs,
    sources: tile.readSources(range.start ?? 0, range.end ?? tile.sourceCount),
  }));
}

/**
 * Iterate over the sources of a tile in batches of `batchSize` rows (default
 * 4096): memory stays bounded whatever the tile size. The tile is closed when
 * the iteration ends, also early.
 */
export async function* iterateViracSources(
  file: string,
  options: { batchSize?: number; start?: number; end?: number } = {},
): AsyncGenerator<{ epochs: TileEpochs; batch: SourceBatch; tile: string }> {
  const tile = await openViracTile(file);
  try {
    const size = Math.max(1, options.batchSize ?? 4096);
    const end = Math.min(options.end ?? tile.sourceCount, tile.sourceCount);
    for (let start = options.start ?? 0; start < end; start += size) {
      yield { epochs: tile.epochs, batch: tile.readSources(start, Math.min(start + size, end)), tile: tile.id };
    }
  } finally {
    tile.close();
  }
}

function wrap(error: unknown, id: string, file: string): ViracTileError {
  if (error instanceof ViracTileError) return error;
  const where = error instanceof AstroError && error.location.dataset ? ` ${error.location.dataset}` : '';
  return new ViracTileError(`VIRAC tile ${id} (${file}):${where} ${describeError(error)}`, {
    file,
    tile: id,
    cause: error,
    ...(where ? { dataset: where.trim() } : {}),
  });
}

/** Floating-point columns as they are; other numeric columns widened to float64 (one copy). */
function toFloat(values: ArrayLike<number> | ArrayLike<bigint>): Float64Array | Float32Array {
  if (values instanceof Float32Array || values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

class OpenTile implements ViracTile {
  readonly sourceCount: number;
  readonly epochs: TileEpochs;
  private closed = false;

  constructor(
    readonly id: string,
    readonly path: string,
    private readonly h5: Hdf5Reader,
    private readonly trusted: boolean,
  ) {
    for (const group of ViracLayout.groups) {
      if (!h5.has(group)) this.fail(`missing group /${group} (a VIRAC2 tile has ${ViracLayout.groups.join(', ')})`);
    }
    this.sourceCount = this.lengthOf('sourceList/sourceid');
    for (const name of EXTRACTION_COLUMNS) {
      const n = this.lengthOf(`timeSeries/${name}`);
      if (n !== this.sourceCount) {
        this.fail(`column /timeSeries/${name} has ${n} rows but /sourceList/sourceid has ${this.sourceCount}`);
      }
    }
    this.epochs = this.readEpochs();
  }

  private fail(message: string, extra: { dataset?: string; row?: number } = {}): never {
    throw new ViracTileError(`VIRAC tile ${this.id} (${this.path}): ${message}`, {
      file: this.path,
      tile: this.id,
      ...extra,
    });
  }

  private lengthOf(dataset: string): number {
    if (!this.h5.has(dataset)) this.fail(`missing dataset /${dataset}`, { dataset: `/${dataset}` });
    const shape = this.h5.info(dataset).shape;
    return shape.length === 0 ? 1 : shape[0];
  }

  private readEpochs(): TileEpochs {
    const count = this.lengthOf('catIndex/mjdobs');
    const column = (name: string) => {
      const n = this.lengthOf(`catIndex/${name}`);
      if (n !== count) this.fail(`column /catIndex/${name} has ${n} rows but /catIndex/mjdobs has ${count}`);
      return this.h5.read(`catIndex/${name}`);
    };
    const ids = column('catindexid');
    for (let i = 0; i < count; i++) {
      if (Number(ids[i]) !== i) {
        this.fail(`/catIndex/catindexid[${i}] is ${ids[i]}, expected ${i} (catindexid must be the row number)`, {
          dataset: '/catIndex/catindexid',
          row: i,
        });
      }
    }
    const filterRaw = column('filter');
    if (!Array.isArray(filterRaw)) this.fail('/catIndex/filter is not a string column');
    const filter = (filterRaw as string[]).map((s) => s.replace(/\0+$/, '').trim());
    const band = new Uint8Array(count);
    for (let i = 0; i < count; i++) band[i] = bandIndex(filter[i]);
    const numeric = (name: string) => {
      const v = column(name);
      if (Array.isArray(v)) this.fail(`/catIndex/${name} is not numeric`);
      return toFloat(v as ArrayLike<number>);
    };
    const mjd = numeric('mjdobs');
    return {
      count,
      mjd: mjd instanceof Float64Array ? mjd : Float64Array.from(mjd),
      filter,
      band,
      seeing: numeric('seeing'),
      exptime: numeric('exptime'),
      skylevel: numeric('skylevel'),
      ellipticity: numeric('ellipticity'),
    };
  }

  private vlen(name: string, start: number, end: number): { values: ArrayLike<number> | ArrayLike<bigint>; offsets: Float64Array } {
    let col: VlenColumn;
    try {
      col = this.h5.readVlen(`timeSeries/${name}`, { start, end });
    } catch (error) {
      throw wrap(error, this.id, this.path);
    }
    // hdf5-io's offsets are relative to the first row read (offsets[0] = 0).
    return { values: col.values as ArrayLike<number> | ArrayLike<bigint>, offsets: col.offsets };
  }

  readSources(start: number, end: number): SourceBatch {
    if (this.closed) this.fail('tile is closed');
    start = Math.max(0, start);
    end = Math.min(end, this.sourceCount);
    const count = Math.max(0, end - start);
    const idsRaw = this.h5.read('sourceList/sourceid', { start, end });
    let sourceid: BigInt64Array;
    if (idsRaw instanceof BigInt64Array) sourceid = idsRaw;
    else if (Array.isArray(idsRaw)) this.fail('/sourceList/sourceid is not numeric');
    else sourceid = BigInt64Array.from(idsRaw as ArrayLike<number>, (v) => BigInt(v));

    const det = this.vlen('catindexid', start, end);
    const cov = this.vlen('catindexidcovered', start, end);
    const mag = this.vlen('hfad_mag', start, end);
    const emag = this.vlen('hfad_emag', start, end);
    const chi = this.vlen('chi', start, end);
    const ast = this.vlen('ast_res_chisq', start, end);
    const nEpochs = this.epochs.count;
    const detEpoch = this.epochIds(det.values, nEpochs, 'catindexid', det.offsets, start);
    const covEpoch = this.epochIds(cov.values, nEpochs, 'catindexidcovered', cov.offsets, start);
    if (!this.trusted) {
      for (const [name, col] of [
        ['hfad_mag', mag],
        ['hfad_emag', emag],
        ['chi', chi],
        ['ast_res_chisq', ast],
      ] as const) {
        for (let i = 0; i <= count; i++) {
          if (col.offsets[i] !== det.offsets[i]) {
            const row = Math.max(0, i - 1);
            this.fail(
              `source row ${start + row}: /timeSeries/${name} has ${col.offsets[row + 1] - col.offsets[row]} values but /timeSeries/catindexid has ${det.offsets[row + 1] - det.offsets[row]}`,
              { dataset: `/timeSeries/${name}`, row: start + row },
            );
          }
        }
      }
    }
    return {
      start,
      count,
      sourceid: sourceid!,
      detEpoch,
      detOffsets: det.offsets,
      covEpoch,
      covOffsets: cov.offsets,
      mag: toFloat(mag.values as ArrayLike<number>),
      emag: toFloat(emag.values as ArrayLike<number>),
      chi: toFloat(chi.values as ArrayLike<number>),
      ast: toFloat(ast.values as ArrayLike<number>),
    };
  }

  private epochIds(
    values: ArrayLike<number> | ArrayLike<bigint>,
    nEpochs: number,
    name: string,
    offsets: Float64Array,
    start: number,
  ): Int32Array {
    const out = new Int32Array(values.length);
    let bad = -1;
    if (values instanceof BigInt64Array && IS_LITTLE_ENDIAN) {
      // Fast path: read the two 32-bit halves instead of converting BigInts.
      const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let k = 0; k < values.length; k++) {
        const lo = words[2 * k];
        if (words[2 * k + 1] !== 0 || lo < 0 || lo >= nEpochs) {
          bad = k;
          break;
        }
        out[k] = lo;
      }
    } else {
      for (let k = 0; k < values.length; k++) {
        const v = Number(values[k]);
        if (!(v >= 0 && v < nEpochs) || !Number.isInteger(v)) {
          bad = k;
          break;
        }
        out[k] = v;
      }
    }
    if (bad >= 0) {
      // Locate the source row for the message.
      let row = 0;
      while (row + 1 < offsets.length && offsets[row + 1] <= bad) row++;
      this.fail(
        `source row ${start + row}: /timeSeries/${name} refers to epoch ${String(values[bad])}, outside the ${nEpochs} epochs of /catIndex`,
        { dataset: `/timeSeries/${name}`, row: start + row },
      );
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.h5.close();
  }
}
