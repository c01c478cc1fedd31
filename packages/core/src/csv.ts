/**
 * Tables of text (catalogues, reference-star lists, config tables) read with
 * papaparse, once for every pipeline. Cells stay strings until a column is
 * asked for as numbers, so 19-digit identifiers (Gaia `source_id`, VIRAC
 * `sourceid`) are never rounded through a JS number: read them with
 * {@link CsvTable.bigintColumn} or keep the strings.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { AstroError, type AstroErrorOptions } from './errors.js';

// papaparse is loaded on the first parse, not when @astro/core is imported:
// every package, worker thread and CLI imports core, few of them read CSV
// (the import alone costs ~15-20 ms).
let papa: typeof import('papaparse') | undefined;
function papaparse(): typeof import('papaparse') {
  papa ??= createRequire(import.meta.url)('papaparse') as typeof import('papaparse');
  return papa;
}

/** Codes of {@link CsvError}. */
export const CsvErrorCode = {
  /** The file could not be read. */
  IO: 'CSV_IO',
  /** Quotes, delimiters or row lengths that cannot be interpreted. */
  SYNTAX: 'CSV_SYNTAX',
  /** A requested column is not in the header. */
  NO_COLUMN: 'CSV_NO_COLUMN',
  /** A cell is not a number where a number was asked for. */
  NOT_A_NUMBER: 'CSV_NOT_A_NUMBER',
} as const;
/** A {@link CsvErrorCode} value. */
export type CsvErrorCode = (typeof CsvErrorCode)[keyof typeof CsvErrorCode];

/** A CSV file that cannot be read as asked: names the file, row (one-based, header = row 1) and column. */
export class CsvError extends AstroError {
  override name = 'CsvError';
  constructor(problem: string, options: AstroErrorOptions & { code: CsvErrorCode }) {
    super(problem, { ...options, format: 'CSV' });
  }
}

/** Options of {@link parseCsv} and {@link readCsv}. */
export interface CsvOptions {
  /** Field delimiter (default: detected among `,`, tab, `;`, `|`). */
  delimiter?: string;
  /** Lines starting with this string are skipped (default `'#'`; `false` keeps them). */
  comments?: string | false;
  /** The file name used in error messages (set by {@link readCsv}). */
  file?: string;
}

/** A parsed CSV table: the header's field names and the rows as strings. */
export interface CsvTable {
  /** Field names from the first row, trimmed. */
  readonly fields: readonly string[];
  /** Rows after the header, each with one string per field. */
  readonly rows: readonly (readonly string[])[];
  /** The strings of one column. Throws a {@link CsvError} naming the column when absent. */
  column(name: string): string[];
  /** The first of `names` that is a field (for aliases such as `ra` / `RA_ICRS`), or undefined. */
  findField(...names: string[]): string | undefined;
  /** A column as float64: empty cells are NaN; anything else that is not a number is an error naming row and column. */
  numberColumn(name: string): Float64Array;
  /** A column of integers read exactly as int64 (empty cells are an error). */
  bigintColumn(name: string): BigInt64Array;
}

/** Parse CSV text (header row first). Throws a {@link CsvError} on rows whose length differs from the header. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const file = options.file;
  const parsed = papaparse().parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: options.delimiter ?? '',
    delimitersToGuess: [',', '\t', ';', '|'],
    comments: options.comments === undefined ? '#' : options.comments,
    skipEmptyLines: 'greedy',
    header: false,
    dynamicTyping: false,
  });
  const syntax = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (syntax !== undefined) {
    throw new CsvError(`${syntax.message}`, { code: CsvErrorCode.SYNTAX, file, row: (syntax.row ?? 0) + 1 });
  }
  const [header = [], ...rows] = parsed.data;
  const fields = header.map((f) => f.trim());
  rows.forEach((r, i) => {
    if (r.length !== fields.length) {
      throw new CsvError(`has ${r.length} fields, the header has ${fields.length}`, { code: CsvErrorCode.SYNTAX, file, row: i + 2 });
    }
  });
  const index = (name: string): number => {
    const i = fields.indexOf(name);
    if (i < 0) throw new CsvError(`no such column (fields: ${fields.join(', ')})`, { code: CsvErrorCode.NO_COLUMN, file, column: name });
    return i;
  };
  return {
    fields,
    rows,
    column(name) {
      const i = index(name);
      return rows.map((r) => r[i]);
    },
    findField(...names) {
      return names.find((n) => fields.includes(n));
    },
    numberColumn(name) {
      const i = index(name);
      const out = new Float64Array(rows.length);
      rows.forEach((r, k) => {
        const cell = r[i].trim();
        const v = cell === '' ? NaN : Number(cell);
        if (Number.isNaN(v) && cell !== '' && !/^[+-]?nan$/i.test(cell)) {
          throw new CsvError(`"${cell}" is not a number`, { code: CsvErrorCode.NOT_A_NUMBER, file, row: k + 2, column: name });
        }
        out[k] = v;
      });
      return out;
    },
    bigintColumn(name) {
      const i = index(name);
      const out = new BigInt64Array(rows.length);
      rows.forEach((r, k) => {
        const cell = r[i].trim();
        if (!/^[+-]?\d+$/.test(cell)) {
          throw new CsvError(`"${cell}" is not an integer`, { code: CsvErrorCode.NOT_A_NUMBER, file, row: k + 2, column: name });
        }
        out[k] = BigInt(cell);
      });
      return out;
    },
  };
}

/** Read and parse a CSV file (UTF-8). Errors name the file. */
export async function readCsv(file: string, options: CsvOptions = {}): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CsvError(`cannot read the file (${(error as Error).message})`, { code: CsvErrorCode.IO, file, cause: error });
  }
  return parseCsv(text, { ...options, file });
}
