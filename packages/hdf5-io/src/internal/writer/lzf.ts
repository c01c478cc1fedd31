/**
 * LZF compressor (the format of liblzf / h5py's filter 32000). Returns
 * undefined when the data does not shrink: the chunk is then stored raw with
 * the filter's bit set in the chunk's filter mask, as HDF5 does for an
 * optional filter that fails.
 */
const HLOG = 14;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

export function lzfCompress(input: Uint8Array): Uint8Array | undefined {
  const n = input.length;
  if (n < 4) return undefined;
  const out = new Uint8Array(n);
  const htab = new Int32Array(1 << HLOG).fill(-1);
  let ip = 0;
  let op = 1; // control byte of the first literal run
  let lit = 0;
  const hash = (p: number): number => {
    const v = (input[p] << 16) | (input[p + 1] << 8) | input[p + 2];
    return Math.imul(v, 2654435761 | 0) >>> (32 - HLOG);
  };
  while (ip < n - 2) {
    const h = hash(ip);
    const ref = htab[h];
    htab[h] = ip;
    const off = ip - ref - 1;
    if (ref >= 0 && off < MAX_OFF && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      const maxlen = Math.min(MAX_REF, n - ip);
      let len = 3;
      while (len < maxlen && input[ref + len] === input[ip + len]) len++;
      if (op + 3 >= n) return undefined;
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      const l = len - 2;
      if (l < 7) out[op++] = (off >> 8) + (l << 5);
      else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      ip += len;
      lit = 0;
      op++; // control byte of the next literal run
      for (let q = Math.max(ip - len + 1, ip - 2); q < ip && q < n - 2; q++) htab[hash(q)] = q;
    } else {
      if (op + 1 >= n) return undefined;
      out[op++] = input[ip++];
      if (++lit === 32) {
        out[op - lit - 1] = 31;
        lit = 0;
        op++;
      }
    }
  }
  while (ip < n) {
    if (op + 1 >= n) return undefined;
    out[op++] = input[ip++];
    if (++lit === 32) {
      out[op - lit - 1] = 31;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  return op < n ? out.subarray(0, op) : undefined;
}

/** LZF decompressor (used by tests to check the compressor). */
export function lzfDecompress(input: Uint8Array, outLength: number): Uint8Array {
  const out = new Uint8Array(outLength);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++];
    if (ctrl < 32) {
      ctrl++;
      out.set(input.subarray(ip, ip + ctrl), op);
      ip += ctrl;
      op += ctrl;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += input[ip++];
      ref -= input[ip++];
      len += 2;
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  }
  if (op !== outLength) throw new Error(`lzf: decompressed ${op} bytes, expected ${outLength}`);
  return out;
}
