/**
 * The data unit of a written ASCII table (XTENSION = 'TABLE'): fixed-width
 * text fields in the formats astropy chooses, and the column keywords.
 */
import { FitsErrorCode, fitsError } from '../errors.js';
import type { FitsLocation } from '../errors.js';
import type { FitsTypedArray } from '../format.js';
import { padToBlock } from '../format.js';
import type { FitsValue } from '../header.js';
import type { AsciiTableHduInput } from '../hdu-input.js';

const FORMAT_RE = /^\s*([AIFED])(\d+)(?:\.(\d+))?\s*$/i;

function defaultFormat(data: FitsTypedArray | string[]): string {
  if (Array.isArray(data)) return `A${data.reduce((m, s) => Math.max(m, s.length), 1)}`;
  if (data instanceof Float64Array) return 'D25.17';
  if (data instanceof Float32Array) return 'E15.7';
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return 'I21';
  if (data instanceof Int32Array || data instanceof Uint32Array) return 'I11';
  return 'I10';
}

function exponential(v: number, d: number, letter: 'E' | 'D'): string {
  const [mant, exp] = v.toExponential(d).split('e');
  const sign = exp.startsWith('-') ? '-' : '+';
  return `${mant}${letter}${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/**
 * Encode the rows of an ASCII table (padded with blanks to whole blocks) and
 * its column cards. Numbers are right-justified in their field, strings
 * left-justified; a value that does not fit its field is an error.
 */
export function encodeAsciiTableData(
  hdu: AsciiTableHduInput,
  loc: FitsLocation = {},
): { cards: Array<{ key: string; value: FitsValue }>; data: Uint8Array; rowLength: number; nrows: number } {
  const nrows = hdu.columns.length === 0 ? 0 : hdu.columns[0].data.length;
  const cards: Array<{ key: string; value: FitsValue }> = [];
  const plans = hdu.columns.map((col, i) => {
    const cloc = { ...loc, column: col.name };
    if (col.data.length !== nrows) throw fitsError(cloc, `has ${col.data.length} values, the first column has ${nrows}`, FitsErrorCode.badValue);
    const format = col.format ?? defaultFormat(col.data);
    const m = FORMAT_RE.exec(format);
    if (!m) throw fitsError({ ...cloc, card: `TFORM${i + 1}` }, `TFORM ${JSON.stringify(format)} is not an ASCII-table format (Iw, Fw.d, Ew.d, Dw.d, Aw)`, FitsErrorCode.badTform);
    const code = m[1].toUpperCase();
    const width = Number(m[2]);
    const decimals = m[3] === undefined ? 0 : Number(m[3]);
    if ((code === 'A') !== Array.isArray(col.data)) {
      throw fitsError(cloc, `format ${format} does not fit ${Array.isArray(col.data) ? 'strings' : 'numbers'}`, FitsErrorCode.badValue);
    }
    return { col, code, width, decimals, format: `${code}${width}${m[3] === undefined ? '' : `.${decimals}`}`, cloc };
  });
  let offset = 0;
  const starts: number[] = [];
  plans.forEach((p, i) => {
    starts.push(offset);
    const n = i + 1;
    cards.push({ key: `TTYPE${n}`, value: p.col.name }, { key: `TBCOL${n}`, value: offset + 1 }, { key: `TFORM${n}`, value: p.format });
    if (p.col.unit) cards.push({ key: `TUNIT${n}`, value: p.col.unit });
    if (p.col.tnull !== undefined) cards.push({ key: `TNULL${n}`, value: p.col.tnull });
    offset += p.width;
  });
  const rowLength = offset;
  const data = new Uint8Array(padToBlock(rowLength * nrows)).fill(32);
  plans.forEach((p, i) => {
    for (let r = 0; r < nrows; r++) {
      const v = (p.col.data as ArrayLike<number | bigint | string>)[r];
      let text: string;
      if (p.code === 'A') text = (v as string).padEnd(p.width);
      else if (typeof v === 'number' && Number.isNaN(v)) {
        if (p.col.tnull === undefined) throw fitsError({ ...p.cloc, row: r }, 'NaN cannot be written without TNULL', FitsErrorCode.badValue);
        text = p.col.tnull.padStart(p.width);
      } else if (p.code === 'I') {
        if (typeof v === 'number' && !Number.isInteger(v)) throw fitsError({ ...p.cloc, row: r }, `${v} is not an integer (format ${p.format})`, FitsErrorCode.badValue);
        text = String(v).padStart(p.width);
      } else if (p.code === 'F') text = Number(v).toFixed(p.decimals).padStart(p.width);
      else text = exponential(Number(v), p.decimals, p.code === 'D' ? 'D' : 'E').padStart(p.width);
      if (text.length > p.width || !/^[\x20-\x7e]*$/.test(text)) {
        throw fitsError({ ...p.cloc, row: r }, `value ${JSON.stringify(text.trim())} does not fit format ${p.format}`, FitsErrorCode.badValue);
      }
      const at = r * rowLength + starts[i];
      for (let k = 0; k < p.width; k++) data[at + k] = text.charCodeAt(k);
    }
  });
  return { cards, data, rowLength, nrows };
}
