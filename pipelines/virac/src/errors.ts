import { AstroError, type AstroErrorOptions } from '@astro/core';

/** Machine-readable codes of the errors `@astro/virac` throws. */
export const ViracErrorCode = {
  /** A tile cannot be read or violates the layout ({@link ViracTileError}). */
  tile: 'VIRAC_TILE',
  /** A tile was stopped before completion (`TileAbortedError`); its claim is released. */
  aborted: 'VIRAC_ABORTED',
  /** The input directory cannot be listed. */
  input: 'VIRAC_INPUT',
  /** The compiled worker script is missing (the package is not built). */
  worker: 'VIRAC_WORKER',
  /** A bad argument: a shard that is not `I/N`, a file that is not a light-curve CSV. */
  usage: 'VIRAC_USAGE',
} as const;

/** One of the {@link ViracErrorCode} values. */
export type ViracErrorCode = (typeof ViracErrorCode)[keyof typeof ViracErrorCode];

/**
 * A VIRAC tile that cannot be read or violates the layout. The message names
 * the tile file and the problem; `location.tile` is the tile id.
 */
export class ViracTileError extends AstroError {
  override name = 'ViracTileError';
  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: ViracErrorCode.tile, ...options });
  }
}
