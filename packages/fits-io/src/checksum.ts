/** What checking an HDU's CHECKSUM and DATASUM found (`FitsHdu.verifyChecksum()`). */
/** Result of checking CHECKSUM/DATASUM of one HDU. */
export interface ChecksumStatus {
  /** `ok`, `bad`, or `missing` when the HDU has no DATASUM card. */
  datasum: 'ok' | 'bad' | 'missing';
  /** `ok`, `bad`, or `missing` when the HDU has no CHECKSUM card. */
  checksum: 'ok' | 'bad' | 'missing';
  /** The data sum computed from the bytes (unsigned 32-bit). */
  computedDatasum: number;
}
