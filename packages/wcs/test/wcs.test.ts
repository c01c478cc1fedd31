/**
 * WCS against astropy: the `wcs` blocks of ../shared/data/fits (TAN and
 * TAN-SIP, all_pix2world with origin 0) and the fixtures made with astropy for
 * SIN, ZEA, ARC, ZPN, TPV, TAN with LONPOLE and SIP without AP/BP
 * (test/fixtures/wcs). Sky positions within 1 milliarcsecond, inverse
 * round trips within 1e-6 px. FITS headers are read by the small parser in
 * support/fits-header.ts (this package does not depend on @astro/fits-io);
 * the compressed-image case reads headers fits-io wrote
 * (test/fixtures/wcs/make-compressed-fixture.mjs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Wcs, WcsError } from '@astro/wcs';
import type { HeaderLike } from '@astro/wcs';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';
import { expectedNumber, loadExpected } from './support/expected.js';
import { formatHeaderCards, parseHeaderCards, readFitsHeaders } from './support/fits-header.js';

const MAS = 1 / 3600 / 1000;
const here = path.dirname(fileURLToPath(import.meta.url));

/** Angular separation in degrees (haversine, exact for small angles). */
function separationDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const d2r = Math.PI / 180;
  const s1 = Math.sin(((dec2 - dec1) * d2r) / 2);
  const s2 = Math.sin(((ra2 - ra1) * d2r) / 2);
  const h = s1 * s1 + Math.cos(dec1 * d2r) * Math.cos(dec2 * d2r) * s2 * s2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h))) * 180) / Math.PI;
}

function mapHeader(cards: Record<string, unknown>): HeaderLike {
  const m = new Map(Object.entries(cards));
  return { get: (k: string) => m.get(k) };
}

interface Block {
  pixels: number[][];
  world: Array<Array<number | string>>;
}

/** Check pixelToWorld against astropy and the round trip; returns the worst errors. */
function checkBlock(wcs: Wcs, block: Block, label: string): { maxMas: number; maxPx: number; n: number } {
  const x = block.pixels.map((p) => p[0]);
  const y = block.pixels.map((p) => p[1]);
  const w = wcs.pixelToWorld(x, y);
  let maxMas = 0;
  let maxPx = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const era = expectedNumber(block.world[i][0]);
    const edec = expectedNumber(block.world[i][1]);
    if (Number.isNaN(era)) {
      expect(Number.isNaN(w.ra[i]) || Number.isNaN(w.dec[i]), `${label} pixel (${x[i]}, ${y[i]}) does not project in astropy; must be NaN`).toBe(true);
      continue;
    }
    const sep = separationDeg(w.ra[i], w.dec[i], era, edec);
    maxMas = Math.max(maxMas, sep / MAS);
    expect(sep, `${label} pixel (${x[i]}, ${y[i]}): (${w.ra[i]}, ${w.dec[i]}) vs astropy (${era}, ${edec})`).toBeLessThan(MAS);
    const back = wcs.worldToPixel(w.ra[i], w.dec[i]);
    const dpx = Math.hypot(back.x[0] - x[i], back.y[0] - y[i]);
    maxPx = Math.max(maxPx, dpx);
    expect(dpx, `${label} round trip of pixel (${x[i]}, ${y[i]})`).toBeLessThan(1e-6);
    n++;
  }
  return { maxMas, maxPx, n };
}

const dir = sharedData('fits');

describe.skipIf(!dir)(`WCS of the reference files vs astropy all_pix2world (${dir ? 'shared/data/fits' : missingDataMessage('fits')})`, () => {
  const files = dir ? readdirSync(dir).filter((f) => f.endsWith('.expected.json')) : [];
  const withWcs = files.filter((f) => loadExpected(path.join(dir!, f)).wcs !== undefined);

  it('finds the files with a wcs block (wcs_tan, wcs_sip)', () => {
    expect(withWcs.sort()).toEqual(['wcs_sip.fits.expected.json', 'wcs_tan.fits.expected.json']);
  });

  for (const file of withWcs) {
    it(`${file.replace('.expected.json', '')}: every grid point within 1 mas, round trip within 1e-6 px`, async () => {
      const exp = loadExpected(path.join(dir!, file));
      const block = exp.wcs as Block & { origin: number };
      expect(block.origin).toBe(0);
      const headers = readFitsHeaders(path.join(dir!, file.replace('.expected.json', '')));
      const wcs = Wcs.fromHeader(headers[0]);
      const { n } = checkBlock(wcs, block, file);
      expect(n).toBe(block.pixels.length);
    });
  }

  it('wcs_sip: SIP inverse with AP/BP seed converges to the exact inverse', async () => {
    const headers = readFitsHeaders(path.join(dir!, 'wcs_sip.fits'));
    const wcs = Wcs.fromHeader(headers[0]);
    expect(wcs.hasSip).toBe(true);
    expect(wcs.radesys).toBe('ICRS');
    const p = wcs.worldToPixel(150.0, 2.0);
    const w = wcs.pixelToWorld(p.x, p.y);
    expect(separationDeg(w.ra[0], w.dec[0], 150, 2)).toBeLessThan(1e-9);
    // at CRVAL the pixel is CRPIX - 1 (SIP is zero at the reference pixel)
    expect(p.x[0]).toBeCloseTo(2047, 9);
    expect(p.y[0]).toBeCloseTo(1023, 9);
  });
});

interface Case {
  header: Record<string, unknown>;
  pixels: number[][];
  world: Array<Array<number | string>>;
  world_to_pixel: Array<Array<number | string>>;
  footprint: Array<Array<number | string>>;
}

const fixtures = JSON.parse(readFileSync(path.join(here, 'fixtures/wcs/wcs-cases.json'), 'utf8')) as { astropy: string; cases: Record<string, Case> };

describe(`WCS projections vs astropy ${fixtures.astropy} (test/fixtures/wcs)`, () => {
  it('covers SIN, ZEA, ARC, ZPN, TPV, TAN with LONPOLE and SIP without AP/BP', () => {
    const projections = Object.values(fixtures.cases).map((c) => Wcs.fromHeader(mapHeader(c.header)).projection);
    expect(new Set(projections)).toEqual(new Set(['SIN', 'ZEA', 'ARC', 'ZPN', 'TPV', 'TAN']));
  });

  for (const [name, c] of Object.entries(fixtures.cases)) {
    it(`${name}: within 1 mas of all_pix2world, round trip within 1e-6 px, inverse and footprint as astropy`, () => {
      const wcs = Wcs.fromHeader(mapHeader(c.header));
      const { n } = checkBlock(wcs, c, name);
      expect(n).toBeGreaterThan(20);
      // inverse against astropy's all_world2pix (iterated to 1e-10 px there; where its
      // iteration fails, e.g. tpv_defaults far from identity, only our round trip is checked)
      const finite = c.world
        .map((w, i) => [w, c.world_to_pixel[i]] as const)
        .filter(([w, px]) => typeof w[0] === 'number' && typeof px[0] === 'number' && typeof px[1] === 'number');
      expect(finite.length).toBeGreaterThan(10);
      const p = wcs.worldToPixel(finite.map(([w]) => w[0] as number), finite.map(([w]) => w[1] as number));
      finite.forEach(([, px], i) => {
        expect(Math.abs(p.x[i] - (px[0] as number)), `${name} x`).toBeLessThan(1e-6);
        expect(Math.abs(p.y[i] - (px[1] as number)), `${name} y`).toBeLessThan(1e-6);
      });
      // footprint: the corner pixel centres, in calc_footprint's order
      const fp = wcs.footprint();
      c.footprint.forEach((corner, i) => {
        const era = expectedNumber(corner[0]);
        if (Number.isNaN(era)) {
          expect(Number.isNaN(fp.ra[i])).toBe(true);
          return;
        }
        expect(separationDeg(fp.ra[i], fp.dec[i], era, expectedNumber(corner[1]))).toBeLessThan(MAS);
      });
    });
  }
});

describe('WCS behaviour', () => {
  const tan = {
    NAXIS1: 100,
    NAXIS2: 80,
    CTYPE1: 'RA---TAN',
    CTYPE2: 'DEC--TAN',
    CRVAL1: 359.9,
    CRVAL2: -20,
    CRPIX1: 50.5,
    CRPIX2: 40.5,
    CD1_1: -1e-3,
    CD1_2: 0,
    CD2_1: 0,
    CD2_2: 1e-3,
  };

  it('pixel (CRPIX - 1) is CRVAL; RA wraps into [0, 360)', () => {
    const wcs = Wcs.fromHeader(mapHeader(tan));
    const w = wcs.pixelToWorld(49.5, 39.5);
    expect(w.ra[0]).toBeCloseTo(359.9, 12);
    expect(w.dec[0]).toBeCloseTo(-20, 12);
    // CD1_1 < 0: smaller x is east (larger RA); 150 px east of CRPIX crosses RA = 0
    const east = wcs.pixelToWorld(-100, 39.5);
    expect(east.ra[0]).toBeGreaterThanOrEqual(0);
    expect(east.ra[0]).toBeCloseTo(0.15 / Math.cos((20 * Math.PI) / 180) - 0.1, 2);
  });

  it('accepts numbers and arrays, returns Float64Arrays, rejects length mismatch', () => {
    const wcs = Wcs.fromHeader(mapHeader(tan));
    const a = wcs.pixelToWorld(new Float64Array([1, 2, 3]), [4, 5, 6]);
    expect(a.ra).toBeInstanceOf(Float64Array);
    expect(a.ra).toHaveLength(3);
    expect(() => wcs.pixelToWorld([1, 2], [1])).toThrow(RangeError);
  });

  it('pixel scale: 3.6 arcsec/px from CD, local scale on the sky agrees near the centre', () => {
    const wcs = Wcs.fromHeader(mapHeader(tan));
    expect(wcs.pixelScaleArcsec()).toBeCloseTo(3.6, 12);
    expect(wcs.pixelScaleAtArcsec(49.5, 39.5)).toBeCloseTo(3.6, 6);
    // away from the tangent point the gnomonic scale shrinks on the sky
    expect(wcs.pixelScaleAtArcsec(0, 0)).toBeLessThan(3.6);
  });

  it('CD takes precedence over PC/CDELT; CROTA2 is used only without CD and PC', () => {
    const withBoth = Wcs.fromHeader(mapHeader({ ...tan, CDELT1: 5, CDELT2: 5, PC1_1: 2 }));
    expect(withBoth.cd).toEqual([-1e-3, 0, 0, 1e-3]);
    const rot = Wcs.fromHeader(mapHeader({ NAXIS1: 10, NAXIS2: 10, CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN', CRVAL1: 0, CRVAL2: 0, CRPIX1: 1, CRPIX2: 1, CDELT1: -2, CDELT2: 2, CROTA2: 90 }));
    const [a, b, c, d] = rot.cd;
    expect([a, b, c, d].map((v) => Math.round(v * 1e12) / 1e12)).toEqual([-0, -2, -2, 0]);
  });

  it('a header parsed from FITS cards works as HeaderLike; RADESYS and LONPOLE defaults are recorded', () => {
    const { header } = parseHeaderCards(formatHeaderCards(tan));
    const wcs = Wcs.fromHeader(header);
    expect(wcs.radesys).toBe('ICRS');
    expect(wcs.lonpole).toBe(180);
    expect(wcs.imageSize).toEqual([100, 80]);
  });

  it('errors name the card: missing CTYPE, unknown projection, singular matrix, wrong value type', () => {
    const expectCard = (cards: Record<string, unknown>, card: string, pattern: RegExp) => {
      let err: unknown;
      try {
        Wcs.fromHeader(mapHeader(cards));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WcsError);
      expect((err as WcsError).location.card).toBe(card);
      expect((err as Error).message).toMatch(pattern);
    };
    expectCard({ CTYPE1: 'RA---TAN' }, 'CTYPE2', /CTYPE/);
    expectCard({ ...tan, CTYPE1: 'RA---AIT', CTYPE2: 'DEC--AIT' }, 'CTYPE1', /AIT.*not supported/);
    expectCard({ ...tan, CTYPE1: 'FREQ', CTYPE2: 'DEC--TAN' }, 'CTYPE1', /celestial/);
    expectCard({ ...tan, CD1_1: 0, CD2_2: 0 }, 'CD1_1', /singular/);
    expectCard({ ...tan, CRVAL1: 'abc' }, 'CRVAL1', /not a number/);
    expectCard({ ...tan, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', PV2_1: 0.1 }, 'PV2_1', /slant/);
  });

  it('reads the WCS of a compressed image from its table header or its rebuilt image header alike', () => {
    // compressImage(Int16Array(100 * 80), [100, 80], { header: tan without NAXISn }) and
    // compressedImageHeader of its table header, as @astro/fits-io wrote them
    const fits = readFitsHeaders(path.join(here, 'fixtures/wcs/compressed-tan.fits'));
    const imageHeader = JSON.parse(readFileSync(path.join(here, 'fixtures/wcs/compressed-tan.image-header.json'), 'utf8')) as Record<string, unknown>;
    expect(fits[1].get('ZIMAGE')).toBe(true);
    expect(imageHeader.XTENSION).toBe('IMAGE');
    const fromTable = Wcs.fromHeader(fits[1]);
    const fromImage = Wcs.fromHeader(mapHeader(imageHeader));
    expect(fromTable.imageSize).toEqual([100, 80]);
    expect(fromImage.imageSize).toEqual([100, 80]);
    const a = fromTable.footprint();
    const b = fromImage.footprint();
    expect(Array.from(a.ra)).toEqual(Array.from(b.ra));
    expect(Array.from(a.dec)).toEqual(Array.from(b.dec));
  });

  it('points behind the projection give NaN, never a wrong position', () => {
    const sin = Wcs.fromHeader(mapHeader({ ...tan, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CD1_1: -1, CD2_2: 1 }));
    const w = sin.pixelToWorld(49.5 + 200, 39.5);
    expect(Number.isNaN(w.ra[0])).toBe(true);
    const p = sin.worldToPixel(179.9, 20);
    expect(Number.isNaN(p.x[0])).toBe(true);
  });
});
