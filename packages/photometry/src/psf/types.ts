/** What every PSF model can do: render a stamp at a sub-pixel position. */

/** Options of {@link PsfModel.evaluate}. */
export interface PsfStampOptions {
  /** Stamp width in stamp pixels (default: the model's natural size times the oversampling, made odd). */
  width?: number;
  /** Stamp height in stamp pixels (default: as width). */
  height?: number;
  /**
   * Offset of the source from the centre of the stamp's central pixel, in
   * image pixels (default 0). The central pixel is `floor(width / 2)`,
   * `floor(height / 2)`.
   */
  dx?: number;
  /** See `dx`. */
  dy?: number;
  /** Stamp pixels per image pixel along each axis (default 1; any positive integer). */
  oversampling?: number;
  /**
   * Position of the source in the image (zero-based pixel centres), for
   * spatially varying models (PSFEx); ignored by the others.
   */
  x?: number;
  /** See `x`. */
  y?: number;
  /** Extra context values for a PSFEx model (e.g. `{ MAG_AUTO: 18.2 }`) by POLNAME. */
  context?: Record<string, number>;
  /**
   * `true` (default): scale the stamp to sum to 1. `false`: each pixel holds
   * the fraction of the model's total flux that falls in it (analytic
   * models) or the interpolated model value scaled by the pixel area
   * (pixelized models).
   */
  normalize?: boolean;
}

/** A rendered PSF stamp: `data[j * width + i]`, a new array. */
export interface PsfStamp {
  /** Values, row-major, x fastest. */
  data: Float64Array;
  /** Width in stamp pixels. */
  width: number;
  /** Height in stamp pixels. */
  height: number;
  /** Stamp pixels per image pixel. */
  oversampling: number;
  /** Stamp coordinates of the source centre (x), in stamp pixels. */
  centerX: number;
  /** Stamp coordinates of the source centre (y), in stamp pixels. */
  centerY: number;
}

/** A point-spread function model (Gaussian, Moffat, pixelized image or PSFEx). */
export interface PsfModel {
  /** Which model this is. */
  readonly kind: 'gaussian' | 'moffat' | 'image' | 'psfex';
  /** FWHM in image pixels (exact for analytic models, from the file or estimated otherwise). */
  readonly fwhm: number;
  /** Render a stamp (see {@link PsfStampOptions}); throws PhotometryError for invalid options. */
  evaluate(options?: PsfStampOptions): PsfStamp;
}
