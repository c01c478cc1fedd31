/**
 * The checked inputs of the aperture functions (sumCircle, sumEllipse,
 * sumCircAnn and the Kron family): image, noise, mask and gain as one
 * PixelSource.
 */
import type { Image, ImageData, ImageLike } from '@astro/core';
import { PhotometryError } from '../errors.js';
import type { PixelSource } from './aperture-core.js';

/** The noise, mask and gain options (a subset of `ApertureOptions`). */
export interface NoiseMaskOptions {
  err?: number | ImageData;
  var?: number | ImageData;
  gain?: number;
  mask?: Uint8Array;
  maskThresh?: number;
}

/** Build the pixel source for an image and options; validates sizes (`fn` names the caller in errors). */
export function pixelSource(image: ImageLike & Pick<Image, 'variance'>, options: NoiseMaskOptions, fn: string): PixelSource {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PhotometryError(`${fn}: image size ${width}x${height} is not valid (need positive integers)`);
  }
  if (data.length !== width * height) {
    throw new PhotometryError(
      `${fn}: image data has ${data.length} values but width x height = ${width * height}`,
      { code: 'PHOT_SIZE_MISMATCH' },
    );
  }
  if (options.err !== undefined && options.var !== undefined) {
    throw new PhotometryError(`${fn}: give either err or var, not both`);
  }
  let noise: ImageData | undefined;
  let noiseIsStd = false;
  let scalarVar = 0;
  const spec = options.err ?? options.var;
  if (spec === undefined) {
    if (image.variance !== undefined) noise = image.variance;
  } else if (typeof spec === 'number') {
    if (!(spec >= 0) || !Number.isFinite(spec)) {
      throw new PhotometryError(`${fn}: ${options.err !== undefined ? 'err' : 'var'} = ${spec} (need a finite value >= 0)`);
    }
    scalarVar = Math.fround(options.err !== undefined ? spec * spec : spec);
  } else {
    noise = spec;
    noiseIsStd = options.err !== undefined;
  }
  if (noise !== undefined && noise.length !== data.length) {
    throw new PhotometryError(`${fn}: noise array has ${noise.length} values, image has ${data.length}`, {
      code: 'PHOT_SIZE_MISMATCH',
    });
  }
  const mask = options.mask ?? image.mask;
  if (mask !== undefined && mask.length !== data.length) {
    throw new PhotometryError(`${fn}: mask has ${mask.length} values, image has ${data.length}`, {
      code: 'PHOT_SIZE_MISMATCH',
    });
  }
  const gain = options.gain ?? 0;
  if (!(gain >= 0) || !Number.isFinite(gain)) {
    throw new PhotometryError(`${fn}: gain = ${gain} (need a finite value >= 0; 0 = no Poisson term)`);
  }
  return {
    data,
    width,
    height,
    isFloat32: data instanceof Float32Array,
    noise,
    noiseIsStd,
    scalarVar,
    mask,
    maskThresh: options.maskThresh ?? 0,
    gain,
  };
}

/** Check a `subpix` option: an integer in [min, 1000]. */
export function checkSubpix(subpix: number, fn: string, min = 0): number {
  if (!Number.isInteger(subpix) || subpix < min || subpix > 1000) {
    throw new PhotometryError(`${fn}: subpix = ${subpix} (need an integer in [${min}, 1000])`);
  }
  return subpix;
}
