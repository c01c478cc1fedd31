/** @packageDocumentation */
export { PhotometryError } from './errors.js';

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
