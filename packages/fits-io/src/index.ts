/**
 * FITS images, tables and headers that agree with astropy: lazy reading,
 * writing, checksums and tile compression. The CLIs (`fits-info`,
 * `fits-header`) are behind `@astro/fits-io/cli`.
 *
 * @packageDocumentation
 */

// errors and warnings
export { FitsFormatError, FitsErrorCode, FitsWarningCode } from './errors.js';
export type { FitsErrorCodeValue, FitsLocation, FitsWarning } from './errors.js';

// the format described once
export { FitsFormat } from './format.js';
export type { FitsDtype, FitsTypedArray, Bitpix } from './format.js';

// headers
export { FitsHeader } from './header.js';
export type { FitsCard, FitsValue, FitsComplex, FitsFloatHint } from './header.js';
export { formatHeaderCards } from './format-header.js';

// reading: files and HDUs
export { readFits, FitsFile } from './read-fits.js';
export type { ReadFitsOptions } from './read-fits.js';
export { FitsHdu } from './hdu.js';
export type { ReadTableOptions, FitsHduKind } from './hdu.js';
export type { ChecksumStatus } from './checksum.js';

// one-call helpers
export { readFitsHeader, readFitsImage, readFitsTable } from './convenience.js';
export type { HduSelector } from './convenience.js';

// HDU summaries (astropy's fits.info)
export { describeFits, formatFitsInfo } from './info.js';
export type { FitsInfoRow } from './info.js';

// images
export type { FitsImage, ImageLayout, ImageSection, ReadImageOptions } from './image.js';
export { toImage } from './to-image.js';
export type { ToImageOptions } from './to-image.js';

// tables
export { BinaryTable } from './binary-table.js';
export type { BinaryColumnInfo, BinaryTformCode, VlaElementCode, ColumnDtype, ColumnValues, ColumnData, FitsTable } from './binary-table.js';
export { AsciiTable } from './ascii-table.js';
export type { AsciiColumnInfo, AsciiTformCode } from './ascii-table.js';

// writing
export { writeFits, toFitsBytes } from './write-fits.js';
export type { WriteFitsOptions } from './write-fits.js';
export type {
  FitsHduInput,
  ImageHduInput,
  EmptyHduInput,
  BinaryTableHduInput,
  TableColumnInput,
  AsciiTableHduInput,
  AsciiColumnInput,
} from './hdu-input.js';
export type { FitsHeaderInput, FitsCardInput } from './header-input.js';

// tile-compressed images
export { compressImage } from './compressed/write.js';
export type { CompressImageOptions, WritableCompression } from './compressed/write.js';
export { compressedImageHeader } from './compressed/header.js';
export type { QuantizeMethod } from './compressed/quantize.js';
