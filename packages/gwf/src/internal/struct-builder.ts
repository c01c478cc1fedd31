/**
 * Encoder of GWF structure bodies: core's {@link ByteBuilder} in the file's
 * byte order, plus the format's STRING (u16 length with the NUL, latin1
 * bytes, NUL) and PTR_STRUCT (u16 class, u32 instance) encodings.
 */
import { ByteBuilder } from '@astro/core';

/** A {@link ByteBuilder} with GWF's STRING and PTR_STRUCT fields. */
export class GwfStructBuilder extends ByteBuilder {
  /** A STRING: u16 length including the terminating NUL, latin1 bytes, NUL. */
  str(s: string): this {
    const bytes = Buffer.from(s, 'latin1');
    this.u16(bytes.length + 1);
    this.bytes(bytes);
    return this.u8(0);
  }

  /** A PTR_STRUCT reference: class id (u16) and instance (u32); [0, 0] is null. */
  ref(r: readonly [number, number]): this {
    return this.u16(r[0]).u32(r[1]);
  }
}
