/**
 * FITS images, tables and headers that agree with astropy: lazy reading,
 * writing, checksums, tile compression and WCS.
 *
 * @packageDocumentation
 */

// errors
export { FitsFormatError, FitsErrorCode, fitsError, describeFitsLocation } from './errors.js';
export type { FitsErrorCodeValue, FitsLocation } from './errors.js';

// format tables
export { FitsFormat, DTYPE_ARRAY, isBitpix, padToBlock } from './format.js';
export type { FitsDtype, FitsTypedArray, Bitpix } from './format.js';

// headers
export { FitsHeader, parseCards, parseFitsNumber, formatCard, formatHeaderCards, formatFitsFloat, COMMENTARY_KEYWORDS, BLOCK_SIZE, CARD_SIZE } from './header.js';
export type { FitsCard, FitsValue, FitsComplex, FitsFloatHint } from './header.js';

// reading: files and HDUs
export { readFits, FitsFile, FitsHdu } from './read-fits.js';
export type { ReadFitsOptions, ReadTableOptions, FitsHduKind } from './read-fits.js';

// one-call helpers
export { readFitsHeader, readFitsImage, readFitsTable } from './convenience.js';
export type { HduSelector } from './convenience.js';

// HDU summaries (fits-info)
export { describeFits, formatFitsInfo } from './info.js';
export type { FitsInfoRow } from './info.js';

// images
export { imageLayout, physicalDtype, decodeImageValues } from './image.js';
export type { FitsImage, ImageLayout, ImageSection, ReadImageOptions } from './image.js';

// core Image
export { toImage } from './to-image.js';
export type { ToImageOptions } from './to-image.js';

// tables
export { BinaryTable, binaryColumns, parseBinaryTform } from './binary-table.js';
export type { BinaryColumnInfo, BinaryTformCode, VlaElementCode, ColumnDtype, ColumnValues, ColumnData, FitsTable } from './binary-table.js';
export { AsciiTable, asciiColumns } from './ascii-table.js';
export type { AsciiColumnInfo, AsciiTformCode } from './ascii-table.js';

// writing
export { writeFits, toFitsBytes, encodeHdu, encodeBinaryTableData } from './write-fits.js';
export type {
  FitsHduInput,
  ImageHduInput,
  EmptyHduInput,
  BinaryTableHduInput,
  TableColumnInput,
  FitsHeaderInput,
  FitsCardInput,
  EncodedTableData,
  WriteFitsOptions,
} from './write-fits.js';

export { encodeAsciiTableData } from './write-ascii-table.js';
export type { AsciiTableHduInput, AsciiColumnInput } from './write-ascii-table.js';

// checksums
export { onesComplementSum, encodeChecksum, verifyHduChecksum, checksumStatus } from './checksum.js';
export type { ChecksumStatus } from './checksum.js';

// compressed images
export { readCompressedImage, decompressImage, decompressTiles, compressedImageLayout, compressedImageHeader } from './compressed-image.js';
export type { CompressedImageLayout, CompressionType, DecompressedImage, StoredPixels, ImageRegion } from './compressed-image.js';
export { compressImage } from './compression/compress-image.js';
export type { CompressImageOptions, WritableCompression } from './compression/compress-image.js';
export type { QuantizeMethod } from './compression/quantize.js';
