/**
 * The FITS header as data: cards, values and {@link FitsHeader}, an ordered
 * card list with typed look-ups. Parsing and formatting card images lives in
 * `internal/cards.ts`.
 */
import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsLocation, FitsWarning } from './errors.js';

/** A complex header value `(re, im)`. */
export interface FitsComplex {
  /** Real part. */
  re: number;
  /** Imaginary part. */
  im: number;
}

/**
 * A header value: string, number (float or integer within +-2^53), bigint
 * (integers beyond 2^53, exact), boolean (T/F), complex, or `null` for a
 * keyword with an undefined (blank) value. Commentary cards (COMMENT, HISTORY,
 * blank keyword, keywords without `= `) carry their text as a string.
 */
export type FitsValue = string | number | bigint | boolean | FitsComplex | null;

/** One header card (a CONTINUE long string counts as one card). */
export interface FitsCard {
  /** Keyword, upper case; HIERARCH keywords without the `HIERARCH ` prefix (`ESO DET CHIP NAME`). */
  key: string;
  /** Parsed value; commentary cards carry their text. */
  value: FitsValue;
  /** Comment after the `/` ('' when there is none). */
  comment: string;
}

/** Keywords whose cards are commentary: their value is free text. */
export const COMMENTARY_KEYWORDS: ReadonlySet<string> = new Set(['COMMENT', 'HISTORY', '']);


/**
 * An ordered FITS header: `cards` in file order, with keyword look-up
 * (case-insensitive; HIERARCH keywords by their name without `HIERARCH`).
 * The first card of a keyword wins when it is repeated, as in astropy.
 */
export class FitsHeader {
  /** Cards in file order (CONTINUE cards already joined, END excluded). */
  readonly cards: FitsCard[];
  /** Where the header came from, used in error messages. */
  readonly location: FitsLocation;
  /** Problems found while parsing that did not stop it (card, what was found, what was done). */
  readonly warnings: FitsWarning[];
  /**
   * The card images as read, one string per entry of `cards` (a CONTINUE long
   * string is its 80-character images joined); undefined for headers built in code.
   */
  readonly images: string[] | undefined;
  #index: Map<string, number> | undefined;

  constructor(cards: FitsCard[] = [], location: FitsLocation = {}, warnings: FitsWarning[] = [], images?: string[]) {
    this.cards = cards;
    this.location = location;
    this.warnings = warnings;
    this.images = images;
  }

  #lookup(key: string): number | undefined {
    if (this.#index === undefined || this.#index.size === 0) {
      const index = new Map<string, number>();
      this.cards.forEach((card, i) => {
        const k = card.key.toUpperCase();
        if (!index.has(k)) index.set(k, i);
      });
      this.#index = index;
    }
    let k = key.trim().toUpperCase();
    if (k.startsWith('HIERARCH ')) k = k.slice(9).trim();
    return this.#index.get(k);
  }

  /** Call after editing `cards` in place so look-ups see the change. */
  invalidate(): void {
    this.#index = undefined;
  }

  /** True when a card with this keyword exists. */
  has(key: string): boolean {
    return this.#lookup(key) !== undefined;
  }

  /** Value of the first card with this keyword, or undefined when absent (`null` = undefined value). */
  get(key: string): FitsValue | undefined {
    const i = this.#lookup(key);
    return i === undefined ? undefined : this.cards[i].value;
  }

  /** The first card with this keyword. */
  card(key: string): FitsCard | undefined {
    const i = this.#lookup(key);
    return i === undefined ? undefined : this.cards[i];
  }

  /** Values of every card with this keyword, in order (e.g. all COMMENT texts). */
  getAll(key: string): FitsValue[] {
    let k = key.trim().toUpperCase();
    if (k.startsWith('HIERARCH ')) k = k.slice(9).trim();
    return this.cards.filter((c) => c.key.toUpperCase() === k).map((c) => c.value);
  }

  /** Comment of the first card with this keyword. */
  comment(key: string): string | undefined {
    const i = this.#lookup(key);
    return i === undefined ? undefined : this.cards[i].comment;
  }

  #typeError(key: string, value: FitsValue, expected: string): never {
    throw fitsError(
      { ...this.location, card: key },
      `value ${formatForMessage(value)} is not ${expected}`,
      FitsErrorCode.badKeyword,
    );
  }

  /**
   * Integer value as a number, undefined when absent; throws
   * {@link FitsFormatError} when present but not an integer within +-2^53.
   */
  getInt(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
      return Number(v);
    }
    return this.#typeError(key, v, 'an integer');
  }

  /** Numeric value (integers and bigints converted to number); throws when not numeric. */
  getNumber(key: string): number | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    return this.#typeError(key, v, 'a number');
  }

  /** String value; throws when present but not a string. */
  getString(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    return this.#typeError(key, v, 'a string');
  }

  /** Logical value; throws when present but not T/F. */
  getBoolean(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    return this.#typeError(key, v, 'a logical (T or F)');
  }

  /** Integer value that must be present (throws {@link FitsFormatError} naming the card otherwise). */
  requireInt(key: string): number {
    const v = this.getInt(key);
    if (v === undefined) {
      throw fitsError({ ...this.location, card: key }, 'mandatory keyword is missing', FitsErrorCode.badKeyword);
    }
    return v;
  }

  /** Plain object `{ KEY: value }` of the non-commentary cards (first occurrence wins). */
  toRecord(): Record<string, FitsValue> {
    const out: Record<string, FitsValue> = {};
    for (const c of this.cards) {
      if (COMMENTARY_KEYWORDS.has(c.key)) continue;
      if (!(c.key in out)) out[c.key] = c.value;
    }
    return out;
  }
}

function formatForMessage(v: FitsValue): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return v.toString();
  if (v !== null && typeof v === 'object') return `(${v.re}, ${v.im})`;
  return String(v);
}

/** A value together with the hint that a number must be written as a float. */
export interface FitsFloatHint {
  /** Write `value` as a float even when it is an integer (BSCALE = 1.0). */
  float: number;
}
