/**
 * Header text for people: cards as the 80-character lines `fits-header`
 * prints (astropy's `Header.tostring(sep='\n')` without padding).
 */
import { FitsFormat } from './format.js';
import type { FitsCard } from './header.js';
import { formatCard } from './internal/cards.js';

/**
 * Cards as 80-character lines, trailing blanks dropped (END not included):
 * the images as read when `images` (from {@link FitsHeader.images}) are
 * given, otherwise formatted as this package writes them.
 */
export function formatHeaderCards(cards: FitsCard[], images?: string[]): string {
  const lines: string[] = [];
  for (const [i, c] of cards.entries()) {
    const image = images?.[i];
    if (image !== undefined) {
      for (let at = 0; at < image.length; at += FitsFormat.cardSize) lines.push(image.slice(at, at + FitsFormat.cardSize).trimEnd());
      continue;
    }
    try {
      for (const image of formatCard(c.key, c.value, c.comment)) lines.push(image.trimEnd());
    } catch {
      lines.push(`${c.key.padEnd(8)}= ${String(c.value)}`);
    }
  }
  return lines.join('\n');
}
