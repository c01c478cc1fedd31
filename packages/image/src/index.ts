/**
 * Image numerics: robust statistics, filters, combination, sections, cutouts, ndarray views.
 *
 * @packageDocumentation
 */
export {};
