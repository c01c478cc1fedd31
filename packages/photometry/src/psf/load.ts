import { readFits } from '@astro/fits-io';
import type { FitsHdu } from '@astro/fits-io';
import { PhotometryError } from '../errors.js';
import { createImagePsf } from './image-psf.js';
import type { ImagePsf, ImagePsfOptions } from './image-psf.js';
import { PsfexModel } from './psfex.js';

/**
 * Read a PSFEx `.psf` file (FITS: binary table `PSF_DATA` with one
 * `PSF_MASK` cell and the POL* / PSF* keywords) with `@astro/fits-io` and
 * build a {@link PsfexModel}. FITS errors propagate as fits-io's
 * `FitsFormatError` (naming file and HDU); a file that is FITS but not a
 * usable PSFEx model gives {@link PhotometryError} `PSF_READ` or
 * `PSF_BAD_MODEL` naming the file and keyword.
 */
export async function loadPsfexModel(path: string): Promise<PsfexModel> {
  const fits = await readFits(path);
  const hdu: FitsHdu | undefined =
    fits.hdus.find((h) => h.name.toUpperCase() === 'PSF_DATA') ?? fits.hdus.find((h) => h.kind === 'binary-table');
  if (hdu === undefined) {
    throw new PhotometryError(`PSFEx ${path}: no PSF_DATA binary table (HDUs: ${fits.hdus.map((h) => `${h.index}:${h.name || "''"}`).join(', ')})`, {
      code: 'PSF_READ',
      file: path,
    });
  }
  const table = await hdu.readTable();
  const name = table.names.find((n) => n.toUpperCase() === 'PSF_MASK');
  if (name === undefined) {
    throw new PhotometryError(`PSFEx ${path}: HDU ${hdu.index} has no PSF_MASK column (columns: ${table.names.join(', ')})`, {
      code: 'PSF_READ',
      file: path,
      hdu: hdu.index,
    });
  }
  if (table.nrows < 1) {
    throw new PhotometryError(`PSFEx ${path}: HDU ${hdu.index} has no rows`, { code: 'PSF_READ', file: path, hdu: hdu.index });
  }
  const column = table.column(name);
  if (Array.isArray(column) || typeof (column as { length?: unknown }).length !== 'number') {
    throw new PhotometryError(`PSFEx ${path}: PSF_MASK is not a numeric column`, { code: 'PSF_READ', file: path, hdu: hdu.index });
  }
  const values = column as ArrayLike<number>;
  const perRow = values.length / table.nrows;
  const first = Array.prototype.slice.call(values, 0, perRow) as number[];
  return PsfexModel.fromTable({ header: hdu.header.toRecord() as Record<string, never>, psfMask: first, file: path });
}

/** Options of {@link loadImagePsf}. */
export interface LoadImagePsfOptions extends Omit<ImagePsfOptions, 'data' | 'width' | 'height' | 'source'> {
  /** HDU index or EXTNAME holding the image (default: the first HDU with a 2-D image). */
  hdu?: number | string;
}

/**
 * Read a PSF image from a FITS file (any 2-D image HDU; odd or even sizes)
 * with `@astro/fits-io` and build an {@link ImagePsf}. FITS errors
 * propagate as fits-io's `FitsFormatError`; a non-2-D image or unusable
 * pixels give {@link PhotometryError} naming the file and HDU.
 */
export async function loadImagePsf(path: string, options: LoadImagePsfOptions = {}): Promise<ImagePsf> {
  const fits = await readFits(path);
  const hdu =
    options.hdu !== undefined
      ? fits.hdu(options.hdu)
      : fits.hdus.find((h) => (h.kind === 'image' || h.kind === 'compressed-image') && h.dataSize > 0);
  if (hdu === undefined) {
    throw new PhotometryError(`PSF image ${path}: no image HDU with data`, { code: 'PSF_READ', file: path });
  }
  const img = await hdu.readImage();
  const shape = img.shape.filter((n, i) => i < 2 || n !== 1);
  if (shape.length !== 2) {
    throw new PhotometryError(`PSF image ${path}: HDU ${hdu.index} has shape [${img.shape.join(', ')}], need a 2-D image`, {
      code: 'PSF_READ',
      file: path,
      hdu: hdu.index,
    });
  }
  const data = img.data as unknown as ArrayLike<number>;
  if (typeof data[0] !== 'number') {
    throw new PhotometryError(`PSF image ${path}: HDU ${hdu.index} holds 64-bit integers; convert to float`, {
      code: 'PSF_READ',
      file: path,
      hdu: hdu.index,
    });
  }
  const { hdu: _hdu, ...rest } = options;
  void _hdu;
  const psfSamp = hdu.header.getNumber('PSF_SAMP');
  return createImagePsf({
    ...rest,
    sampling: options.sampling ?? psfSamp ?? 1,
    data,
    width: shape[0],
    height: shape[1],
    source: `${path} HDU ${hdu.index}`,
  });
}
