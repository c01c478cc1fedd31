/**
 * Header remapping of a tile-compressed image: the image header rebuilt from
 * the binary-table header as astropy shows it (astropy's
 * `io/fits/hdu/compressed/header.py`), with the few astropy `Header`
 * placement rules it needs ({@link CardList}).
 */
import { FitsErrorCode, fitsError } from '../errors.js';
import { FitsHeader } from '../header.js';
import type { FitsCard } from '../header.js';
import { card } from './layout.js';

const REMAPPED: Record<string, string> = {
  ZSIMPLE: 'SIMPLE',
  ZTENSION: 'XTENSION',
  ZBITPIX: 'BITPIX',
  ZNAXIS: 'NAXIS',
  ZEXTEND: 'EXTEND',
  ZBLOCKED: 'BLOCKED',
  ZPCOUNT: 'PCOUNT',
  ZGCOUNT: 'GCOUNT',
  ZHECKSUM: 'CHECKSUM',
  ZDATASUM: 'DATASUM',
};
const COMPRESSION_LABELS = new Set([...Object.keys(REMAPPED), 'ZIMAGE', 'ZCMPTYPE', 'ZMASKCMP', 'ZQUANTIZ', 'ZDITHER0']);
const INDEXED_COMPRESSION_LABELS = new Set(['ZNAXIS', 'ZTILE', 'ZNAME', 'ZVAL']);
const TABLE_LABELS = new Set([
  'TTYPE', 'TFORM', 'TUNIT', 'TNULL', 'TSCAL', 'TZERO', 'TDISP', 'TBCOL', 'TDIM',
  'TCTYP', 'TCUNI', 'TCRPX', 'TCRVL', 'TCDLT', 'TRPOS',
]);
const Z_RE = /^(Z[A-Z]*)([1-9][0-9 ]*$)?/i;
const T_RE = /^(T[A-Z]*)([1-9][0-9 ]*)$/i;

/** astropy's CompImageHeader._is_reserved_keyword, quirks included (ZDITHER0 is kept). */
function isReserved(key: string): boolean {
  const k = key.toUpperCase();
  if (k === 'TFIELDS') return true;
  const t = T_RE.exec(k);
  if (t && TABLE_LABELS.has(t[1])) return true;
  const z = Z_RE.exec(k);
  if (z) {
    if (z[2] !== undefined && INDEXED_COMPRESSION_LABELS.has(z[1])) return true;
    if (COMPRESSION_LABELS.has(z[1])) return true;
  }
  return false;
}

/**
 * The header of the uncompressed image, rebuilt from the table header the way
 * astropy 5.2 shows it (`CompImageHDU.header`): table and compression cards
 * removed, XTENSION/BITPIX/NAXIS/NAXISn/PCOUNT/GCOUNT first with values
 * from ZTENSION/ZBITPIX/ZNAXIS/ZNAXISn/ZPCOUNT/ZGCOUNT (SIMPLE from ZSIMPLE),
 * EXTEND/BLOCKED/CHECKSUM/DATASUM from ZEXTEND/ZBLOCKED/ZHECKSUM/ZDATASUM,
 * and EXTNAME dropped when it is the default COMPRESSED_IMAGE. Returns a new
 * header; the table header is not modified.
 */
export function compressedImageHeader(tableHeader: FitsHeader): FitsHeader {
  const th = tableHeader;
  const loc = th.location;
  const zbitpix = th.get('ZBITPIX');
  const znaxis = th.getInt('ZNAXIS');
  if (zbitpix === undefined || znaxis === undefined) {
    throw fitsError(card(loc, zbitpix === undefined ? 'ZBITPIX' : 'ZNAXIS'), 'mandatory keyword of a compressed image is missing', FitsErrorCode.badKeyword);
  }
  const h = new CardList(th.cards.filter((c) => !isReserved(c.key)).map((c) => ({ ...c })));
  const comment = (key: string): string | undefined => (th.has(key) ? (th.comment(key) ?? '') : undefined);
  if (th.has('ZSIMPLE')) {
    h.set('SIMPLE', th.get('ZSIMPLE') ?? true, comment('ZSIMPLE'), { before: 0 });
    h.delete('XTENSION');
  } else {
    h.set('XTENSION', 'IMAGE', comment('ZTENSION'), { before: 0 });
  }
  h.set('BITPIX', zbitpix, comment('ZBITPIX'), { before: 1 });
  h.set('NAXIS', znaxis, comment('ZNAXIS'), { before: 2 });
  let last = 'NAXIS';
  for (let i = 1; i <= znaxis; i++) {
    h.set(`NAXIS${i}`, th.get(`ZNAXIS${i}`) ?? null, comment(`ZNAXIS${i}`), { after: last });
    last = `NAXIS${i}`;
  }
  for (const c of [...h.cards]) {
    const m = /^NAXIS(\d+)$/.exec(c.key.toUpperCase());
    if (m && Number(m[1]) > znaxis) h.delete(c.key);
  }
  h.set('PCOUNT', th.get('ZPCOUNT') ?? 0, comment('ZPCOUNT'), { after: last });
  h.set('GCOUNT', th.get('ZGCOUNT') ?? 1, comment('ZGCOUNT'), { after: 'PCOUNT' });
  const moved: Array<[string, string]> = [
    ['ZEXTEND', 'EXTEND'],
    ['ZBLOCKED', 'BLOCKED'],
    ['ZHECKSUM', 'CHECKSUM'],
    ['ZDATASUM', 'DATASUM'],
  ];
  for (const [from, to] of moved) {
    if (th.has(from)) h.set(to, th.get(from) ?? null, comment(from));
  }
  const extname = h.get('EXTNAME');
  if (typeof extname === 'string' && extname.trim() === 'COMPRESSED_IMAGE') h.delete('EXTNAME');
  if (h.index('SIMPLE') >= 0) {
    h.delete('PCOUNT');
    h.delete('GCOUNT');
  }
  return new FitsHeader(h.cards, { ...loc }, []);
}

const COMMENTARY = new Set(['', 'COMMENT', 'HISTORY']);

/** The few astropy `Header` operations the image header is rebuilt with (same card placement rules). */
export class CardList {
  constructor(readonly cards: FitsCard[]) {}

  index(key: string): number {
    const k = key.toUpperCase();
    return this.cards.findIndex((c) => c.key.toUpperCase() === k);
  }

  get(key: string): unknown {
    const i = this.index(key);
    return i < 0 ? undefined : this.cards[i].value;
  }

  delete(key: string): void {
    const k = key.toUpperCase();
    for (let i = this.cards.length - 1; i >= 0; i--) if (this.cards[i].key.toUpperCase() === k) this.cards.splice(i, 1);
  }

  /** astropy Header.set(keyword, value, comment, before=, after=). */
  set(key: string, value: FitsCard['value'], comment: string | undefined, pos?: { before?: number | string; after?: string }): void {
    const i = this.index(key);
    if (i >= 0) {
      const c: FitsCard = { key: this.cards[i].key, value, comment: comment ?? this.cards[i].comment };
      this.cards[i] = c;
      if (pos) this.#relativeInsert(c, pos, true);
    } else if (pos) {
      this.#relativeInsert({ key, value, comment: comment ?? '' }, pos, false);
    } else {
      this.#append({ key, value, comment: comment ?? '' });
    }
  }

  #insertionIndex(pos: { before?: number | string; after?: string }): number {
    const key = pos.before ?? pos.after!;
    let idx = typeof key === 'number' ? key : this.index(key);
    if (pos.before === undefined) idx += 1;
    return idx;
  }

  #relativeInsert(c: FitsCard, pos: { before?: number | string; after?: string }, replace: boolean): void {
    if (replace) {
      const old = this.index(c.key);
      const ins = this.#insertionIndex(pos);
      if (ins >= this.cards.length && old === this.cards.length - 1) return;
      if (pos.before !== undefined) {
        if (old === ins - 1) return;
      } else if (old === ins) {
        return;
      }
      this.cards.splice(old, 1);
    }
    this.cards.splice(this.#insertionIndex(pos), 0, c);
  }

  /** Append after the last non-commentary card (astropy's Header.append default). */
  #append(c: FitsCard): void {
    let idx = this.cards.length - 1;
    const blank = (x: FitsCard) => x.key === '' && (x.value === '' || x.value === null) && x.comment === '';
    while (idx >= 0 && blank(this.cards[idx])) idx--;
    while (idx >= 0 && COMMENTARY.has(this.cards[idx].key.toUpperCase())) idx--;
    this.cards.splice(idx + 1, 0, c);
  }
}
