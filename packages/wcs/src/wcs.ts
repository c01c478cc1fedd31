/**
 * Celestial World Coordinate Systems of FITS images (Greisen & Calabretta
 * 2002, Calabretta & Greisen 2002): zenithal projections TAN, SIN, ZEA, ARC,
 * ZPN and TPV, with SIP distortion, read from header keywords and agreeing
 * with astropy's `all_pix2world` / `all_world2pix` (origin 0).
 */
import type { ErrorLocation } from '@astro/core';
import { WcsError, WcsErrorCode } from './errors.js';
import type { HeaderLike } from './header-like.js';
import { celestialToNative, nativeToCelestial } from './spherical.js';
import { ARC, SIN, TAN, ZEA, zenithalForward, zenithalInverse, zpn } from './internal/projections.js';
import type { ZenithalProjection } from './internal/projections.js';
import { TPV_TERMS, sipDistortion, tpvDistortion } from './internal/distortion.js';
import type { Distortion, PolyCoefficients } from './internal/distortion.js';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** Projections {@link Wcs} understands (the three-letter CTYPE code). */
export type WcsProjection = 'TAN' | 'SIN' | 'ZEA' | 'ARC' | 'ZPN' | 'TPV';

/** Sky positions in degrees. */
export interface WorldCoordinates {
  /** Right ascension (or other longitude), degrees in [0, 360). */
  ra: Float64Array;
  /** Declination (or other latitude), degrees. */
  dec: Float64Array;
}

/** Zero-based pixel positions (pixel (0, 0) is the centre of the first pixel, FITS (1, 1)). */
export interface PixelCoordinates {
  /** Column (FITS axis 1) minus one. */
  x: Float64Array;
  /** Row (FITS axis 2) minus one. */
  y: Float64Array;
}

/** Options of {@link Wcs.footprint}. */
export interface FootprintOptions {
  /** Image width in pixels (default NAXIS1 or ZNAXIS1 of the header). */
  width?: number;
  /** Image height in pixels (default NAXIS2 or ZNAXIS2 of the header). */
  height?: number;
  /**
   * Corners at the outer pixel edges (-0.5 ... width - 0.5) instead of the
   * centres of the corner pixels (default false, as astropy's calc_footprint).
   */
  edges?: boolean;
}

/** One coordinate or many (a number, an array or a typed array). */
export type CoordinateInput = number | ArrayLike<number>;

function toArray(v: CoordinateInput): ArrayLike<number> {
  return typeof v === 'number' ? [v] : v;
}

function num(h: HeaderLike, key: string): number | undefined {
  const v = h.get(key);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

function str(h: HeaderLike, key: string): string | undefined {
  const v = h.get(key);
  return typeof v === 'string' ? v.trim() : undefined;
}

const LNG_PREFIX = /^(RA|GLON|ELON|SLON|HLON)-*$/;
const LAT_PREFIX = /^(DEC|GLAT|ELAT|SLAT|HLAT)-*$/;

/**
 * A celestial WCS. Build it with {@link Wcs.fromHeader}; convert with
 * {@link Wcs.pixelToWorld} and {@link Wcs.worldToPixel} (zero-based pixels,
 * degrees; numbers or arrays in, Float64Arrays out; nothing is cached, the
 * object is immutable and safe to share).
 */
export class Wcs {
  /** Projection code. */
  readonly projection: WcsProjection;
  /** CTYPE1 and CTYPE2 as written. */
  readonly ctype: [string, string];
  /** CRPIX1, CRPIX2 (FITS, one-based). */
  readonly crpix: [number, number];
  /** CRVAL1, CRVAL2 in degrees (of the longitude and latitude axes). */
  readonly crval: [number, number];
  /** Linear transform pixel offset -> intermediate world coordinates (degrees): CD, or PC x CDELT, or CDELT + CROTA2. Row-major [CD1_1, CD1_2, CD2_1, CD2_2]. */
  readonly cd: readonly [number, number, number, number];
  /** LONPOLE in degrees (given or the Calabretta & Greisen default). */
  readonly lonpole: number;
  /** LATPOLE in degrees (given or default; zenithal projections do not need it). */
  readonly latpole: number;
  /** RADESYS (ICRS, FK5, FK4 ...); recorded, no frame conversion is done. */
  readonly radesys: string;
  /** EQUINOX when given. */
  readonly equinox?: number;
  /** True when SIP coefficients (A_p_q / B_p_q) are applied. */
  readonly hasSip: boolean;
  /** Index of the longitude axis (0 when CTYPE1 is RA, 1 when the axes are swapped). */
  readonly lngAxis: 0 | 1;
  /** NAXIS1/NAXIS2 (or ZNAXIS1/ZNAXIS2) of the header, when present. */
  readonly imageSize?: [number, number];

  readonly #proj: ZenithalProjection;
  readonly #sip?: Distortion;
  readonly #tpv?: Distortion;
  readonly #cdInv: [number, number, number, number];

  private constructor(init: {
    projection: WcsProjection;
    ctype: [string, string];
    crpix: [number, number];
    crval: [number, number];
    cd: [number, number, number, number];
    lonpole: number;
    latpole: number;
    radesys: string;
    equinox?: number;
    lngAxis: 0 | 1;
    imageSize?: [number, number];
    proj: ZenithalProjection;
    sip?: Distortion;
    tpv?: Distortion;
  }) {
    this.projection = init.projection;
    this.ctype = init.ctype;
    this.crpix = init.crpix;
    this.crval = init.crval;
    this.cd = init.cd;
    this.lonpole = init.lonpole;
    this.latpole = init.latpole;
    this.radesys = init.radesys;
    this.equinox = init.equinox;
    this.lngAxis = init.lngAxis;
    this.imageSize = init.imageSize;
    this.hasSip = init.sip !== undefined;
    this.#proj = init.proj;
    this.#sip = init.sip;
    this.#tpv = init.tpv;
    const [a, b, c, d] = init.cd;
    const det = a * d - b * c;
    this.#cdInv = [d / det, -b / det, -c / det, a / det];
  }

  /**
   * Read the celestial WCS of a header: any {@link HeaderLike} (an
   * `@astro/fits-io` `FitsHeader`, the table header of a compressed image, a
   * wrapper over a record). Throws {@link WcsError} naming the card (and the
   * header's file and HDU when it has a `location`) when CTYPE1/2 are not a
   * supported celestial pair, the linear transform is singular, or a keyword
   * has the wrong type.
   */
  static fromHeader(header: HeaderLike): Wcs {
    const loc: ErrorLocation = header.location ?? {};
    const bad = (key: string, problem: string, code: WcsErrorCode = WcsErrorCode.badKeyword): never => {
      throw new WcsError(problem, { ...loc, card: key, code });
    };
    const c1 = str(header, 'CTYPE1');
    const c2 = str(header, 'CTYPE2');
    if (c1 === undefined || c2 === undefined) bad(c1 === undefined ? 'CTYPE1' : 'CTYPE2', 'no celestial axes (CTYPE1/CTYPE2 missing or not strings)');
    const parse = (ctype: string) => {
      const base = ctype.toUpperCase();
      const head = base.slice(0, 4);
      const code = base.slice(5, 8);
      const extra = base.slice(8);
      return { head, code, extra };
    };
    const p1 = parse(c1!);
    const p2 = parse(c2!);
    let lngAxis: 0 | 1;
    if (LNG_PREFIX.test(p1.head) && LAT_PREFIX.test(p2.head)) lngAxis = 0;
    else if (LAT_PREFIX.test(p1.head) && LNG_PREFIX.test(p2.head)) lngAxis = 1;
    else return bad('CTYPE1', `CTYPE1 = '${c1}', CTYPE2 = '${c2}' are not a celestial longitude/latitude pair (e.g. RA---TAN, DEC--TAN)`);
    if (p1.code !== p2.code) bad('CTYPE2', `CTYPE1 = '${c1}' and CTYPE2 = '${c2}' use different projections`);
    const code = p1.code;
    const known: WcsProjection[] = ['TAN', 'SIN', 'ZEA', 'ARC', 'ZPN', 'TPV'];
    if (!known.includes(code as WcsProjection)) {
      bad('CTYPE1', `projection '${code}' is not supported (known: ${known.join(', ')})`, WcsErrorCode.unsupported);
    }
    const projection = code as WcsProjection;
    const latIdx = lngAxis === 0 ? 2 : 1;
    const lngIdx = lngAxis === 0 ? 1 : 2;

    const numberOr = (key: string, def: number): number => {
      const v = header.get(key);
      if (v === undefined || v === null) return def;
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return bad(key, `value ${JSON.stringify(v)} is not a number`);
    };
    const crpix: [number, number] = [numberOr('CRPIX1', 0), numberOr('CRPIX2', 0)];
    const crvalRaw = [numberOr('CRVAL1', 0), numberOr('CRVAL2', 0)];
    const crval: [number, number] = [crvalRaw[lngIdx - 1], crvalRaw[latIdx - 1]];

    // linear transform
    let cd: [number, number, number, number];
    const hasCd = ['CD1_1', 'CD1_2', 'CD2_1', 'CD2_2'].some((k) => header.get(k) !== undefined);
    const hasPc = ['PC1_1', 'PC1_2', 'PC2_1', 'PC2_2'].some((k) => header.get(k) !== undefined);
    if (hasCd) {
      cd = [numberOr('CD1_1', 0), numberOr('CD1_2', 0), numberOr('CD2_1', 0), numberOr('CD2_2', 0)];
    } else {
      const cdelt1 = numberOr('CDELT1', 1);
      const cdelt2 = numberOr('CDELT2', 1);
      if (hasPc) {
        const pc = [numberOr('PC1_1', 1), numberOr('PC1_2', 0), numberOr('PC2_1', 0), numberOr('PC2_2', 1)];
        cd = [cdelt1 * pc[0], cdelt1 * pc[1], cdelt2 * pc[2], cdelt2 * pc[3]];
      } else {
        const rho = numberOr(`CROTA${latIdx}`, 0) * D2R;
        const c = Math.cos(rho);
        const s = Math.sin(rho);
        cd = [cdelt1 * c, -cdelt2 * s, cdelt1 * s, cdelt2 * c];
      }
    }
    const det = cd[0] * cd[3] - cd[1] * cd[2];
    if (!Number.isFinite(det) || det === 0) bad(hasCd ? 'CD1_1' : 'CDELT1', `the pixel-to-sky matrix [${cd.join(', ')}] is singular`);

    // projection
    let proj: ZenithalProjection;
    switch (projection) {
      case 'TAN':
      case 'TPV':
        proj = TAN;
        break;
      case 'SIN': {
        const xi = numberOr(`PV${latIdx}_1`, 0);
        const eta = numberOr(`PV${latIdx}_2`, 0);
        if (xi !== 0 || eta !== 0) bad(`PV${latIdx}_1`, 'slant orthographic SIN (PV2_1/PV2_2 not 0, e.g. NCP) is not supported', WcsErrorCode.unsupported);
        proj = SIN;
        break;
      }
      case 'ZEA':
        proj = ZEA;
        break;
      case 'ARC':
        proj = ARC;
        break;
      case 'ZPN': {
        const coeffs: number[] = [];
        for (let m = 0; m <= 20; m++) coeffs.push(numberOr(`PV${latIdx}_${m}`, 0));
        if (coeffs.every((c) => c === 0)) bad(`PV${latIdx}_1`, 'ZPN needs PV2_m polynomial coefficients; none given');
        proj = zpn(coeffs);
        break;
      }
    }

    // celestial pole: zenithal projections have theta0 = 90, so (alpha_p, delta_p) = (alpha0, delta0)
    const lonpole = numberOr('LONPOLE', crval[1] >= 90 ? 0 : 180);
    const latpole = numberOr('LATPOLE', 90);

    // SIP
    let sip: Distortion | undefined;
    const aOrder = num(header, 'A_ORDER');
    if (aOrder !== undefined) {
      const bOrder = num(header, 'B_ORDER');
      if (bOrder === undefined) bad('B_ORDER', 'SIP A_ORDER given without B_ORDER');
      const read = (prefix: string, order: number): PolyCoefficients => {
        const c: PolyCoefficients = [];
        for (let p = 0; p <= order; p++) {
          c.push([]);
          for (let q = 0; q <= order - p; q++) c[p].push(numberOr(`${prefix}_${p}_${q}`, 0));
        }
        return c;
      };
      const apOrder = num(header, 'AP_ORDER');
      const bpOrder = num(header, 'BP_ORDER');
      sip = sipDistortion({
        a: read('A', aOrder),
        aOrder,
        b: read('B', bOrder!),
        bOrder: bOrder!,
        ...(apOrder !== undefined && bpOrder !== undefined
          ? { ap: read('AP', apOrder), apOrder, bp: read('BP', bpOrder), bpOrder }
          : {}),
      });
    }

    // TPV
    let tpv: Distortion | undefined;
    if (projection === 'TPV') {
      const pv1: number[] = [];
      const pv2: number[] = [];
      for (let k = 0; k < TPV_TERMS; k++) {
        // WCSLIB (and so astropy) defaults every TPV coefficient to 0, PVi_1 included
        pv1.push(numberOr(`PV${lngIdx}_${k}`, 0));
        pv2.push(numberOr(`PV${latIdx}_${k}`, 0));
      }
      tpv = tpvDistortion(pv1, pv2);
    }

    const n1 = num(header, 'ZNAXIS1') ?? num(header, 'NAXIS1');
    const n2 = num(header, 'ZNAXIS2') ?? num(header, 'NAXIS2');
    const isTable = str(header, 'XTENSION') === 'BINTABLE' && header.get('ZIMAGE') !== true;
    const equinox = num(header, 'EQUINOX') ?? num(header, 'EPOCH');
    const radesys = str(header, 'RADESYS') ?? str(header, 'RADECSYS') ?? (equinox !== undefined && equinox < 1984 ? 'FK4' : 'ICRS');
    return new Wcs({
      projection,
      ctype: [c1!, c2!],
      crpix,
      crval,
      cd,
      lonpole,
      latpole,
      radesys,
      equinox,
      lngAxis,
      imageSize: n1 !== undefined && n2 !== undefined && !isTable ? [n1, n2] : undefined,
      proj,
      sip,
      tpv,
    });
  }

  /** Sky position of one pixel (zero-based) as [ra, dec] degrees. */
  #toWorld(px: number, py: number): [number, number] {
    let u = px + 1 - this.crpix[0];
    let v = py + 1 - this.crpix[1];
    if (this.#sip) [u, v] = this.#sip.forward(u, v);
    const [a, b, c, d] = this.cd;
    let x = a * u + b * v;
    let y = c * u + d * v;
    if (this.lngAxis === 1) [x, y] = [y, x];
    if (this.#tpv) [x, y] = this.#tpv.forward(x, y);
    const [phi, theta] = zenithalInverse(this.#proj, x, y);
    return nativeToCelestial(phi, theta, this.crval[0], this.crval[1], this.lonpole);
  }

  /** Zero-based pixel of one sky position. */
  #toPixel(ra: number, dec: number): [number, number] {
    const [phi, theta] = celestialToNative(ra, dec, this.crval[0], this.crval[1], this.lonpole);
    let [x, y] = zenithalForward(this.#proj, phi, theta);
    if (this.#tpv) [x, y] = this.#tpv.inverse(x, y);
    if (this.lngAxis === 1) [x, y] = [y, x];
    const [a, b, c, d] = this.#cdInv;
    let u = a * x + b * y;
    let v = c * x + d * y;
    if (this.#sip) [u, v] = this.#sip.inverse(u, v);
    return [u - 1 + this.crpix[0], v - 1 + this.crpix[1]];
  }

  /**
   * Sky coordinates (degrees, RA in [0, 360)) of zero-based pixels, as
   * astropy's `all_pix2world(x, y, 0)` (SIP and TPV applied). Numbers or
   * arrays in, new Float64Arrays out. Pixels that do not project give NaN.
   */
  pixelToWorld(x: CoordinateInput, y: CoordinateInput): WorldCoordinates {
    const xs = toArray(x);
    const ys = toArray(y);
    if (xs.length !== ys.length) throw new RangeError(`pixelToWorld: x has ${xs.length} values, y has ${ys.length}`);
    const n = xs.length;
    const ra = new Float64Array(n);
    const dec = new Float64Array(n);
    for (let i = 0; i < n; i++) [ra[i], dec[i]] = this.#toWorld(xs[i], ys[i]);
    return { ra, dec };
  }

  /**
   * Zero-based pixels of sky positions (degrees), the exact inverse of
   * {@link Wcs.pixelToWorld} (distortions inverted by Newton iteration to
   * 1e-12 px, seeded with SIP AP/BP when present), like astropy's
   * `all_world2pix(ra, dec, 0)`. Positions that do not project give NaN.
   */
  worldToPixel(ra: CoordinateInput, dec: CoordinateInput): PixelCoordinates {
    const rs = toArray(ra);
    const ds = toArray(dec);
    if (rs.length !== ds.length) throw new RangeError(`worldToPixel: ra has ${rs.length} values, dec has ${ds.length}`);
    const n = rs.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) [x[i], y[i]] = this.#toPixel(rs[i], ds[i]);
    return { x, y };
  }

  /**
   * Pixel scale in arcsec per pixel at the reference pixel from the linear
   * transform: sqrt(|det CD|) * 3600 (distortions not included).
   */
  pixelScaleArcsec(): number {
    const [a, b, c, d] = this.cd;
    return Math.sqrt(Math.abs(a * d - b * c)) * 3600;
  }

  /**
   * Local pixel scale in arcsec per pixel at a zero-based pixel, measured on
   * the sky (distortions and projection included): the square root of the
   * solid angle of a one-pixel step in x and y.
   */
  pixelScaleAtArcsec(x: number, y: number): number {
    const h = 0.5;
    const w = this.pixelToWorld([x - h, x + h, x, x], [y, y, y - h, y + h]);
    const vec = (i: number): [number, number, number] => {
      const r = w.ra[i] * D2R;
      const d = w.dec[i] * D2R;
      return [Math.cos(d) * Math.cos(r), Math.cos(d) * Math.sin(r), Math.sin(d)];
    };
    const [x0, x1, y0, y1] = [vec(0), vec(1), vec(2), vec(3)];
    const dx = [x1[0] - x0[0], x1[1] - x0[1], x1[2] - x0[2]];
    const dy = [y1[0] - y0[0], y1[1] - y0[1], y1[2] - y0[2]];
    const cross = [dx[1] * dy[2] - dx[2] * dy[1], dx[2] * dy[0] - dx[0] * dy[2], dx[0] * dy[1] - dx[1] * dy[0]];
    return Math.sqrt(Math.hypot(cross[0], cross[1], cross[2])) * R2D * 3600;
  }

  /**
   * Sky positions of the four corners of an image, in the order of astropy's
   * `calc_footprint`: (0, 0), (0, height-1), (width-1, height-1), (width-1, 0)
   * zero-based (pixel centres; outer edges with `edges: true`). Width and
   * height default to NAXIS1/NAXIS2 of the header the WCS came from.
   */
  footprint(options: FootprintOptions = {}): WorldCoordinates {
    const width = options.width ?? this.imageSize?.[0];
    const height = options.height ?? this.imageSize?.[1];
    if (width === undefined || height === undefined) {
      throw new RangeError('footprint: image size unknown (no NAXIS1/NAXIS2 in the header); pass width and height');
    }
    const lo = options.edges ? -0.5 : 0;
    const hx = options.edges ? width - 0.5 : width - 1;
    const hy = options.edges ? height - 0.5 : height - 1;
    return this.pixelToWorld([lo, lo, hx, hx], [lo, hy, hy, lo]);
  }
}
