import type { ErrorLocation } from '@astro/core';

/**
 * What `Wcs.fromHeader` reads: anything with a `get(key)` look-up of
 * header values. `@astro/fits-io`'s `FitsHeader` satisfies it as it is (this
 * package does not import fits-io), and so does a wrapper over a record or a
 * `Map`:
 *
 * ```ts
 * const cards = new Map(Object.entries({ CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN' }));
 * const header: HeaderLike = { get: (key) => cards.get(key) };
 * ```
 */
export interface HeaderLike {
  /**
   * Value of a keyword, `undefined` when absent. Numbers may be `number` or
   * `bigint`; strings are trimmed before use; other types of a numeric
   * keyword are an error naming the card.
   */
  get(key: string): unknown;
  /** Optional: where the header came from (file, HDU), for error messages. */
  readonly location?: ErrorLocation;
}
