import { compressedImageHeader } from './compressed/header.js';
import { FitsFormat, isBitpix } from './format.js';
import type { FitsHeader } from './header.js';
import { physicalDtype } from './internal/image-values.js';
import type { FitsHdu } from './hdu.js';
import type { FitsFile } from './read-fits.js';

/** One line of {@link describeFits}: what astropy's `fitsinfo` shows for an HDU. */
export interface FitsInfoRow {
  /** HDU index. */
  index: number;
  /** EXTNAME (or PRIMARY). */
  name: string;
  /** EXTVER. */
  version: number;
  /** astropy's class name: PrimaryHDU, ImageHDU, BinTableHDU, TableHDU, CompImageHDU, or the XTENSION. */
  type: string;
  /** Number of header cards (of the image header for a compressed image). */
  cards: number;
  /** `(NAXIS1, NAXIS2, ...)` for images, `<rows>R x <cols>C` for tables. */
  dimensions: string;
  /** Stored dtype (with `(rescales to <dtype>)` when scaled) or the list of TFORMs. */
  format: string;
}

function imageFormat(header: FitsHeader, prefix = ''): { dims: string; format: string } {
  const bitpix = header.get(`${prefix}BITPIX`);
  const naxis = Number(header.get(`${prefix}NAXIS`) ?? 0);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) axes.push(Number(header.get(`${prefix}NAXIS${i}`)));
  const dims = `(${axes.join(', ')}${axes.length === 1 ? ',' : ''})`;
  if (axes.length === 0 || !isBitpix(bitpix)) return { dims: '()', format: '' };
  const stored = FitsFormat.bitpix[bitpix].dtype;
  const bscale = header.getNumber('BSCALE') ?? 1;
  const bzero = header.getNumber('BZERO') ?? 0;
  let format: string = stored;
  if (prefix === '' && (bscale !== 1 || bzero !== 0)) {
    const physical = physicalDtype({ bitpix, bscale, bzero, blank: undefined });
    if (physical !== stored) format = `${stored} (rescales to ${physical})`;
  }
  return { dims, format };
}

/** Describe every HDU of an opened file (headers only; no data is read). */
export function describeFits(fits: FitsFile): FitsInfoRow[] {
  return fits.hdus.map((hdu: FitsHdu) => {
    const base = { index: hdu.index, name: hdu.name, version: hdu.version };
    const h = hdu.header;
    switch (hdu.kind) {
      case 'binary-table':
      case 'ascii-table': {
        const tfields = Number(h.get('TFIELDS') ?? 0);
        const forms: string[] = [];
        for (let i = 1; i <= tfields; i++) forms.push(String(h.get(`TFORM${i}`) ?? '?').trim());
        return {
          ...base,
          type: hdu.kind === 'binary-table' ? 'BinTableHDU' : 'TableHDU',
          cards: h.cards.length,
          dimensions: `${String(h.get('NAXIS2'))}R x ${tfields}C`,
          format: `[${forms.join(', ')}]`,
        };
      }
      case 'compressed-image': {
        let cards = h.cards.length;
        try {
          cards = compressedImageHeader(h).cards.length;
        } catch {
          // keep the table header count when the Z keywords are damaged
        }
        const { dims, format } = imageFormat(h, 'Z');
        return { ...base, type: 'CompImageHDU', cards, dimensions: dims, format };
      }
      case 'image':
      case 'empty': {
        const { dims, format } = imageFormat(h);
        return { ...base, type: hdu.index === 0 ? 'PrimaryHDU' : 'ImageHDU', cards: h.cards.length, dimensions: dims, format };
      }
      default:
        return { ...base, type: hdu.xtension || 'unknown', cards: h.cards.length, dimensions: '', format: '' };
    }
  });
}

/** The rows of {@link describeFits} as astropy's `fitsinfo` prints them. */
export function formatFitsInfo(path: string, rows: FitsInfoRow[]): string {
  const lines = [`Filename: ${path}`, 'No.    Name      Ver    Type      Cards   Dimensions   Format'];
  for (const r of rows) {
    lines.push(
      `${String(r.index).padStart(3)}  ${r.name.padEnd(10)}  ${String(r.version).padStart(3)} ${r.type.padEnd(11)}  ${String(r.cards).padStart(5)}   ${r.dimensions}   ${r.format}   `,
    );
  }
  return lines.join('\n');
}
