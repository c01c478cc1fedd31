import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsImage, ReadImageOptions } from './image.js';
import type { FitsHdu } from './read-fits.js';

/**
 * Decompress a tile-compressed image HDU (ZIMAGE = T). Placeholder until the
 * codecs land: always throws {@link FitsFormatError} (FITS_UNSUPPORTED).
 */
export async function readCompressedImage(hdu: FitsHdu, _options: ReadImageOptions = {}): Promise<FitsImage> {
  throw fitsError(hdu.location, 'compressed images not implemented yet', FitsErrorCode.unsupported);
}
