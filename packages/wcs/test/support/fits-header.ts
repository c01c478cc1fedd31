/**
 * A tiny FITS header reader for the WCS tests, so that @astro/wcs's tests do
 * not depend on @astro/fits-io: it walks the HDUs of a file and parses each
 * header's value cards (strings with '' escapes, logicals, integers — bigint
 * beyond 2^53 as fits-io does — and floats with E or D exponents) into a
 * HeaderLike whose `location` names the file and the HDU. No CONTINUE,
 * HIERARCH or complex values: the test files have none.
 */
import { readFileSync } from 'node:fs';
import type { HeaderLike } from '../../src/index.js';

const CARD = 80;
const BLOCK = 2880;

/** A parsed header: `get(key)` plus the cards in file order. */
export interface TestHeader extends HeaderLike {
  readonly cards: ReadonlyArray<readonly [string, unknown]>;
  readonly location: { file?: string; hdu: number };
}

/** The value of one card's value field (after `= `), comment removed. */
export function parseCardValue(field: string): unknown {
  const text = field.trimStart();
  if (text.startsWith("'")) {
    let out = '';
    for (let i = 1; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          out += "'";
          i++;
          continue;
        }
        return out.replace(/ +$/, '');
      }
      out += text[i];
    }
    throw new Error(`unterminated string in ${JSON.stringify(field)}`);
  }
  const slash = text.indexOf('/');
  const raw = (slash === -1 ? text : text.slice(0, slash)).trim();
  if (raw === '') return undefined;
  if (raw === 'T') return true;
  if (raw === 'F') return false;
  if (/^[+-]?\d+$/.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : BigInt(raw);
  }
  const n = Number(raw.replace(/[dD]/, 'E'));
  if (Number.isNaN(n)) throw new Error(`cannot parse value ${JSON.stringify(raw)}`);
  return n;
}

/** Parse 80-character card images up to END into a header. */
export function parseHeaderCards(text: string, location: { file?: string; hdu: number } = { hdu: 0 }): { header: TestHeader; cardCount: number } {
  const cards: Array<readonly [string, unknown]> = [];
  const values = new Map<string, unknown>();
  for (let i = 0; i * CARD < text.length; i++) {
    const card = text.slice(i * CARD, (i + 1) * CARD);
    const key = card.slice(0, 8).trim();
    if (key === 'END') return { header: { cards, location, get: (k: string) => values.get(k.toUpperCase()) }, cardCount: i + 1 };
    if (card.slice(8, 10) !== '= ') continue;
    const value = parseCardValue(card.slice(10));
    cards.push([key, value]);
    if (!values.has(key)) values.set(key, value);
  }
  throw new Error(`no END card in ${location.file ?? 'header'} HDU ${location.hdu}`);
}

/** Headers of every HDU of a FITS file (data units skipped). */
export function readFitsHeaders(file: string): TestHeader[] {
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  const headers: TestHeader[] = [];
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const { header, cardCount } = parseHeaderCards(text.slice(offset), { file, hdu: headers.length });
    headers.push(header);
    offset += Math.ceil((cardCount * CARD) / BLOCK) * BLOCK;
    const naxis = Number(header.get('NAXIS') ?? 0);
    let count = naxis === 0 ? 0 : 1;
    for (let k = 1; k <= naxis; k++) count *= Number(header.get(`NAXIS${k}`));
    const bitpix = Math.abs(Number(header.get('BITPIX')));
    // FITS 4.0 eq. 2: |BITPIX| x GCOUNT x (PCOUNT + NAXIS1 x ... x NAXISn) bits
    const dataBytes = (bitpix / 8) * Number(header.get('GCOUNT') ?? 1) * (Number(header.get('PCOUNT') ?? 0) + count);
    offset += Math.ceil(dataBytes / BLOCK) * BLOCK;
  }
  return headers;
}

/** A header of the given cards as 80-character card images, ending with END (numbers as fits-io writes them). */
export function formatHeaderCards(cards: Record<string, string | number | boolean>): string {
  const lines = Object.entries(cards).map(([key, value]) => {
    const v = typeof value === 'string' ? `'${value.replace(/'/g, "''").padEnd(8)}'` : typeof value === 'boolean' ? (value ? 'T' : 'F').padStart(20) : String(value).toUpperCase().padStart(20);
    return `${key.padEnd(8)}= ${v}`.padEnd(CARD);
  });
  return [...lines, 'END'.padEnd(CARD)].join('');
}
