/** @packageDocumentation */
export { PhotometryError } from './errors.js';

// Background and source extraction (phot-A)
export { estimateBackground } from './background.js';
export type { Background, BackgroundInput, BackgroundOptions } from './background.js';
export { SourceFlag, extractSources, sourceRows } from './extract.js';
export type {
  ExtractInput,
  ExtractOptions,
  FilterKernel,
  SourceCatalog,
  SourceRow,
} from './extract.js';

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
