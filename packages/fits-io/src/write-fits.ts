/**
 * Writing FITS: {@link toFitsBytes} encodes HDUs in memory, {@link writeFits}
 * streams them to a file through core's atomic file (one durability rule for
 * every writer of the SDK).
 */
import { openAtomicFile } from '@astro/core';
import type { Durability } from '@astro/core';
import { CHUNK_BYTES, allocUninitialized } from './internal/source.js';
import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsLocation } from './errors.js';
import { padToBlock } from './format.js';
import type { EmptyHduInput, FitsHduInput } from './hdu-input.js';
import { encodeChecksum, onesComplementSum } from './internal/checksum.js';
import { asciiBytes, cardsToText, userCards } from './internal/encode-header.js';
import type { CardSpec } from './internal/encode-header.js';
import { bigEndianData, planImage } from './internal/encode-image.js';
import type { DataPart } from './internal/encode-image.js';
import { encodeBinaryTableData } from './internal/encode-binary-table.js';
import { encodeAsciiTableData } from './internal/encode-ascii-table.js';

/** Options of {@link toFitsBytes} and {@link writeFits}. */
export interface WriteFitsOptions {
  /** Write CHECKSUM and DATASUM in every HDU (default false). */
  checksum?: boolean;
  /** File name used in error messages (writeFits passes its path). */
  name?: string;
  /**
   * `writeFits` only: `'fsync'` (default) makes the file and its name durable
   * before returning; `'none'` skips the fsyncs (scratch files, tests); the
   * rename is atomic either way.
   */
  durability?: Durability;
}

/** Ones' complement sum of a data part, chunk by chunk. */
function partSum(part: DataPart): number {
  if (part instanceof Uint8Array) return onesComplementSum(part);
  const buf = allocUninitialized(Math.min(CHUNK_BYTES, part.length));
  let sum = 0;
  for (let at = 0; at < part.length; at += buf.length) {
    const chunk = buf.subarray(0, Math.min(buf.length, part.length - at));
    part.fill(at, chunk);
    sum = onesComplementSum(chunk, sum);
  }
  return sum;
}

/** Header bytes and the padded data unit of one HDU (whole blocks, zero padding). */
function finishHdu(cards: CardSpec[], padded: DataPart, loc: FitsLocation, checksum: boolean): [Uint8Array, DataPart] {
  let headerText: string;
  if (checksum) {
    const dsum = partSum(padded);
    const withSums = [
      ...cards,
      { key: 'CHECKSUM', value: '0000000000000000', comment: 'HDU checksum' },
      { key: 'DATASUM', value: String(dsum), comment: 'data unit checksum' },
    ];
    headerText = cardsToText(withSums, loc);
    const hsum = onesComplementSum(asciiBytes(headerText), dsum);
    const encoded = encodeChecksum(hsum);
    headerText = headerText.replace("CHECKSUM= '0000000000000000'", `CHECKSUM= '${encoded}'`);
  } else {
    headerText = cardsToText(cards, loc);
  }
  return [asciiBytes(headerText), padded];
}

function concat(parts: DataPart[]): Uint8Array {
  const out = allocUninitialized(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    if (p instanceof Uint8Array) out.set(p, at);
    else for (let k = 0; k < p.length; k += CHUNK_BYTES) p.fill(k, out.subarray(at + k, at + Math.min(p.length, k + CHUNK_BYTES)));
    at += p.length;
  }
  return out;
}

/**
 * Encode one HDU (header and padded data unit) as bytes. `primary` makes it
 * the primary HDU (SIMPLE, EXTEND); otherwise an IMAGE or BINTABLE extension.
 * Mandatory keywords are written first in fixed format.
 */
export function encodeHdu(hdu: FitsHduInput, options: WriteFitsOptions & { primary?: boolean; index?: number } = {}): Uint8Array {
  return concat(encodeHduParts(hdu, options));
}

function encodeHduParts(hdu: FitsHduInput, options: WriteFitsOptions & { primary?: boolean; index?: number }): [Uint8Array, DataPart] {
  const primary = options.primary ?? false;
  const loc: FitsLocation = { file: options.name, hdu: options.index };
  const checksum = options.checksum ?? false;
  const nameCard: CardSpec[] = hdu.name !== undefined ? [{ key: 'EXTNAME', value: hdu.name }] : [];
  const skipName = hdu.name !== undefined ? [/^EXTNAME$/] : [];
  if (hdu.kind === 'ascii-table') {
    if (primary) throw fitsError(loc, 'an ASCII table cannot be the primary HDU', FitsErrorCode.badRequest);
    const { cards: colCards, data, rowLength, nrows } = encodeAsciiTableData(hdu, loc);
    const cards: CardSpec[] = [
      { key: 'XTENSION', value: 'TABLE', comment: 'ASCII table extension' },
      { key: 'BITPIX', value: 8, comment: 'array data type' },
      { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
      { key: 'NAXIS1', value: rowLength, comment: 'length of dimension 1' },
      { key: 'NAXIS2', value: nrows, comment: 'length of dimension 2' },
      { key: 'PCOUNT', value: 0, comment: 'number of group parameters' },
      { key: 'GCOUNT', value: 1, comment: 'number of groups' },
      { key: 'TFIELDS', value: hdu.columns.length, comment: 'number of table fields' },
      ...colCards,
      ...nameCard,
      ...userCards(hdu.header, skipName),
    ];
    return finishHdu(cards, data, loc, checksum);
  }
  if (hdu.kind === 'binary-table') {
    if (primary) throw fitsError(loc, 'a binary table cannot be the primary HDU', FitsErrorCode.badRequest);
    const { cards: colCards, data, rowLength, nrows, heapSize } = encodeBinaryTableData(hdu, loc);
    const cards: CardSpec[] = [
      { key: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' },
      { key: 'BITPIX', value: 8, comment: 'array data type' },
      { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
      { key: 'NAXIS1', value: rowLength, comment: 'length of dimension 1' },
      { key: 'NAXIS2', value: nrows, comment: 'length of dimension 2' },
      { key: 'PCOUNT', value: heapSize, comment: 'number of group parameters' },
      { key: 'GCOUNT', value: 1, comment: 'number of groups' },
      { key: 'TFIELDS', value: hdu.columns.length, comment: 'number of table fields' },
      ...colCards,
      ...nameCard,
      ...userCards(hdu.header, skipName),
    ];
    // encodeBinaryTableData allocated the data unit padded and zeroed
    return finishHdu(cards, new Uint8Array(data.buffer, data.byteOffset, padToBlock(data.length)), loc, checksum);
  }
  const head: CardSpec[] = primary
    ? [{ key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' }]
    : [{ key: 'XTENSION', value: 'IMAGE', comment: 'Image extension' }];
  if (hdu.kind === 'empty') {
    head.push({ key: 'BITPIX', value: 8, comment: 'array data type' }, { key: 'NAXIS', value: 0, comment: 'number of array dimensions' });
    if (primary) head.push({ key: 'EXTEND', value: true });
    else head.push({ key: 'PCOUNT', value: 0, comment: 'number of parameters' }, { key: 'GCOUNT', value: 1, comment: 'number of groups' });
    return finishHdu([...head, ...nameCard, ...userCards(hdu.header, [...skipName, /^(BSCALE|BZERO|BLANK)$/])], new Uint8Array(0), loc, checksum);
  }
  const plan = planImage(hdu, loc);
  head.push({ key: 'BITPIX', value: plan.bitpix, comment: 'array data type' }, { key: 'NAXIS', value: hdu.shape.length, comment: 'number of array dimensions' });
  hdu.shape.forEach((n, i) => head.push({ key: `NAXIS${i + 1}`, value: n }));
  if (primary) head.push({ key: 'EXTEND', value: true });
  else head.push({ key: 'PCOUNT', value: 0, comment: 'number of parameters' }, { key: 'GCOUNT', value: 1, comment: 'number of groups' });
  const cards = [...head, ...nameCard, ...plan.scaleCards, ...userCards(hdu.header, [...skipName, /^(BSCALE|BZERO|BLANK)$/])];
  const data = bigEndianData(plan.stored, Math.abs(plan.bitpix) / 8, plan.flip);
  return finishHdu(cards, data, loc, checksum);
}

/**
 * Encode HDUs as a FITS file in memory. When the first HDU is a table, an
 * empty primary HDU is put before it.
 */
export function toFitsBytes(hdus: FitsHduInput[], options: WriteFitsOptions = {}): Uint8Array {
  return concat(encodeAll(hdus, options));
}

function encodeAll(hdus: FitsHduInput[], options: WriteFitsOptions): DataPart[] {
  const list = hdus.length === 0 || hdus[0].kind === 'binary-table' || hdus[0].kind === 'ascii-table' ? [{ kind: 'empty' } as EmptyHduInput, ...hdus] : hdus;
  return list.flatMap((h, i) => encodeHduParts(h, { ...options, primary: i === 0, index: i }));
}

/**
 * Write HDUs to `path` atomically through core's `openAtomicFile`: the bytes
 * go to a temporary name beside `path`; with `durability: 'fsync'` (the
 * default) the file is fsynced, renamed over `path` and the directory
 * fsynced, so a reader never sees a partial file and a failure leaves the old
 * file in place. The HDUs are streamed part by part (not concatenated).
 */
export async function writeFits(path: string, hdus: FitsHduInput[], options: WriteFitsOptions = {}): Promise<void> {
  const parts = encodeAll(hdus, { ...options, name: options.name ?? path });
  let file: Awaited<ReturnType<typeof openAtomicFile>> | undefined;
  try {
    file = await openAtomicFile(path, { durability: options.durability ?? 'fsync' });
    // big data units go through one 4 MB buffer (no copy of the whole image)
    const buffer = allocUninitialized(CHUNK_BYTES);
    for (const part of parts) {
      for (let at = 0; at < part.length; ) {
        let chunk: Uint8Array;
        if (part instanceof Uint8Array) chunk = part.subarray(at, Math.min(part.length, at + CHUNK_BYTES));
        else {
          chunk = buffer.subarray(0, Math.min(CHUNK_BYTES, part.length - at));
          part.fill(at, chunk);
        }
        await file.write(chunk);
        at += chunk.length;
      }
    }
    await file.commit();
  } catch (cause) {
    await file?.abort().catch(() => undefined);
    throw fitsError({ file: path }, `cannot write: ${(cause as Error).message}`, FitsErrorCode.io, cause);
  }
}
