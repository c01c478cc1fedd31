import { PhotometryError } from '../../errors.js';
import type { PsfStamp, PsfStampOptions } from '../../psf/types.js';

/** Resolved geometry of a stamp. */
export interface StampGeometry {
  width: number;
  height: number;
  oversampling: number;
  /** Stamp coordinates of the source centre. */
  centerX: number;
  centerY: number;
}

/** Validate options and compute the stamp geometry; `naturalSize` is in image pixels. */
export function stampGeometry(options: PsfStampOptions, naturalSize: number, kind: string): StampGeometry {
  const o = options.oversampling ?? 1;
  if (!Number.isInteger(o) || o < 1 || o > 64) {
    throw new PhotometryError(`${kind} PSF: oversampling = ${o} (need an integer in [1, 64])`);
  }
  let defaultSize = Math.ceil(naturalSize * o);
  if (defaultSize % 2 === 0) defaultSize++;
  const width = options.width ?? defaultSize;
  const height = options.height ?? options.width ?? defaultSize;
  for (const [k, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 8192) {
      throw new PhotometryError(`${kind} PSF: stamp ${k} = ${v} (need an integer in [1, 8192])`);
    }
  }
  const dx = options.dx ?? 0;
  const dy = options.dy ?? 0;
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) {
    throw new PhotometryError(`${kind} PSF: offset (${dx}, ${dy}) is not finite`);
  }
  return {
    width,
    height,
    oversampling: o,
    centerX: Math.floor(width / 2) + dx * o,
    centerY: Math.floor(height / 2) + dy * o,
  };
}

/** Wrap values into a stamp, normalising to a unit sum unless asked not to. */
export function finishStamp(data: Float64Array, g: StampGeometry, normalize: boolean | undefined): PsfStamp {
  if (normalize !== false) {
    let s = 0;
    for (let i = 0; i < data.length; i++) s += data[i];
    if (s !== 0 && Number.isFinite(s)) for (let i = 0; i < data.length; i++) data[i] /= s;
  }
  return { data, width: g.width, height: g.height, oversampling: g.oversampling, centerX: g.centerX, centerY: g.centerY };
}
