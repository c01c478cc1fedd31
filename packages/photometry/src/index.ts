/** @packageDocumentation */

// Errors
export { PhotometryError, PhotometryErrorCode } from './errors.js';

// Background and source extraction (phot-A)
export { estimateBackground } from './background.js';
export type { Background, BackgroundInput, BackgroundOptions } from './background.js';
export { extractSources } from './extract.js';
export type { ExtractInput, ExtractOptions, FilterKernel } from './extract.js';
export { SourceFlag, sourceRows } from './source-catalog.js';
export type { SourceCatalog, SourceRow } from './source-catalog.js';

// Apertures (phot-B)
export { ApertureFlag, sumCircle, sumEllipse, sumCircAnn } from './aperture.js';
export type {
  ApertureImage,
  ApertureOptions,
  ApertureResult,
  BackgroundAnnulusOptions,
  PerSource,
  SumCircleOptions,
  SumEllipseOptions,
  SumCircAnnOptions,
} from './aperture.js';
export { kronRadius, fluxAuto, fluxRadius, windowedPosition } from './kron.js';
export type {
  MaskOptions,
  KronRadiusResult,
  FluxAutoOptions,
  FluxAutoResult,
  FluxRadiusOptions,
  FluxRadiusResult,
  WindowedPositionOptions,
  WindowedPositionResult,
} from './kron.js';

// PSF models (phot-B)
export type { PsfModel, PsfStamp, PsfStampOptions } from './psf/types.js';
export { createGaussianPsf, GAUSSIAN_FWHM_PER_SIGMA } from './psf/gaussian.js';
export type { GaussianPsfOptions } from './psf/gaussian.js';
export { createMoffatPsf } from './psf/moffat.js';
export type { MoffatPsfOptions } from './psf/moffat.js';
export { createImagePsf, ImagePsf } from './psf/image-psf.js';
export type { ImagePsfOptions, PsfCenter } from './psf/image-psf.js';
export { PsfexModel, psfexPolynomialTerms } from './psf/psfex.js';
export type { PsfexHeader, PsfexTableInput, PsfexPosition } from './psf/psfex.js';
export { loadPsfexModel, loadImagePsf } from './psf/load.js';
export type { LoadImagePsfOptions } from './psf/load.js';
export { lanczosKernel } from './psf/lanczos.js';

// Noise map and cosmic rays (phot-B)
export { noiseMap } from './noise-map.js';
export type { NoiseMapOptions } from './noise-map.js';
export { detectCosmicRays } from './cosmic-rays.js';
/** Re-exported from `@astro/image` (its home since the image package; import it from there). */
export { medianFilter } from '@astro/image';
export type { CosmicRayOptions, CosmicRayResult } from './cosmic-rays.js';
