import { FitsErrorCode, fitsError } from './errors.js';
import type { FitsTypedArray } from './format.js';
import type { FitsHeader } from './header.js';
import type { ColumnData, ColumnDtype, FitsTable } from './binary-table.js';

/** ASCII-table TFORM letter. */
export type AsciiTformCode = 'A' | 'I' | 'F' | 'E' | 'D';

/** Description of one ASCII-table column (TTYPEn, TFORMn, TBCOLn, TSCALn, TZEROn, TNULLn, TUNITn). */
export interface AsciiColumnInfo {
  /** Zero-based column index. */
  index: number;
  /** TTYPEn, or `col<n>` when absent. */
  name: string;
  /** TFORMn as written (e.g. `E15.7`). */
  tform: string;
  /** Format letter. */
  code: AsciiTformCode;
  /** Field width w. */
  width: number;
  /** Decimals d of Fw.d, Ew.d, Dw.d (0 otherwise). */
  decimals: number;
  /** Zero-based byte offset in the row (TBCOLn - 1). */
  offset: number;
  /** TSCALn (1 when absent). */
  tscal: number;
  /** TZEROn (0 when absent). */
  tzero: number;
  /** TNULLn: the text of a null field, undefined when absent. */
  tnull?: string;
  /** TUNITn ('' when absent). */
  unit: string;
  /**
   * dtype of the values (astropy's rule, taken from CFITSIO): Iw -> int16 for
   * w <= 4, int64 for w > 9, int32 otherwise; F, E, D -> float64; A -> string;
   * scaled integers -> float64.
   */
  dtype: ColumnDtype;
}

const ASCII_TFORM_RE = /^\s*([AIFED])\s*(\d+)(?:\.(\d+))?\s*$/i;

/** Column descriptions of an ASCII TABLE header. */
export function asciiColumns(header: FitsHeader): AsciiColumnInfo[] {
  const loc = header.location;
  const tfields = header.requireInt('TFIELDS');
  const rowLen = header.requireInt('NAXIS1');
  const cols: AsciiColumnInfo[] = [];
  for (let n = 1; n <= tfields; n++) {
    const tform = header.getString(`TFORM${n}`);
    if (tform === undefined) throw fitsError({ ...loc, card: `TFORM${n}` }, `mandatory keyword is missing (TFIELDS = ${tfields})`, FitsErrorCode.badTform);
    const m = ASCII_TFORM_RE.exec(tform);
    if (!m) {
      throw fitsError({ ...loc, card: `TFORM${n}` }, `TFORM ${JSON.stringify(tform)} is not a valid ASCII-table format (expected Aw, Iw, Fw.d, Ew.d or Dw.d)`, FitsErrorCode.badTform);
    }
    const code = m[1].toUpperCase() as AsciiTformCode;
    const width = Number(m[2]);
    const tbcol = header.getInt(`TBCOL${n}`);
    if (tbcol === undefined) throw fitsError({ ...loc, card: `TBCOL${n}` }, 'mandatory keyword is missing', FitsErrorCode.badTform);
    if (tbcol < 1 || tbcol - 1 + width > rowLen) {
      throw fitsError({ ...loc, card: `TBCOL${n}` }, `field at column ${tbcol} of width ${width} does not fit in a row of NAXIS1 = ${rowLen} characters`, FitsErrorCode.badTform);
    }
    const tscal = header.getNumber(`TSCAL${n}`) ?? 1;
    const tzero = header.getNumber(`TZERO${n}`) ?? 0;
    const scaled = tscal !== 1 || tzero !== 0;
    let dtype: ColumnDtype;
    if (code === 'A') dtype = 'string';
    else if (code === 'I') dtype = scaled ? 'float64' : width <= 4 ? 'int16' : width > 9 ? 'int64' : 'int32';
    else dtype = 'float64';
    const tnull = header.get(`TNULL${n}`);
    cols.push({
      index: n - 1,
      name: header.getString(`TTYPE${n}`) ?? `col${n}`,
      tform,
      code,
      width,
      decimals: m[3] === undefined ? 0 : Number(m[3]),
      offset: tbcol - 1,
      tscal,
      tzero,
      tnull: tnull === undefined || tnull === null ? undefined : String(tnull).trim(),
      unit: header.getString(`TUNIT${n}`) ?? '',
      dtype,
    });
  }
  return cols;
}

const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd]?[+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

/**
 * An ASCII table read into memory; columns are parsed on demand (and cached).
 * Null fields (blank, or equal to TNULLn) give 0 in integer columns and NaN in
 * float columns, and are flagged by `nullMask`.
 */
export class AsciiTable implements FitsTable {
  readonly kind = 'ascii' as const;
  /** Number of rows (NAXIS2). */
  readonly nrows: number;
  /** Characters per row (NAXIS1). */
  readonly rowLength: number;
  /** Column descriptions. */
  readonly columns: AsciiColumnInfo[];
  /** Column names in order. */
  readonly names: string[];
  /** The header of the HDU. */
  readonly header: FitsHeader;
  readonly #data: Uint8Array;
  #cache = new Map<string, { values: ColumnData; nulls: Uint8Array }>();

  /** Index in the HDU of the first row held (0 unless a row range was read). */
  readonly firstRow: number;

  /** `data`: the rows as stored; `part`: first row and count when only a row range was read. */
  constructor(header: FitsHeader, data: Uint8Array, part?: { firstRow: number; nrows: number }) {
    this.header = header;
    this.columns = asciiColumns(header);
    this.names = this.columns.map((c) => c.name);
    this.firstRow = part?.firstRow ?? 0;
    this.nrows = part?.nrows ?? header.requireInt('NAXIS2');
    this.rowLength = header.requireInt('NAXIS1');
    if (data.length < this.nrows * this.rowLength) {
      throw fitsError(header.location, `ASCII table needs ${this.nrows * this.rowLength} bytes, the data unit has ${data.length}`, FitsErrorCode.truncated);
    }
    this.#data = data;
  }

  /** Column description by name (exact, then case-insensitive). */
  info(name: string): AsciiColumnInfo {
    const u = name.toUpperCase();
    const col = this.columns.find((c) => c.name === name) ?? this.columns.find((c) => c.name.toUpperCase() === u);
    if (!col) throw fitsError({ ...this.header.location, column: name }, `no such column (columns: ${this.names.join(', ')})`, FitsErrorCode.badRequest);
    return col;
  }

  #decode(col: AsciiColumnInfo): { values: ColumnData; nulls: Uint8Array } {
    const hit = this.#cache.get(col.name);
    if (hit) return hit;
    const n = this.nrows;
    const nulls = new Uint8Array(n);
    const field = (r: number): string => {
      const at = r * this.rowLength + col.offset;
      return Buffer.from(this.#data.buffer, this.#data.byteOffset + at, col.width).toString('latin1');
    };
    let values: ColumnData;
    if (col.code === 'A') {
      const out: string[] = new Array(n);
      for (let r = 0; r < n; r++) out[r] = field(r).replace(/[\s\0]+$/, '');
      values = out;
    } else {
      const bad = (r: number, text: string): never => {
        throw fitsError(
          { ...this.header.location, column: col.name, row: r },
          `field ${JSON.stringify(text)} is not a number of format ${col.tform}`,
          FitsErrorCode.badTable,
        );
      };
      const isNull = (t: string): boolean => t === '' || (col.tnull !== undefined && t === col.tnull);
      if (col.dtype === 'int64') {
        const out = new BigInt64Array(n);
        for (let r = 0; r < n; r++) {
          const t = field(r).trim();
          if (isNull(t)) nulls[r] = 1;
          else if (INT_RE.test(t)) out[r] = BigInt(t);
          else bad(r, t);
        }
        values = out;
      } else if (col.dtype === 'int16' || col.dtype === 'int32') {
        const out: FitsTypedArray = col.dtype === 'int16' ? new Int16Array(n) : new Int32Array(n);
        const lim = col.dtype === 'int16' ? 32768 : 2147483648;
        for (let r = 0; r < n; r++) {
          const t = field(r).trim();
          if (isNull(t)) {
            nulls[r] = 1;
            continue;
          }
          if (!INT_RE.test(t)) bad(r, t);
          const v = Number(t);
          if (v < -lim || v >= lim) bad(r, t);
          out[r] = v;
        }
        values = out;
      } else {
        const out = new Float64Array(n);
        for (let r = 0; r < n; r++) {
          const t = field(r).trim();
          if (isNull(t)) {
            nulls[r] = 1;
            out[r] = NaN;
            continue;
          }
          if (!NUM_RE.test(t)) bad(r, t);
          let s = t.replace(/[Dd]/, 'E');
          // Fortran exponent without letter: 1.5+003
          if (!/[Ee]/.test(s) && /\d[+-]\d+$/.test(s)) s = s.replace(/(\d)([+-]\d+)$/, '$1E$2');
          const v = Number(s);
          if (Number.isNaN(v)) bad(r, t);
          out[r] = col.tscal * v + col.tzero;
        }
        values = out;
      }
    }
    const entry = { values, nulls };
    this.#cache.set(col.name, entry);
    return entry;
  }

  /** Values of a column (see {@link FitsTable.column}). */
  column(name: string): ColumnData {
    return this.#decode(this.info(name)).values;
  }

  /** 1 where the field is blank or equals TNULLn. */
  nullMask(name: string): Uint8Array {
    return this.#decode(this.info(name)).nulls;
  }
}
