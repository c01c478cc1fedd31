/**
 * Header card images: parsing 80-character cards (CONTINUE, HIERARCH,
 * lenient values reported as warnings) and formatting them for writing.
 */
import { FitsErrorCode, FitsWarningCode, fitsError, fitsWarning } from '../errors.js';
import type { FitsLocation, FitsWarning } from '../errors.js';
import { FitsFormat } from '../format.js';
import { COMMENTARY_KEYWORDS, FitsHeader } from '../header.js';
import type { FitsCard, FitsFloatHint, FitsValue } from '../header.js';

const CARD_SIZE = FitsFormat.cardSize;

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$/;

/** Parse a numeric token of a header or ASCII table (integer, float with E or D exponent). */
export function parseFitsNumber(token: string): number | bigint | undefined {
  const t = token.trim();
  if (INT_RE.test(t)) {
    const n = Number(t);
    if (Number.isSafeInteger(n)) return n;
    return BigInt(t);
  }
  if (FLOAT_RE.test(t)) return Number(t.replace(/[Dd]/, 'E'));
  return undefined;
}

interface ParsedValue {
  value: FitsValue;
  comment: string;
  /** String value ended with '&' (a CONTINUE may follow). */
  continued: boolean;
  ok: boolean;
}

/** Parse the value/comment field of a card (text after `= `). */
function parseValueField(field: string): ParsedValue {
  let i = 0;
  while (i < field.length && field[i] === ' ') i++;
  if (i < field.length && field[i] === "'") {
    // string with '' escapes
    let s = '';
    let j = i + 1;
    let closed = false;
    while (j < field.length) {
      const ch = field[j];
      if (ch === "'") {
        if (field[j + 1] === "'") {
          s += "'";
          j += 2;
          continue;
        }
        closed = true;
        j++;
        break;
      }
      s += ch;
      j++;
    }
    const rest = field.slice(j);
    const slash = rest.indexOf('/');
    const comment = slash >= 0 ? rest.slice(slash + 1).trim() : '';
    const junk = (slash >= 0 ? rest.slice(0, slash) : rest).trim();
    const continued = s.trimEnd().endsWith('&');
    return { value: s, comment, continued, ok: closed && junk === '' };
  }
  const rest = field.slice(i);
  // complex (a, b)
  let token: string;
  let comment = '';
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')');
    if (close < 0) return { value: rest.trim(), comment: '', continued: false, ok: false };
    token = rest.slice(0, close + 1);
    const after = rest.slice(close + 1);
    const slash = after.indexOf('/');
    comment = slash >= 0 ? after.slice(slash + 1).trim() : '';
    const inner = token.slice(1, -1).split(',');
    if (inner.length === 2) {
      const re = parseFitsNumber(inner[0]);
      const im = parseFitsNumber(inner[1]);
      if (re !== undefined && im !== undefined) {
        return { value: { re: Number(re), im: Number(im) }, comment, continued: false, ok: true };
      }
    }
    return { value: token, comment, continued: false, ok: false };
  }
  const slash = rest.indexOf('/');
  token = (slash >= 0 ? rest.slice(0, slash) : rest).trim();
  comment = slash >= 0 ? rest.slice(slash + 1).trim() : '';
  if (token === '') return { value: null, comment, continued: false, ok: true };
  if (token === 'T') return { value: true, comment, continued: false, ok: true };
  if (token === 'F') return { value: false, comment, continued: false, ok: true };
  const n = parseFitsNumber(token);
  if (n !== undefined) return { value: n, comment, continued: false, ok: true };
  return { value: token, comment, continued: false, ok: false };
}

/**
 * Parse header cards from 80-byte card images (ASCII) up to and excluding END.
 * CONTINUE cards are joined to the long string before them; HIERARCH keywords
 * lose their prefix. Unparseable values are kept as raw text and reported in
 * `warnings`.
 */
export function parseCards(text: string, location: FitsLocation = {}): FitsHeader {
  const cards: FitsCard[] = [];
  const warnings: FitsWarning[] = [];
  const starts: number[] = [];
  const n = Math.floor(text.length / CARD_SIZE);
  let endAt = n;
  let pendingContinue = false;
  const push = (at: number, card: FitsCard): void => {
    starts.push(at);
    cards.push(card);
  };
  for (let c = 0; c < n; c++) {
    const image = text.slice(c * CARD_SIZE, (c + 1) * CARD_SIZE);
    const keyField = image.slice(0, 8);
    const key = keyField.trimEnd();
    if (key === 'END' && image.slice(8).trim() === '') {
      endAt = c;
      break;
    }
    if (key === 'CONTINUE') {
      const prev = cards[cards.length - 1];
      if (pendingContinue && prev && typeof prev.value === 'string') {
        const parsed = parseValueField(image.slice(8));
        if (parsed.ok && typeof parsed.value === 'string') {
          const base = prev.value.trimEnd();
          prev.value = base.slice(0, -1) + parsed.value;
          if (parsed.comment) prev.comment = prev.comment ? `${prev.comment} ${parsed.comment}` : parsed.comment;
          pendingContinue = parsed.continued;
          continue;
        }
      }
      pendingContinue = false;
      push(c, { key: 'CONTINUE', value: image.slice(8).trimEnd(), comment: '' });
      continue;
    }
    if (pendingContinue) {
      // the '&' was not followed by CONTINUE: it is part of the value
      pendingContinue = false;
    }
    if (key.toUpperCase() === 'HIERARCH') {
      const body = image.slice(8);
      const eq = body.indexOf('=');
      if (eq >= 0) {
        const hkey = body.slice(0, eq).trim().replace(/\s+/g, ' ');
        const parsed = parseValueField(body.slice(eq + 1));
        if (!parsed.ok) warnings.push(fitsWarning({ ...location, card: `HIERARCH ${hkey}` }, `card ${c + 1} (HIERARCH ${hkey}): value ${JSON.stringify(body.slice(eq + 1).trim())} cannot be parsed; kept as text`, FitsWarningCode.cardValue));
        push(c, { key: hkey, value: typeof parsed.value === 'string' ? parsed.value.trimEnd() : parsed.value, comment: parsed.comment });
        pendingContinue = parsed.continued;
        continue;
      }
      push(c, { key: 'HIERARCH', value: body.trimEnd(), comment: '' });
      continue;
    }
    const ukey = key.toUpperCase();
    if (COMMENTARY_KEYWORDS.has(ukey) || image[8] !== '=') {
      push(c, { key: ukey, value: image.slice(8).trimEnd(), comment: '' });
      continue;
    }
    if (image[9] !== ' ') warnings.push(fitsWarning({ ...location, card: ukey }, `card ${c + 1} (${ukey}): no blank after '=' (not fixed format); value read anyway`, FitsWarningCode.cardFormat));
    const parsed = parseValueField(image.slice(9));
    if (!parsed.ok) {
      warnings.push(fitsWarning({ ...location, card: ukey }, `card ${c + 1} (${ukey}): value ${JSON.stringify(image.slice(9).trim())} cannot be parsed; kept as text`, FitsWarningCode.cardValue));
    }
    push(c, { key: ukey, value: parsed.value, comment: parsed.comment });
    pendingContinue = parsed.continued;
  }
  // long strings: trailing spaces are not significant
  for (const card of cards) {
    if (typeof card.value === 'string' && !COMMENTARY_KEYWORDS.has(card.key)) card.value = card.value.trimEnd();
  }
  const images = starts.map((at, i) => text.slice(at * CARD_SIZE, (i + 1 < starts.length ? starts[i + 1] : endAt) * CARD_SIZE));
  return new FitsHeader(cards, location, warnings, images);
}

// ---------------------------------------------------------------------------
// Formatting (writing)

/** Format a number as a FITS fixed-format float (always with a '.' or exponent, upper-case E). */
export function formatFitsFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} cannot be written in a FITS header`);
  let s = String(x);
  if (s.includes('e')) {
    let [mant, exp] = s.split('e');
    if (!mant.includes('.')) mant += '.0';
    const sign = exp.startsWith('-') ? '-' : '+';
    exp = exp.replace(/^[+-]/, '').padStart(2, '0');
    s = `${mant}E${sign}${exp}`;
  } else if (!s.includes('.')) {
    s += '.0';
  }
  if (s.length > 20) {
    // shortest round-trip representation does not fit: keep 15 significant digits
    s = x.toExponential(12).replace('e', 'E').replace(/E([+-])(\d)$/, 'E$10$2');
  }
  return s;
}


function formatValue(value: FitsValue | FitsFloatHint, key: string): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return (value ? 'T' : 'F').padStart(20);
  if (typeof value === 'bigint') return value.toString().padStart(20);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value.toFixed(0).padStart(20);
    return formatFitsFloat(value).padStart(20);
  }
  if (typeof value === 'object' && 'float' in value) return formatFitsFloat(value.float).padStart(20);
  if (typeof value === 'object') {
    const re = Number.isInteger(value.re) ? `${value.re}.0` : formatFitsFloat(value.re);
    const im = Number.isInteger(value.im) ? `${value.im}.0` : formatFitsFloat(value.im);
    return `(${re}, ${im})`.padStart(20);
  }
  throw new TypeError(`keyword ${key}: unexpected value type`);
}

function quote(s: string): string {
  return s.replace(/'/g, "''");
}

function checkAscii(text: string, key: string): void {
  if (/[^\x20-\x7e]/.test(text)) {
    throw fitsError({ card: key }, `text ${JSON.stringify(text)} has characters outside printable ASCII`, FitsErrorCode.badValue);
  }
}

/**
 * Format one card as one or more 80-character card images (strings longer
 * than fit use CONTINUE; keywords longer than 8 characters or with spaces use
 * HIERARCH; long COMMENT/HISTORY text is split over several cards).
 */
export function formatCard(key: string, value: FitsValue | FitsFloatHint, comment = ''): string[] {
  const ukey = key.startsWith('HIERARCH ') ? key.slice(9) : key;
  checkAscii(ukey, key);
  if (typeof value === 'string') checkAscii(value, key);
  checkAscii(comment, key);
  const commentary = COMMENTARY_KEYWORDS.has(ukey.toUpperCase());
  if (commentary) {
    const text = typeof value === 'string' ? value : value === null ? '' : String(value);
    const out: string[] = [];
    for (let i = 0; i === 0 || i < text.length; i += 72) out.push(`${ukey.toUpperCase().padEnd(8)}${text.slice(i, i + 72)}`.padEnd(80));
    return out;
  }
  const hierarch = ukey.length > 8 || ukey.includes(' ') || /[^A-Z0-9_-]/.test(ukey);
  let prefix: string;
  if (hierarch) prefix = `HIERARCH ${ukey} = `;
  else prefix = `${ukey.padEnd(8)}= `;
  if (typeof value === 'string') {
    const q = quote(value);
    const room = 80 - prefix.length - 2; // quotes
    if (q.length <= room && (comment === '' || true)) {
      // astropy's layout: at least 8 characters inside the quotes, value field padded to 20
      const body = `'${q.padEnd(value.length === 0 ? 0 : 8, ' ')}'`.padEnd(hierarch ? 0 : 20);
      const card = prefix + body;
      return [withComment(card, comment)];
    }
    if (hierarch) throw fitsError({ card: key }, 'a HIERARCH string this long cannot be written', FitsErrorCode.badValue);
    // CONTINUE long string: chunks of at most 67 characters + '&'
    const cards: string[] = [];
    const pieces = splitLong(value, 67);
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1;
      const body = `'${quote(piece)}${last ? '' : '&'}'`;
      const head = i === 0 ? prefix : 'CONTINUE  ';
      cards.push(last ? withComment(head + body, comment) : (head + body).padEnd(80));
    });
    return cards;
  }
  const formatted = hierarch ? formatValue(value, key).trimStart() : formatValue(value, key);
  const card = prefix + formatted;
  if (card.length > 80) throw fitsError({ card: key }, 'value does not fit in a card', FitsErrorCode.badValue);
  return [withComment(card, comment)];
}

function splitLong(value: string, width: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    let piece = value.slice(i, i + width);
    // do not split a quote pair: count quotes after escaping
    while (quote(piece).length > width) piece = piece.slice(0, -1);
    out.push(piece);
    i += piece.length;
  }
  if (out.length === 0) out.push('');
  return out;
}

function withComment(card: string, comment: string): string {
  if (!comment) return card.padEnd(80);
  const s = `${card} / ${comment}`;
  return (s.length > 80 ? s.slice(0, 80) : s).padEnd(80);
}
