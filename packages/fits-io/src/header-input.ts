/**
 * Header cards given to the writers: a header read before, a card list or a
 * `{ KEY: value }` record.
 */
import type { FitsFloatHint, FitsHeader, FitsValue } from './header.js';

/** Header cards to write: a header read before, a card list, or a `{ KEY: value }` record. */
export type FitsHeaderInput = FitsHeader | FitsCardInput[] | Record<string, FitsValue>;

/** A card to write; `{ float: x }` forces a float representation of an integral value. */
export interface FitsCardInput {
  /** Keyword (longer than 8 characters or with spaces: written as HIERARCH). */
  key: string;
  /** Value. */
  value: FitsValue | FitsFloatHint;
  /** Comment. */
  comment?: string;
}
