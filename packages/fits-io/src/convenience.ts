import type { FitsTable } from './binary-table.js';
import type { FitsHeader } from './header.js';
import type { FitsImage, ReadImageOptions } from './image.js';
import { readFits } from './read-fits.js';
import type { ReadTableOptions } from './hdu.js';

/** Which HDU: index (0 = primary) or EXTNAME (case-insensitive). */
export interface HduSelector {
  /** HDU index or EXTNAME; default: the first HDU with data of the wanted kind. */
  hdu?: number | string;
}

/** The header of one HDU of a file (default the primary). Reads headers only. */
export async function readFitsHeader(pathOrBytes: string | Uint8Array, options: HduSelector = {}): Promise<FitsHeader> {
  const fits = await readFits(pathOrBytes);
  return fits.hdu(options.hdu ?? 0).header;
}

/**
 * The pixels of one image HDU (default: the first HDU that holds an image,
 * compressed or not), with the header attached as `header`.
 */
export async function readFitsImage(
  pathOrBytes: string | Uint8Array,
  options: HduSelector & ReadImageOptions = {},
): Promise<FitsImage & { header: FitsHeader }> {
  const fits = await readFits(pathOrBytes);
  const hdu =
    options.hdu !== undefined ? fits.hdu(options.hdu) : (fits.hdus.find((h) => h.kind === 'image' || h.kind === 'compressed-image') ?? fits.hdu(0));
  const image = await hdu.readImage(options);
  return { ...image, header: hdu.header };
}

/** One table HDU (default: the first binary or ASCII table). */
export async function readFitsTable(pathOrBytes: string | Uint8Array, options: HduSelector & ReadTableOptions = {}): Promise<FitsTable> {
  const fits = await readFits(pathOrBytes);
  const hdu =
    options.hdu !== undefined ? fits.hdu(options.hdu) : (fits.hdus.find((h) => h.kind === 'binary-table' || h.kind === 'ascii-table') ?? fits.hdu(1));
  return hdu.readTable(options);
}
