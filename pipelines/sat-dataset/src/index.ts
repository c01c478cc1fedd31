/**
 * Virgo GWF frames to one HDF5 file per day with channel coverage (the SAT dataset converter).
 *
 * @packageDocumentation
 */
export {};
