/**
 * Opening a FITS file: {@link readFits} reads the headers block by block,
 * skips the data units and gives a {@link FitsFile} of {@link FitsHdu}s.
 */
import { gunzipSync } from 'node:zlib';
import { FitsErrorCode, FitsWarningCode, fitsError, fitsWarning } from './errors.js';
import type { FitsLocation, FitsWarning } from './errors.js';
import { FitsFormat, padToBlock } from './format.js';
import type { FitsHeader } from './header.js';
import { parseCards } from './internal/cards.js';
import { imageLayout } from './internal/image-values.js';
import { FitsHdu } from './hdu.js';
import type { FitsHduKind } from './hdu.js';
import { bytesSource, fileSource, withReader } from './internal/source.js';
import type { ByteSource } from './internal/source.js';

/** Options of {@link readFits}. */
export interface ReadFitsOptions {
  /** Name used in error messages when reading bytes (default `<bytes>`). */
  name?: string;
  /**
   * Verify CHECKSUM/DATASUM of every HDU that has them while opening (reads
   * every data unit once); a mismatch throws {@link FitsFormatError} with code
   * FITS_CHECKSUM. Default false.
   */
  verifyChecksums?: boolean;
}

/** An opened FITS file: its HDUs (headers parsed, data not yet read). */
export class FitsFile {
  /** Path, or the name given for bytes. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** HDUs in file order. */
  readonly hdus: FitsHdu[];
  /** Non-fatal problems (unparseable cards, trailing bytes), as astropy would warn: data with a code and where. */
  readonly warnings: FitsWarning[];

  /** @hidden */
  constructor(path: string, size: number, hdus: FitsHdu[], warnings: FitsWarning[]) {
    this.path = path;
    this.size = size;
    this.hdus = hdus;
    this.warnings = warnings;
  }

  /**
   * HDU by index or by EXTNAME (case-insensitive; `PRIMARY` is index 0;
   * with `version`, EXTVER must match). Throws when there is none.
   */
  hdu(which: number | string, version?: number): FitsHdu {
    let found: FitsHdu | undefined;
    if (typeof which === 'number') found = this.hdus[which];
    else {
      const u = which.toUpperCase();
      found = this.hdus.find((h) => h.name.toUpperCase() === u && (version === undefined || h.version === version));
    }
    if (!found) {
      throw fitsError(
        { file: this.path },
        `no HDU ${JSON.stringify(which)} (HDUs: ${this.hdus.map((h) => `${h.index}:${h.name || "''"}`).join(', ')})`,
        FitsErrorCode.badRequest,
      );
    }
    return found;
  }
}

const HEADER_CHUNK_BLOCKS = 4;

/**
 * Open a FITS file (path) or parse FITS bytes: reads the headers block by
 * block and skips the data units, so a multi-GB file is not read. Throws
 * {@link FitsFormatError} for a file that is not FITS, a header without END,
 * illegal mandatory keywords, or data units that run past the end of the
 * file. Bytes given are not copied or modified.
 */
export async function readFits(pathOrBytes: string | Uint8Array, options: ReadFitsOptions = {}): Promise<FitsFile> {
  let source =
    typeof pathOrBytes === 'string' ? await fileSource(pathOrBytes) : bytesSource(pathOrBytes, options.name ?? '<bytes>');
  const hdus: FitsHdu[] = [];
  const warnings: FitsWarning[] = [];
  source = await gunzipIfNeeded(source, warnings);
  const file = source.name;
  await withReader(source, async (reader) => {
    let offset = 0;
    const size = source.size;
    if (size < FitsFormat.blockSize) {
      throw fitsError({ file, hdu: 0 }, `file is ${size} bytes, shorter than one 2880-byte FITS block (truncated or not FITS)`, FitsErrorCode.truncated);
    }
    while (offset < size) {
      const index = hdus.length;
      const loc: FitsLocation = { file, hdu: index };
      if (size - offset < FitsFormat.blockSize) {
        const head = new Uint8Array(Math.min(8, size - offset));
        await reader.readInto(offset, head);
        if (Buffer.from(head).toString('latin1') === 'XTENSION') {
          throw fitsError(loc, `header starts at byte ${offset} but the file ends ${size - offset} bytes later, inside its first 2880-byte block (truncated file)`, FitsErrorCode.truncated);
        }
        warnings.push(fitsWarning({ file, offset }, `${size - offset} bytes after the last HDU (at byte ${offset}) ignored`, FitsWarningCode.trailingBytes));
        break;
      }
      // read header blocks until END
      const chunks: string[] = [];
      let pos = offset;
      let endCard = -1;
      let cardsSeen = 0;
      while (endCard < 0) {
        if (pos >= size) break;
        const nblocks = Math.min(HEADER_CHUNK_BLOCKS, Math.floor((size - pos) / FitsFormat.blockSize));
        if (nblocks === 0) break;
        const buf = new Uint8Array(nblocks * FitsFormat.blockSize);
        await reader.readInto(pos, buf);
        const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
        if (chunks.length === 0) {
          const first = text.slice(0, 8);
          const expected = index === 0 ? 'SIMPLE  ' : 'XTENSION';
          if (first !== expected) {
            if (index === 0) {
              throw fitsError(loc, `not a FITS file: the first card is ${JSON.stringify(text.slice(0, 30))}, expected SIMPLE = T`, FitsErrorCode.badKeyword);
            }
            warnings.push(fitsWarning({ file, offset }, `${size - offset} bytes after the last HDU (at byte ${offset}) do not start with XTENSION; ignored`, FitsWarningCode.trailingBytes));
            return;
          }
        }
        for (let c = 0; c < nblocks * FitsFormat.cardsPerBlock; c++) {
          if (text.startsWith('END     ', c * 80) || (text.startsWith('END', c * 80) && text.slice(c * 80 + 3, c * 80 + 80).trim() === '')) {
            endCard = c;
            break;
          }
        }
        if (endCard >= 0) {
          const used = Math.floor(endCard / FitsFormat.cardsPerBlock) + 1;
          chunks.push(text.slice(0, endCard * 80));
          pos += used * FitsFormat.blockSize;
          cardsSeen += endCard;
        } else {
          chunks.push(text);
          pos += buf.length;
          cardsSeen += nblocks * FitsFormat.cardsPerBlock;
        }
      }
      if (endCard < 0) {
        throw fitsError(
          loc,
          `header has no END card (${cardsSeen} cards read up to the end of the file at byte ${size}; the file is truncated or not FITS)`,
          FitsErrorCode.noEnd,
        );
      }
      const header = parseCards(chunks.join(''), loc);
      for (const w of header.warnings) warnings.push({ ...w, message: `HDU ${index}: ${w.message}` });
      const described = describeHdu(header, index, loc);
      const dataOffset = pos;
      const dataEnd = dataOffset + described.dataSize;
      if (dataEnd > size) {
        const axes = describeAxes(header);
        throw fitsError(
          { ...loc, card: 'NAXIS' },
          `data unit needs ${described.dataSize} bytes (${axes}) from byte ${dataOffset} but the file ends at byte ${size}: truncated file or wrong NAXISn`,
          FitsErrorCode.truncated,
        );
      }
      hdus.push(
        new FitsHdu({
          index,
          name: described.name,
          version: header.getInt('EXTVER') ?? 1,
          kind: described.kind,
          header,
          headerOffset: offset,
          dataOffset,
          dataSize: described.dataSize,
          xtension: described.xtension,
          source,
        }),
      );
      offset = dataOffset + padToBlock(described.dataSize);
      if (dataEnd <= size && offset > size && described.dataSize > 0) {
        warnings.push(fitsWarning(loc, `HDU ${index}: data unit is not padded to a multiple of 2880 bytes`, FitsWarningCode.unpadded));
      }
    }
  });
  const fits = new FitsFile(file, source.size, hdus, warnings);
  if (options.verifyChecksums) {
    for (const hdu of hdus) {
      const status = await hdu.verifyChecksum();
      if (status.datasum === 'bad' || status.checksum === 'bad') {
        throw fitsError(
          hdu.location,
          `checksum mismatch (DATASUM ${status.datasum}, CHECKSUM ${status.checksum}): the file is corrupt`,
          FitsErrorCode.checksum,
        );
      }
    }
  }
  return fits;
}

/**
 * A gzip-compressed file (`.fits.gz`, magic 1f 8b) is decompressed whole into
 * memory, as astropy does; a warning says so (it is then not read lazily).
 */
async function gunzipIfNeeded(source: ByteSource, warnings: FitsWarning[]): Promise<ByteSource> {
  if (source.size < 2) return source;
  const magic = new Uint8Array(2);
  await withReader(source, (r) => r.readInto(0, magic));
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return source;
  const all = new Uint8Array(source.size);
  await withReader(source, (r) => r.readInto(0, all));
  let plain: Uint8Array;
  try {
    plain = gunzipSync(all);
  } catch (cause) {
    throw fitsError({ file: source.name }, `gzip-compressed file cannot be decompressed: ${(cause as Error).message}`, FitsErrorCode.truncated, cause);
  }
  warnings.push(fitsWarning({ file: source.name }, `gzip-compressed file: decompressed whole into memory (${plain.length} bytes); store it uncompressed for lazy reads`, FitsWarningCode.gzipInMemory));
  return bytesSource(plain, source.name);
}

function describeAxes(header: FitsHeader): string {
  const naxis = header.getInt('NAXIS') ?? 0;
  const parts = [`BITPIX = ${String(header.get('BITPIX'))}`];
  for (let i = 1; i <= naxis; i++) parts.push(`NAXIS${i} = ${String(header.get(`NAXIS${i}`))}`);
  if (header.has('PCOUNT')) parts.push(`PCOUNT = ${String(header.get('PCOUNT'))}`);
  if (header.has('GCOUNT') && header.get('GCOUNT') !== 1) parts.push(`GCOUNT = ${String(header.get('GCOUNT'))}`);
  return parts.join(', ');
}

function describeHdu(header: FitsHeader, index: number, loc: FitsLocation): { kind: FitsHduKind; name: string; dataSize: number; xtension: string } {
  let xtension = '';
  if (index === 0) {
    const simple = header.cards[0];
    if (!simple || simple.key !== 'SIMPLE') {
      throw fitsError({ ...loc, card: 'SIMPLE' }, 'the first card must be SIMPLE', FitsErrorCode.badKeyword);
    }
  } else {
    const x = header.cards[0];
    if (!x || x.key !== 'XTENSION' || typeof x.value !== 'string') {
      throw fitsError({ ...loc, card: 'XTENSION' }, 'the first card of an extension must be XTENSION = \'<type>\'', FitsErrorCode.badKeyword);
    }
    xtension = x.value.trim().toUpperCase();
  }
  const layout = imageLayout(header);
  const bitpixCard = header.cards[1];
  if (!bitpixCard || bitpixCard.key !== 'BITPIX') {
    throw fitsError({ ...loc, card: 'BITPIX' }, `BITPIX must be the second card (found ${bitpixCard?.key ?? 'nothing'})`, FitsErrorCode.badKeyword);
  }
  const pcount = index === 0 ? 0 : (header.getInt('PCOUNT') ?? 0);
  const gcount = index === 0 ? 1 : (header.getInt('GCOUNT') ?? 1);
  if (pcount < 0) throw fitsError({ ...loc, card: 'PCOUNT' }, `PCOUNT = ${pcount} is negative`, FitsErrorCode.badKeyword);
  if (gcount < 0) throw fitsError({ ...loc, card: 'GCOUNT' }, `GCOUNT = ${gcount} is negative`, FitsErrorCode.badKeyword);
  const groups = index === 0 && header.get('GROUPS') === true && layout.axes[0] === 0;
  let elements = 0;
  if (layout.axes.length > 0) {
    const axes = groups ? layout.axes.slice(1) : layout.axes;
    elements = axes.reduce((a, b) => a * b, 1);
  }
  const dataSize = (Math.abs(layout.bitpix) / 8) * gcount * (pcount + elements);
  if (!Number.isSafeInteger(dataSize)) {
    throw fitsError({ ...loc, card: 'NAXIS' }, `data unit size ${dataSize} is not representable`, FitsErrorCode.badKeyword);
  }
  let kind: FitsHduKind;
  if (index === 0 || xtension === 'IMAGE' || xtension === 'IUEIMAGE') {
    kind = groups ? 'unknown' : elements === 0 ? 'empty' : 'image';
  } else if (xtension === 'BINTABLE' || xtension === 'A3DTABLE') {
    kind = header.get('ZIMAGE') === true ? 'compressed-image' : 'binary-table';
    if (layout.bitpix !== 8) throw fitsError({ ...loc, card: 'BITPIX' }, `BITPIX = ${layout.bitpix} in a binary table (must be 8)`, FitsErrorCode.badKeyword);
    if (layout.axes.length !== 2) throw fitsError({ ...loc, card: 'NAXIS' }, `NAXIS = ${layout.axes.length} in a binary table (must be 2)`, FitsErrorCode.badKeyword);
  } else if (xtension === 'TABLE') {
    kind = 'ascii-table';
    if (layout.axes.length !== 2) throw fitsError({ ...loc, card: 'NAXIS' }, `NAXIS = ${layout.axes.length} in an ASCII table (must be 2)`, FitsErrorCode.badKeyword);
  } else {
    kind = 'unknown';
  }
  let name = header.getString('EXTNAME') ?? '';
  if (name === '' && index === 0) name = 'PRIMARY';
  if (name === '' && kind === 'compressed-image') name = 'COMPRESSED_IMAGE';
  return { kind, name, dataSize, xtension };
}

