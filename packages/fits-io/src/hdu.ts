/**
 * One header-data unit of an opened file ({@link FitsHdu}): the header is
 * parsed, the data unit is read on demand with positional reads.
 */
import { FitsErrorCode, FitsFormatError, fitsError } from './errors.js';
import type { FitsLocation } from './errors.js';
import { padToBlock } from './format.js';
import type { FitsHeader } from './header.js';
import { decodeImageValues, finishImageValues, imageLayout, toNativeInPlace } from './internal/image-values.js';
import type { FitsImage, ImageLayout, ReadImageOptions } from './image.js';
import { BinaryTable, binaryColumns } from './binary-table.js';
import type { FitsTable } from './binary-table.js';
import { AsciiTable } from './ascii-table.js';
import { readCompressedImage } from './compressed/read.js';
import { CHUNK_BYTES, allocUninitialized, withReader } from './internal/source.js';
import type { ByteSource, Reader } from './internal/source.js';
import { checksumStatus, onesComplementSum } from './internal/checksum.js';
import type { ChecksumStatus } from './checksum.js';

/** What an HDU holds. */
export type FitsHduKind = 'image' | 'binary-table' | 'ascii-table' | 'compressed-image' | 'empty' | 'unknown';

/** Options of `FitsHdu.readTable()`. */
export interface ReadTableOptions {
  /** Read only these rows (zero-based `start`, `count` rows); default all. */
  rows?: { start: number; count: number };
}

/**
 * One header-data unit. Opening reads only the header; `readImage()`,
 * `readTable()` and `readData()` read the data unit on demand with positional
 * reads (the file is opened for each call and closed afterwards).
 */
export class FitsHdu {
  /** Zero-based index (0 = primary). */
  readonly index: number;
  /** EXTNAME, `PRIMARY` for the primary HDU without one, '' for an extension without one. */
  readonly name: string;
  /** EXTVER (1 when absent). */
  readonly version: number;
  /** What the HDU holds. */
  readonly kind: FitsHduKind;
  /** The header as stored (for a compressed image: the binary-table header with Z keywords). */
  readonly header: FitsHeader;
  /** Byte offset of the header in the file. */
  readonly headerOffset: number;
  /** Byte offset of the data unit in the file. */
  readonly dataOffset: number;
  /** Size of the data unit in bytes, without the padding to 2880. */
  readonly dataSize: number;
  /** The XTENSION value ('' for the primary HDU). */
  readonly xtension: string;
  readonly #source: ByteSource;

  /** @hidden */
  constructor(init: {
    index: number;
    name: string;
    version: number;
    kind: FitsHduKind;
    header: FitsHeader;
    headerOffset: number;
    dataOffset: number;
    dataSize: number;
    xtension: string;
    source: ByteSource;
  }) {
    this.index = init.index;
    this.name = init.name;
    this.version = init.version;
    this.kind = init.kind;
    this.header = init.header;
    this.headerOffset = init.headerOffset;
    this.dataOffset = init.dataOffset;
    this.dataSize = init.dataSize;
    this.xtension = init.xtension;
    this.#source = init.source;
  }

  /** Path of the file (or the name given for bytes). */
  get file(): string {
    return this.#source.name;
  }

  /** Open the file for one read; errors of the read get this HDU in their location. */
  async #withReader<T>(fn: (r: Reader) => Promise<T>): Promise<T> {
    try {
      return await withReader(this.#source, fn);
    } catch (error) {
      if (error instanceof FitsFormatError && error.location.hdu === undefined) {
        const { card, column, row, tile, offset } = error.location;
        const loc = { ...this.location, card, column: column === undefined ? undefined : String(column), row, tile: typeof tile === 'number' ? tile : undefined, offset };
        throw fitsError(loc, error.problem, error.code as FitsErrorCode, error);
      }
      throw error;
    }
  }

  /** File/HDU location for error messages. */
  get location(): FitsLocation {
    return { file: this.#source.name, hdu: this.index };
  }

  /**
   * Raw bytes of the data unit as stored (big-endian), `length` bytes from
   * `offset` within the data unit (default: all of it). Always a fresh copy.
   */
  async readData(offset = 0, length = this.dataSize - offset): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.dataSize) {
      throw fitsError(this.location, `data range ${offset}+${length} is outside the data unit of ${this.dataSize} bytes`, FitsErrorCode.badRequest);
    }
    const out = new Uint8Array(length);
    if (length > 0) await this.#withReader( (r) => r.readInto(this.dataOffset + offset, out));
    return out;
  }

  /**
   * Several byte ranges of the data unit with one open of the file (each a
   * fresh aligned buffer).
   */
  async readDataRanges(ranges: Array<{ offset: number; length: number }>): Promise<Uint8Array[]> {
    for (const { offset, length } of ranges) {
      if (offset < 0 || length < 0 || offset + length > this.dataSize) {
        throw fitsError(this.location, `data range ${offset}+${length} is outside the data unit of ${this.dataSize} bytes`, FitsErrorCode.badRequest);
      }
    }
    return this.#withReader( async (r) => {
      const out: Uint8Array[] = [];
      for (const { offset, length } of ranges) {
        const buf = new Uint8Array(length);
        if (length > 0) await r.readInto(this.dataOffset + offset, buf);
        out.push(buf);
      }
      return out;
    });
  }

  /**
   * Pixels as astropy returns them (physical values, see the dtype table in
   * docs/fits-io.md). The result owns its buffer (the stored bytes are read
   * into it and swapped in place, no further copy unless scaled to floats).
   * With `section`, only the rows needed are read. A compressed image is
   * decompressed by `readCompressedImage`. An empty HDU gives shape [] and no data.
   */
  async readImage(options: ReadImageOptions = {}): Promise<FitsImage> {
    if (this.kind === 'compressed-image') return readCompressedImage(this, options);
    if (this.kind !== 'image' && this.kind !== 'empty') {
      throw fitsError(this.location, `readImage() on a ${this.kind} HDU (use readTable())`, FitsErrorCode.badRequest);
    }
    const layout = imageLayout(this.header);
    const scale = options.scale !== false;
    if (this.kind === 'empty') {
      const { data, dtype } = decodeImageValues(new Uint8Array(0), layout, scale);
      return { data, dtype, shape: [], bitpix: layout.bitpix, bscale: layout.bscale, bzero: layout.bzero, blank: layout.blank };
    }
    const bytesPer = Math.abs(layout.bitpix) / 8;
    const axes = layout.axes;
    const nx = axes[0];
    const ny = axes.length > 1 ? axes[1] : 1;
    const planeCount = axes.slice(2).reduce((a, b) => a * b, 1);
    const planeSize = nx * ny * bytesPer;
    let planes: number[];
    if (options.plane !== undefined) {
      if (!Number.isInteger(options.plane) || options.plane < 0 || options.plane >= planeCount) {
        throw fitsError(this.location, `plane ${options.plane} is outside 0..${planeCount - 1}`, FitsErrorCode.badRequest);
      }
      planes = [options.plane];
    } else {
      planes = Array.from({ length: planeCount }, (_, i) => i);
    }
    const sec = options.section;
    if (!sec && options.plane === undefined) {
      // read in chunks and convert each while it is in cache
      const nbytes = nx * ny * planeCount * bytesPer;
      let bytes: Uint8Array;
      if (options.into) {
        const into = options.into;
        if (into.byteLength < nbytes || into.byteOffset % 8 !== 0) {
          throw fitsError(this.location, `'into' has ${into.byteLength} bytes at offset ${into.byteOffset}; ${nbytes} bytes at an offset that is a multiple of 8 are needed`, FitsErrorCode.badRequest);
        }
        bytes = new Uint8Array(into.buffer, into.byteOffset, nbytes);
      } else {
        bytes = allocUninitialized(nbytes);
      }
      await this.#withReader( (r) => r.readInto(this.dataOffset, bytes, (start, end) => toNativeInPlace(bytes.subarray(start, end), layout, scale)));
      const { data, dtype } = finishImageValues(bytes, layout, scale);
      return { data, dtype, shape: [...axes], bitpix: layout.bitpix, bscale: layout.bscale, bzero: layout.bzero, blank: layout.blank };
    }
    const s = sec ?? { x0: 0, y0: 0, width: nx, height: ny };
    this.#checkSection(s, nx, ny);
    const rowBytes = s.width * bytesPer;
    const out = new Uint8Array(rowBytes * s.height * planes.length);
    const ranges: Array<{ offset: number; length: number; at: number; stride: number; rows: number }> = [];
    const fullRowBytes = nx * bytesPer;
    planes.forEach((p, pi) => {
      const planeAt = pi * rowBytes * s.height;
      const start = p * planeSize + (s.y0 * nx + s.x0) * bytesPer;
      if (s.width === nx) {
        ranges.push({ offset: start, length: rowBytes * s.height, at: planeAt, stride: 0, rows: 1 });
      } else if ((nx - s.width) * bytesPer <= 65536) {
        // one read spanning the rows, then pick the columns
        ranges.push({ offset: start, length: (s.height - 1) * fullRowBytes + rowBytes, at: planeAt, stride: fullRowBytes, rows: s.height });
      } else {
        for (let y = 0; y < s.height; y++) {
          ranges.push({ offset: start + y * fullRowBytes, length: rowBytes, at: planeAt + y * rowBytes, stride: 0, rows: 1 });
        }
      }
    });
    await this.#withReader( async (r) => {
      for (const range of ranges) {
        if (range.stride === 0) {
          await r.readInto(this.dataOffset + range.offset, out.subarray(range.at, range.at + range.length));
        } else {
          const span = new Uint8Array(range.length);
          await r.readInto(this.dataOffset + range.offset, span);
          for (let y = 0; y < range.rows; y++) {
            out.set(span.subarray(y * range.stride, y * range.stride + rowBytes), range.at + y * rowBytes);
          }
        }
      }
    });
    const { data, dtype } = decodeImageValues(out, layout, scale);
    const shape = [s.width, s.height, ...(options.plane !== undefined ? [] : axes.slice(2))];
    if (axes.length === 1) shape.splice(1, 1);
    return { data, dtype, shape, bitpix: layout.bitpix, bscale: layout.bscale, bzero: layout.bzero, blank: layout.blank, section: sec };
  }

  #checkSection(s: { x0: number; y0: number; width: number; height: number }, nx: number, ny: number): void {
    const ok =
      [s.x0, s.y0, s.width, s.height].every((v) => Number.isInteger(v) && v >= 0) &&
      s.x0 + s.width <= nx &&
      s.y0 + s.height <= ny;
    if (!ok) {
      throw fitsError(
        this.location,
        `section x0=${s.x0} y0=${s.y0} width=${s.width} height=${s.height} is outside the ${nx}x${ny} image`,
        FitsErrorCode.badRequest,
      );
    }
  }

  /** Image layout (BITPIX, axes, scaling) of an image or empty HDU. */
  imageLayout(): ImageLayout {
    return imageLayout(this.header);
  }

  /**
   * The table (binary or ASCII) read into memory in one read; columns are
   * decoded on demand. With `rows`, only those rows (and the heap, when there
   * are variable-length columns) are read. For a compressed image this is the
   * underlying binary table.
   */
  async readTable(options: ReadTableOptions = {}): Promise<FitsTable> {
    if (this.kind === 'ascii-table') {
      const rowLen = this.header.requireInt('NAXIS1');
      const { start, count } = this.#rowRange(options);
      if (!options.rows) return new AsciiTable(this.header, await this.readData());
      return new AsciiTable(this.header, await this.readData(start * rowLen, count * rowLen), { firstRow: start, nrows: count });
    }
    return this.readBinaryTable(options);
  }

  /**
   * The table in consecutive row ranges of `rowsPerChunk` rows (default
   * 65536), each read when the loop asks for it: a multi-GB catalogue is
   * processed with bounded memory. Each chunk's `firstRow` says where it starts.
   */
  async *readTableChunks(options: { rowsPerChunk?: number } = {}): AsyncGenerator<FitsTable, void, undefined> {
    const per = options.rowsPerChunk ?? 65536;
    if (!Number.isInteger(per) || per < 1) {
      throw fitsError(this.location, `rowsPerChunk = ${per} must be a positive integer`, FitsErrorCode.badRequest);
    }
    const nrows = this.header.requireInt('NAXIS2');
    for (let start = 0; start < nrows; start += per) {
      yield await this.readTable({ rows: { start, count: Math.min(per, nrows - start) } });
    }
  }

  #rowRange(options: ReadTableOptions): { start: number; count: number } {
    const nrows = this.header.requireInt('NAXIS2');
    const start = options.rows?.start ?? 0;
    const count = options.rows?.count ?? nrows - start;
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > nrows) {
      throw fitsError(this.location, `rows start=${start} count=${count} are outside the ${nrows} rows of the table`, FitsErrorCode.badRequest);
    }
    return { start, count };
  }

  /** The binary table of a binary-table or compressed-image HDU (throws for other kinds); see {@link FitsHdu.readTable}. */
  async readBinaryTable(options: ReadTableOptions = {}): Promise<BinaryTable> {
    if (this.kind !== 'binary-table' && this.kind !== 'compressed-image') {
      throw fitsError(this.location, `readTable() on a ${this.kind} HDU (use readImage())`, FitsErrorCode.badRequest);
    }
    // validate the columns before reading the data
    const columns = binaryColumns(this.header);
    if (!options.rows) return new BinaryTable(this.header, await this.readData(), columns);
    const { start, count } = this.#rowRange(options);
    const rowLen = this.header.requireInt('NAXIS1');
    const nrows = this.header.requireInt('NAXIS2');
    const theap = this.header.getInt('THEAP') ?? rowLen * nrows;
    const ranges = [{ offset: start * rowLen, length: count * rowLen }];
    const hasVla = columns.some((c) => c.vla !== undefined);
    if (hasVla && theap < this.dataSize) ranges.push({ offset: theap, length: this.dataSize - theap });
    const parts = await this.readDataRanges(ranges);
    let data = parts[0];
    if (parts.length > 1) {
      data = new Uint8Array(parts[0].length + parts[1].length);
      data.set(parts[0]);
      data.set(parts[1], parts[0].length);
    }
    return new BinaryTable(this.header, data, columns, { firstRow: start, nrows: count, heapOffset: parts[0].length });
  }

  /** Check DATASUM and CHECKSUM against the bytes of this HDU (reads header and data). */
  async verifyChecksum(): Promise<ChecksumStatus> {
    // the data unit is summed 4 MB at a time (a multi-GB HDU is never held in memory);
    // padding missing at the end of the file counts as zeros
    const headerBytes = new Uint8Array(this.dataOffset - this.headerOffset);
    const padded = padToBlock(this.dataSize);
    const avail = Math.min(padded, this.#source.size - this.dataOffset);
    let dsum = 0;
    await this.#withReader( async (r) => {
      await r.readInto(this.headerOffset, headerBytes);
      const chunk = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(avail, 0)));
      for (let at = 0; at < avail; at += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, avail - at));
        await r.readInto(this.dataOffset + at, part);
        if (part.length % 4 !== 0) {
          const tail = new Uint8Array(Math.ceil(part.length / 4) * 4);
          tail.set(part);
          dsum = onesComplementSum(tail, dsum);
        } else {
          dsum = onesComplementSum(part, dsum);
        }
      }
    });
    return checksumStatus(this.header, headerBytes, dsum);
  }
}
