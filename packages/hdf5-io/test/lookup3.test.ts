/** HDF5's metadata checksum against Bob Jenkins' published lookup3 hashlittle vectors. */
import { describe, expect, it } from 'vitest';
import { lookup3 } from '../src/internal/writer/lookup3.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('lookup3', () => {
  it('matches the reference hashlittle values', () => {
    // From lookup3.c's driver5(): hashlittle("", 0, 0) and "Four score and seven years ago" with seeds 0 and 1.
    expect(lookup3(new Uint8Array(0))).toBe(0xdeadbeef);
    expect(lookup3(bytes('Four score and seven years ago'))).toBe(0x17770551);
    expect(lookup3(bytes('Four score and seven years ago'), 1)).toBe(0xcd628161);
  });
});
