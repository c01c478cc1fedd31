const utf8 = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Decode bytes labelled ASCII: valid UTF-8 (the usual mislabel) as UTF-8, anything else byte-for-byte. */
function decodeAsciiLabelled(b: Uint8Array): string {
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) {
      try {
        return utf8Strict.decode(b);
      } catch {
        return latin1.decode(b);
      }
    }
  }
  return latin1.decode(b);
}
const encoder = new TextEncoder();

/**
 * Decode `count` fixed-length strings of `size` bytes from `bytes`, removing
 * trailing NUL bytes (spaces are kept), as numpy/h5py do for `S<n>` data.
 * ASCII-declared data that is valid UTF-8 is decoded as UTF-8, otherwise
 * byte-for-byte (latin1), so no byte is lost.
 */
export function decodeFixedStrings(
  bytes: Uint8Array,
  size: number,
  count: number,
  utf: boolean,
  stride = size,
  offset = 0,
): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const start = offset + i * stride;
    let end = start + size;
    while (end > start && bytes[end - 1] === 0) end--;
    const b = bytes.subarray(start, end);
    out[i] = end === start ? '' : utf ? utf8.decode(b) : decodeAsciiLabelled(b);
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Longest UTF-8 byte length among `strings` (at least 1). */
export function maxUtf8Length(strings: readonly string[]): number {
  let max = 1;
  for (const s of strings) max = Math.max(max, encoder.encode(s).length);
  return max;
}

/**
 * Encode strings into fixed-length `size`-byte slots, NUL-padded. Returns the
 * index of the first string that does not fit (or -1) so the caller can raise
 * an error naming it rather than truncating silently.
 */
export function encodeFixedStrings(strings: readonly string[], size: number): { bytes: Uint8Array; tooLong: number } {
  const bytes = new Uint8Array(strings.length * size);
  for (let i = 0; i < strings.length; i++) {
    const b = encoder.encode(strings[i]);
    if (b.length > size) return { bytes, tooLong: i };
    bytes.set(b, i * size);
  }
  return { bytes, tooLong: -1 };
}
