import { AstroError, type AstroErrorOptions } from '@astro/core';

/**
 * A VIRAC tile that cannot be read or violates the layout. The message names
 * the tile file and the problem; `location.tile` is the tile id.
 */
export class ViracTileError extends AstroError {
  override name = 'ViracTileError';
  constructor(message: string, options: AstroErrorOptions = {}) {
    super(message, { code: 'VIRAC_TILE', ...options });
  }
}
