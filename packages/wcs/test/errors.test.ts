/**
 * WcsError: an AstroError with a WCS_* code whose location names the card
 * and, when the header carries one, its file and HDU; hostile keyword values
 * fail with the card named, never with a wrong WCS.
 */
import { describe, expect, it } from 'vitest';
import { AstroError } from '@astro/core';
import { Wcs, WcsError, WcsErrorCode } from '@astro/wcs';
import type { HeaderLike } from '@astro/wcs';

const tan = {
  CTYPE1: 'RA---TAN',
  CTYPE2: 'DEC--TAN',
  CRVAL1: 10,
  CRVAL2: 20,
  CRPIX1: 1,
  CRPIX2: 1,
  CD1_1: -1e-3,
  CD1_2: 0,
  CD2_1: 0,
  CD2_2: 1e-3,
};

function header(cards: Record<string, unknown>, location?: HeaderLike['location']): HeaderLike {
  const m = new Map(Object.entries(cards));
  return { get: (k: string) => m.get(k), location };
}

function thrown(fn: () => unknown): WcsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WcsError);
    return e as WcsError;
  }
  throw new Error('expected a WcsError');
}

describe('WcsError', () => {
  it('is an AstroError with name, code, format and the card; message FORMAT file: place: problem', () => {
    const err = thrown(() => Wcs.fromHeader(header({ ...tan, CRPIX2: 'x' }, { file: 'a.fits', hdu: 2 })));
    expect(err).toBeInstanceOf(AstroError);
    expect(err.name).toBe('WcsError');
    expect(err.code).toBe(WcsErrorCode.badKeyword);
    expect(err.format).toBe('WCS');
    expect(err.location).toEqual({ file: 'a.fits', hdu: 2, card: 'CRPIX2' });
    expect(err.message).toBe('WCS a.fits: HDU 2, card CRPIX2: value "x" is not a number');
  });

  it('without a header location the message still names the card', () => {
    const err = thrown(() => Wcs.fromHeader(header({ ...tan, CTYPE1: 'RA---AIT', CTYPE2: 'DEC--AIT' })));
    expect(err.code).toBe(WcsErrorCode.unsupported);
    expect(err.message).toMatch(/^WCS: card CTYPE1: projection 'AIT' is not supported \(known: TAN, SIN, ZEA, ARC, ZPN, TPV\)$/);
  });

  it('codes are WCS_ strings', () => {
    expect(Object.values(WcsErrorCode).every((c) => c.startsWith('WCS_'))).toBe(true);
    expect(new WcsError('x').code).toBe('WCS_BAD_KEYWORD');
  });
});

describe('hostile headers', () => {
  it('rejects wrong types, mixed projections, SIP halves and empty ZPN with the card named', () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...tan, CTYPE1: 42 }, 'CTYPE1', /CTYPE1\/CTYPE2 missing or not strings/],
      [{ ...tan, CTYPE2: 'DEC--SIN' }, 'CTYPE2', /different projections/],
      [{ ...tan, CTYPE1: 'DEC--TAN', CTYPE2: 'DEC--TAN' }, 'CTYPE1', /not a celestial longitude\/latitude pair/],
      [{ ...tan, CD1_1: true }, 'CD1_1', /not a number/],
      [{ ...tan, CD1_1: Number.POSITIVE_INFINITY }, 'CD1_1', /singular/],
      [{ ...tan, CD1_1: NaN }, 'CD1_1', /singular/],
      [{ ...tan, CTYPE1: 'RA---TAN-SIP', CTYPE2: 'DEC--TAN-SIP', A_ORDER: 2 }, 'B_ORDER', /without B_ORDER/],
      [{ ...tan, CTYPE1: 'RA---ZPN', CTYPE2: 'DEC--ZPN' }, 'PV2_1', /ZPN needs PV2_m/],
      [{ ...tan, LONPOLE: 'north' }, 'LONPOLE', /not a number/],
    ];
    for (const [cards, card, pattern] of cases) {
      const err = thrown(() => Wcs.fromHeader(header(cards)));
      expect(err.location.card, JSON.stringify(cards)).toBe(card);
      expect(err.message).toMatch(pattern);
    }
  });

  it('accepts bigint values (fits-io gives bigint beyond 2^53) and lower-case CTYPE', () => {
    const wcs = Wcs.fromHeader(header({ ...tan, CTYPE1: 'ra---tan', CTYPE2: 'dec--tan', CRPIX1: 1n, CRPIX2: 1n, NAXIS1: 10n, NAXIS2: 20n }));
    expect(wcs.crpix).toEqual([1, 1]);
    expect(wcs.imageSize).toEqual([10, 20]);
  });

  it('a header whose get throws passes the error through unchanged', () => {
    const boom = new Error('disk gone');
    expect(() => Wcs.fromHeader({ get: () => { throw boom; } })).toThrow(boom);
  });
});
