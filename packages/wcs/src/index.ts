/**
 * World coordinate systems from any FITS-like header: projections, distortions, frames.
 *
 * @packageDocumentation
 */
export {};
