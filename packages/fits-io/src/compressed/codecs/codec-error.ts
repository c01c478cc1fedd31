/**
 * Error raised by a tile codec. It carries only what the codec knows (the
 * problem); the compressed-image reader wraps it in a `FitsFormatError` that
 * names the file, the HDU and the tile.
 */
export class TileCodecError extends Error {
  override name = 'TileCodecError';
}

/** Throw a {@link TileCodecError} unless `condition` holds. */
export function check(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new TileCodecError(problem);
}
