/**
 * Celestial World Coordinate Systems from any FITS-like header: zenithal
 * projections (TAN, SIN, ZEA, ARC, ZPN, TPV) with SIP and TPV distortion,
 * agreeing with astropy's `all_pix2world` / `all_world2pix`. Reads any
 * {@link HeaderLike}; `@astro/fits-io`'s headers satisfy it structurally, and
 * this package imports only `@astro/core`.
 *
 * @packageDocumentation
 */

// world coordinate systems: Wcs.fromHeader, pixelToWorld, worldToPixel, footprint
export { Wcs } from './wcs.js';
export type { CoordinateInput, FootprintOptions, PixelCoordinates, WcsProjection, WorldCoordinates } from './wcs.js';

// headers: what Wcs.fromHeader reads
export type { HeaderLike } from './header-like.js';

// spherical rotation between native and celestial coordinates
export { celestialToNative, nativeToCelestial } from './spherical.js';

// errors
export { WcsError, WcsErrorCode } from './errors.js';
export type { WcsErrorOptions } from './errors.js';
