/**
 * Test-only FITS reader (primary BITPIX -32 images and simple binary
 * tables): an independent reader used to cross-check the PSFEx loader that
 * goes through @astro/fits-io, and to read field.fits. Not part of the library.
 */
import { readFileSync } from 'node:fs';

export type Header = Map<string, string | number | boolean>;

export interface MiniHdu {
  header: Header;
  dataOffset: number;
  dataBytes: number;
}

function parseValue(raw: string): string | number | boolean {
  const v = raw.split('/')[0].trim();
  if (raw.trim().startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(raw.trim());
    return m ? m[1].replace(/''/g, "'").trimEnd() : '';
  }
  if (v === 'T') return true;
  if (v === 'F') return false;
  const n = Number(v.replace(/D/g, 'E'));
  return Number.isNaN(n) ? v : n;
}

export function readHdus(path: string): { bytes: Buffer; hdus: MiniHdu[] } {
  const bytes = readFileSync(path);
  const hdus: MiniHdu[] = [];
  let off = 0;
  while (off + 2880 <= bytes.length) {
    const header: Header = new Map();
    let end = false;
    while (!end) {
      for (let c = 0; c < 36; c++) {
        const card = bytes.toString('latin1', off + c * 80, off + c * 80 + 80);
        const key = card.slice(0, 8).trim();
        if (key === 'END') end = true;
        else if (card.slice(8, 10) === '= ') header.set(key, parseValue(card.slice(10)));
      }
      off += 2880;
    }
    const naxis = Number(header.get('NAXIS') ?? 0);
    let n = naxis > 0 ? 1 : 0;
    for (let i = 1; i <= naxis; i++) n *= Number(header.get(`NAXIS${i}`));
    const dataBytes = (Math.abs(Number(header.get('BITPIX'))) / 8) * (n + Number(header.get('PCOUNT') ?? 0));
    hdus.push({ header, dataOffset: off, dataBytes });
    off += Math.ceil(dataBytes / 2880) * 2880;
  }
  return { bytes, hdus };
}

/** Primary (or given) image HDU as Float32Array/Float64Array, native order. */
export function readImage(path: string, index = 0): { data: Float32Array; width: number; height: number; header: Header } {
  const { bytes, hdus } = readHdus(path);
  const h = hdus[index];
  const width = Number(h.header.get('NAXIS1'));
  const height = Number(h.header.get('NAXIS2'));
  if (h.header.get('BITPIX') !== -32) throw new Error(`mini-fits: ${path}: only BITPIX -32`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, width * height * 4);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(i * 4, false);
  return { data, width, height, header: h.header };
}

/** Columns of a binary table HDU: each column as an array of per-row numeric arrays. */
export function readTable(path: string, index = 1): { header: Header; rows: number; columns: Map<string, Float64Array[]> } {
  const { bytes, hdus } = readHdus(path);
  const h = hdus[index];
  const rowBytes = Number(h.header.get('NAXIS1'));
  const rows = Number(h.header.get('NAXIS2'));
  const nf = Number(h.header.get('TFIELDS'));
  const columns = new Map<string, Float64Array[]>();
  let colOff = 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, rowBytes * rows);
  for (let c = 1; c <= nf; c++) {
    const name = String(h.header.get(`TTYPE${c}`));
    const m = /^(\d*)([A-Z])/.exec(String(h.header.get(`TFORM${c}`)).trim());
    if (!m) throw new Error(`mini-fits: bad TFORM${c}`);
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const code = m[2];
    const size = { E: 4, D: 8, I: 2, J: 4, K: 8, A: 1, L: 1, B: 1 }[code] ?? 0;
    const values: Float64Array[] = [];
    for (let r = 0; r < rows; r++) {
      const v = new Float64Array(code === 'A' ? 0 : repeat);
      for (let k = 0; k < v.length; k++) {
        const p = r * rowBytes + colOff + k * size;
        v[k] =
          code === 'E'
            ? dv.getFloat32(p, false)
            : code === 'D'
              ? dv.getFloat64(p, false)
              : code === 'I'
                ? dv.getInt16(p, false)
                : code === 'J'
                  ? dv.getInt32(p, false)
                  : code === 'K'
                    ? Number(dv.getBigInt64(p, false))
                    : dv.getUint8(p);
      }
      values.push(v);
    }
    columns.set(name, values);
    colOff += repeat * size;
  }
  return { header: h.header, rows, columns };
}
