/**
 * Header cards of a written HDU: the user's cards without the ones the writer
 * computes, and the padded header text.
 */
import { FitsErrorCode, FitsFormatError, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import { padToBlock } from '../format.js';
import { COMMENTARY_KEYWORDS, FitsHeader } from '../header.js';
import type { FitsCard } from '../header.js';
import type { FitsCardInput, FitsHeaderInput } from '../header-input.js';
import { formatCard } from './cards.js';

/** A card to write. */
export type CardSpec = FitsCardInput;

const RESERVED = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|T(TYPE|FORM|UNIT|DIM|SCAL|ZERO|NULL|BCOL)\d+|CHECKSUM|DATASUM|END|CONTINUE)$/;

/** The user's cards minus the ones the writer computes (and those matching `skip`). */
export function userCards(input: FitsHeaderInput | undefined, skip: RegExp[] = []): CardSpec[] {
  if (!input) return [];
  let cards: CardSpec[];
  if (input instanceof FitsHeader) cards = input.cards.map((c: FitsCard) => ({ ...c }));
  else if (Array.isArray(input)) cards = input.map((c) => ({ key: c.key, value: c.value, comment: c.comment }));
  else cards = Object.entries(input).map(([key, value]) => ({ key, value }));
  return cards.filter((c) => {
    const k = c.key.toUpperCase();
    if (COMMENTARY_KEYWORDS.has(k)) return true;
    if (RESERVED.test(k)) return false;
    return !skip.some((re) => re.test(k));
  });
}

/** Cards as header text with END, padded to whole blocks. */
export function cardsToText(cards: CardSpec[], loc: FitsLocation): string {
  const lines: string[] = [];
  for (const c of cards) {
    try {
      lines.push(...formatCard(c.key, c.value, c.comment ?? ''));
    } catch (cause) {
      if (cause instanceof FitsFormatError) throw fitsError({ ...loc, card: c.key }, cause.problem, FitsErrorCode.badValue, cause);
      throw fitsError({ ...loc, card: c.key }, `cannot format value: ${(cause as Error).message}`, FitsErrorCode.badValue, cause);
    }
  }
  lines.push('END'.padEnd(80));
  const text = lines.join('');
  return text.padEnd(padToBlock(text.length), ' ');
}

/** Latin-1 bytes of a string. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}
