/**
 * The pixel loop shared by every aperture sum: SEP's aperture.i semantics
 * (box extent, oversampled boundary annulus, exact or subpixel overlap,
 * masked-area correction, Poisson term), written once for circles,
 * ellipses and their annuli.
 */
import type { ImageData } from '@astro/core';
import { circOverlap, ellipOverlap } from './overlap.js';

/** Aperture flag bits (same values as SEP). */
export const APER_TRUNC = 0x0010;
export const APER_HASMASKED = 0x0020;
export const APER_ALLMASKED = 0x0040;
export const APER_NONPOSITIVE = 0x0080;
export const APER_ILLEGAL = 0x0100;
export const APER_BKGANN_EMPTY = 0x0200;

/** Pixels sampled from the image, with the noise and mask description. */
export interface PixelSource {
  data: ImageData;
  width: number;
  height: number;
  /** True when data is Float32Array (values are used as stored). */
  isFloat32: boolean;
  /** Per-pixel noise array, or undefined for a scalar / no noise. */
  noise: ImageData | undefined;
  /** True when `noise` / `noiseValue` is a standard deviation (squared on use). */
  noiseIsStd: boolean;
  /** Scalar variance (already squared and rounded to float32), 0 without noise. */
  scalarVar: number;
  mask: Uint8Array | undefined;
  maskThresh: number;
  gain: number;
}

export const SHAPE_CIRCLE = 0;
export const SHAPE_ELLIPSE = 1;
export const SHAPE_CIRCANN = 2;
export const SHAPE_ELLIPANN = 3;

/** Precomputed aperture geometry (one of the four shapes). */
export interface Shape {
  kind: number;
  /** Half extent of the bounding box in x and y. */
  rx: number;
  ry: number;
  // compare thresholds (squared "radii" in the shape's metric)
  r2: number; // single: r^2 ; annulus: outer r^2
  rIn2: number; // single: inner edge of the boundary zone ; annulus: outer zone inner edge
  rOut2: number; // single: outer edge of boundary zone ; annulus: outer zone outer edge
  annR2: number; // annulus: inner r^2
  annIn2: number; // annulus: inner zone inner edge
  annOut2: number; // annulus: inner zone outer edge
  // ellipse metric
  cxx: number;
  cyy: number;
  cxy: number;
  // exact overlap parameters
  r: number; // circle radius / outer radius
  rInner: number; // annulus inner radius
  a: number; // ellipse semi-axes (already scaled for single ellipses)
  b: number;
  theta: number;
}

function emptyShape(kind: number): Shape {
  return {
    kind,
    rx: 0,
    ry: 0,
    r2: 0,
    rIn2: 0,
    rOut2: 0,
    annR2: 0,
    annIn2: 0,
    annOut2: 0,
    cxx: 1,
    cyy: 1,
    cxy: 0,
    r: 0,
    rInner: 0,
    a: 1,
    b: 1,
    theta: 0,
  };
}

const HALF_DIAG = 0.7072;

function zoneIn2(r: number, margin: number): number {
  const v = r - margin;
  return v > 0 ? v * v : 0;
}

function zoneOut2(r: number, margin: number): number {
  const v = r + margin;
  return v * v;
}

/** cxx, cyy, cxy of an ellipse given a, b, theta (SEP's sep_ellipse_coeffs). */
export function ellipseCoefficients(a: number, b: number, theta: number): { cxx: number; cyy: number; cxy: number } {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return {
    cxx: (c * c) / (a * a) + (s * s) / (b * b),
    cyy: (s * s) / (a * a) + (c * c) / (b * b),
    cxy: 2 * c * s * (1 / (a * a) - 1 / (b * b)),
  };
}

/** Half extents of the box holding the ellipse cxx x^2 + cyy y^2 + cxy xy = r^2. */
export function ellipseBoxHalfSize(cxx: number, cyy: number, cxy: number, r: number): [number, number] {
  let dx = cxx - (cxy * cxy) / (4 * cyy);
  dx = dx > 0 ? r / Math.sqrt(dx) : 0;
  let dy = cyy - (cxy * cxy) / (4 * cxx);
  dy = dy > 0 ? r / Math.sqrt(dy) : 0;
  return [dx, dy];
}

export function circleShape(r: number): Shape {
  const s = emptyShape(SHAPE_CIRCLE);
  s.rx = s.ry = r;
  s.r = r;
  s.r2 = r * r;
  s.rIn2 = zoneIn2(r, HALF_DIAG);
  s.rOut2 = zoneOut2(r, HALF_DIAG);
  return s;
}

export function ellipseShape(a: number, b: number, theta: number, r: number): Shape {
  const s = emptyShape(SHAPE_ELLIPSE);
  const c = ellipseCoefficients(a, b, theta);
  s.cxx = c.cxx;
  s.cyy = c.cyy;
  s.cxy = c.cxy;
  s.r2 = r * r;
  s.rIn2 = zoneIn2(r, HALF_DIAG / b);
  s.rOut2 = zoneOut2(r, HALF_DIAG / b);
  [s.rx, s.ry] = ellipseBoxHalfSize(c.cxx, c.cyy, c.cxy, r);
  s.a = a * r;
  s.b = b * r;
  s.theta = theta;
  return s;
}

export function circAnnShape(rin: number, rout: number): Shape {
  const s = emptyShape(SHAPE_CIRCANN);
  s.rx = s.ry = rout;
  s.r = rout;
  s.rInner = rin;
  s.r2 = rout * rout;
  s.rIn2 = zoneIn2(rout, HALF_DIAG);
  s.rOut2 = zoneOut2(rout, HALF_DIAG);
  s.annR2 = rin * rin;
  s.annIn2 = zoneIn2(rin, HALF_DIAG);
  s.annOut2 = zoneOut2(rin, HALF_DIAG);
  return s;
}

export function ellipAnnShape(a: number, b: number, theta: number, rin: number, rout: number): Shape {
  const s = emptyShape(SHAPE_ELLIPANN);
  const c = ellipseCoefficients(a, b, theta);
  s.cxx = c.cxx;
  s.cyy = c.cyy;
  s.cxy = c.cxy;
  s.r = rout;
  s.rInner = rin;
  s.r2 = rout * rout;
  s.rIn2 = zoneIn2(rout, HALF_DIAG / b);
  s.rOut2 = zoneOut2(rout, HALF_DIAG / b);
  s.annR2 = rin * rin;
  s.annIn2 = zoneIn2(rin, HALF_DIAG / b);
  s.annOut2 = zoneOut2(rin, HALF_DIAG / b);
  [s.rx, s.ry] = ellipseBoxHalfSize(c.cxx, c.cyy, c.cxy, rout);
  s.a = a;
  s.b = b;
  s.theta = theta;
  return s;
}

/** Bounding box [xmin, xmax) x [ymin, ymax) clipped to the image, SEP rounding. */
export interface Box {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  truncated: boolean;
}

export function boxExtent(x: number, y: number, rx: number, ry: number, w: number, h: number, out: Box): void {
  let xmin = Math.trunc(x - rx + 0.5);
  let xmax = Math.trunc(x + rx + 1.4999999);
  let ymin = Math.trunc(y - ry + 0.5);
  let ymax = Math.trunc(y + ry + 1.4999999);
  let truncated = false;
  if (xmin < 0) {
    xmin = 0;
    truncated = true;
  }
  if (xmax > w) {
    xmax = w;
    truncated = true;
  }
  if (ymin < 0) {
    ymin = 0;
    truncated = true;
  }
  if (ymax > h) {
    ymax = h;
    truncated = true;
  }
  out.xmin = xmin;
  out.xmax = xmax;
  out.ymin = ymin;
  out.ymax = ymax;
  out.truncated = truncated;
}

/** Output of one aperture sum. */
export interface SumResult {
  sum: number;
  sumVar: number;
  /** Total overlap area (masked included, unless maskIgnore). */
  area: number;
  flag: number;
}

function exactOverlap(s: Shape, dx: number, dy: number): number {
  switch (s.kind) {
    case SHAPE_CIRCLE:
      return circOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, s.r);
    case SHAPE_ELLIPSE:
      return ellipOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, s.a, s.b, s.theta);
    case SHAPE_CIRCANN:
      return (
        circOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, s.r) -
        circOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, s.rInner)
      );
    default:
      return (
        ellipOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, s.a * s.r, s.b * s.r, s.theta) -
        ellipOverlap(dx - 0.5, dy - 0.5, dx + 0.5, dy + 0.5, s.a * s.rInner, s.b * s.rInner, s.theta)
      );
  }
}

const box: Box = { xmin: 0, xmax: 0, ymin: 0, ymax: 0, truncated: false };

/**
 * Sum the pixels of `src` inside `shape` centred at (x, y). `subpix` 0 is
 * exact overlap, n >= 1 samples n x n points per boundary pixel. With
 * `maskIgnore` the masked area is removed from the area instead of being
 * filled with the mean of the unmasked pixels. Non-finite pixels and
 * negative / non-finite variances count as masked.
 */
export function sumShapeGeneric(
  src: PixelSource,
  shape: Shape,
  x: number,
  y: number,
  subpix: number,
  maskIgnore: boolean,
  out: SumResult,
): void {
  const { data, width, isFloat32, noise, noiseIsStd, mask, maskThresh } = src;
  let flag = 0;
  let tv = 0;
  let sigtv = 0;
  let totarea = 0;
  let maskarea = 0;
  let correct = mask !== undefined;
  const kind = shape.kind;
  const isEllipse = kind === SHAPE_ELLIPSE || kind === SHAPE_ELLIPANN;
  const isAnnulus = kind === SHAPE_CIRCANN || kind === SHAPE_ELLIPANN;
  const { cxx, cyy, cxy, r2, rIn2, rOut2, annR2, annIn2, annOut2 } = shape;
  const scale = subpix > 0 ? 1 / subpix : 1;
  const scale2 = scale * scale;
  const offset = 0.5 * (scale - 1);
  let varpix = src.scalarVar;

  boxExtent(x, y, shape.rx, shape.ry, width, src.height, box);
  if (box.truncated) flag |= APER_TRUNC;
  const { xmin, xmax, ymin, ymax } = box;

  for (let iy = ymin; iy < ymax; iy++) {
    const row = iy * width;
    const dy0 = iy - y;
    for (let ix = xmin; ix < xmax; ix++) {
      const dx0 = ix - x;
      const rpix2 = isEllipse ? cxx * dx0 * dx0 + cyy * dy0 * dy0 + cxy * dx0 * dy0 : dx0 * dx0 + dy0 * dy0;
      const inZone = isAnnulus ? rpix2 < rOut2 && rpix2 > annIn2 : rpix2 < rOut2;
      if (!inZone) continue;
      const boundary = isAnnulus ? rpix2 > rIn2 || rpix2 < annOut2 : rpix2 > rIn2;
      let overlap: number;
      if (boundary) {
        if (subpix === 0) {
          overlap = exactOverlap(shape, dx0, dy0);
        } else {
          overlap = 0;
          let dy = dy0 + offset;
          const dxs = dx0 + offset;
          for (let sy = subpix; sy--; dy += scale) {
            let dx1 = dxs;
            const dy2 = dy * dy;
            for (let sx = subpix; sx--; dx1 += scale) {
              const rp2 = isEllipse ? cxx * dx1 * dx1 + cyy * dy2 + cxy * dx1 * dy : dx1 * dx1 + dy2;
              if (isAnnulus ? rp2 < r2 && rp2 > annR2 : rp2 < r2) overlap += scale2;
            }
          }
        }
      } else {
        overlap = 1;
      }

      const i = row + ix;
      const raw = data[i];
      const pix = isFloat32 ? raw : Math.fround(raw);
      let bad = !Number.isFinite(pix);
      if (noise !== undefined) {
        const e = noise[i];
        varpix = noiseIsStd ? Math.fround(e * e) : Math.fround(e);
        if (!(varpix >= 0) || varpix === Infinity) bad = true;
      }
      if (bad) correct = true;
      if (bad || (mask !== undefined && mask[i] > maskThresh)) {
        flag |= APER_HASMASKED;
        maskarea += overlap;
      } else {
        tv += pix * overlap;
        sigtv += varpix * overlap;
      }
      totarea += overlap;
    }
  }

  if (correct) {
    if (maskIgnore) {
      totarea -= maskarea;
    } else {
      const tmp = totarea / (totarea - maskarea);
      tv *= tmp;
      sigtv *= tmp;
    }
    if (maskarea > 0 && !(totarea - (maskIgnore ? 0 : maskarea) > 0)) flag |= APER_ALLMASKED;
  }
  if (src.gain > 0 && tv > 0) sigtv += tv / src.gain;
  out.sum = tv;
  out.sumVar = sigtv;
  out.area = totarea;
  out.flag = flag;
}

/**
 * Dispatch: circles and circular annuli go through specialised kernels (a
 * fast path assuming finite pixels, redone by the generic loop when the sum
 * turns out non-finite); everything else through {@link sumShapeGeneric}.
 * Same results (to rounding of the variance sum).
 */
export function sumShape(
  src: PixelSource,
  shape: Shape,
  x: number,
  y: number,
  subpix: number,
  maskIgnore: boolean,
  out: SumResult,
): void {
  if (src.noise === undefined && (shape.kind === SHAPE_CIRCLE || shape.kind === SHAPE_CIRCANN) && subpix > 0) {
    if (shape.kind === SHAPE_CIRCLE ? circleKernel(src, shape, x, y, subpix, maskIgnore, out) : circAnnKernel(src, shape, x, y, subpix, maskIgnore, out)) return;
  }
  sumShapeGeneric(src, shape, x, y, subpix, maskIgnore, out);
}

function finish(
  src: PixelSource,
  tv: number,
  sigtv: number,
  totarea: number,
  maskarea: number,
  flag: number,
  maskIgnore: boolean,
  out: SumResult,
): void {
  if (src.mask !== undefined) {
    if (maskIgnore) {
      totarea -= maskarea;
    } else {
      const tmp = totarea / (totarea - maskarea);
      tv *= tmp;
      sigtv *= tmp;
    }
    if (maskarea > 0 && !(totarea - (maskIgnore ? 0 : maskarea) > 0)) flag |= APER_ALLMASKED;
  }
  if (src.gain > 0 && tv > 0) sigtv += tv / src.gain;
  out.sum = tv;
  out.sumVar = sigtv;
  out.area = totarea;
  out.flag = flag;
}

/** Circle, scalar noise, subpix >= 1. Returns false when a non-finite pixel was met (caller redoes it). */
function circleKernel(
  src: PixelSource,
  shape: Shape,
  x: number,
  y: number,
  subpix: number,
  maskIgnore: boolean,
  out: SumResult,
): boolean {
  const { data, width, isFloat32, mask, maskThresh } = src;
  const { r2, rIn2, rOut2 } = shape;
  const scale = 1 / subpix;
  const scale2 = scale * scale;
  const offset = 0.5 * (scale - 1);
  boxExtent(x, y, shape.rx, shape.ry, width, src.height, box);
  const flag = box.truncated ? APER_TRUNC : 0;
  const { xmin, xmax, ymin, ymax } = box;
  let tv = 0;
  let totarea = 0;
  let maskarea = 0;
  let hasMasked = false;
  for (let iy = ymin; iy < ymax; iy++) {
    const row = iy * width;
    const dy0 = iy - y;
    const dy02 = dy0 * dy0;
    if (!(dy02 < rOut2)) continue;
    // only the columns that can be inside rOut (one extra each side; the test below decides)
    const half = Math.sqrt(rOut2 - dy02);
    const x0 = Math.max(xmin, Math.floor(x - half) - 1);
    const x1 = Math.min(xmax, Math.ceil(x + half) + 2);
    for (let ix = x0; ix < x1; ix++) {
      const dx0 = ix - x;
      const rpix2 = dx0 * dx0 + dy02;
      if (!(rpix2 < rOut2)) continue;
      let overlap = 1;
      if (rpix2 > rIn2) {
        overlap = 0;
        let dy = dy0 + offset;
        const dxs = dx0 + offset;
        for (let sy = subpix; sy--; dy += scale) {
          let dx1 = dxs;
          const dy2 = dy * dy;
          for (let sx = subpix; sx--; dx1 += scale) if (dx1 * dx1 + dy2 < r2) overlap += scale2;
        }
      }
      const i = row + ix;
      const pix = isFloat32 ? data[i] : Math.fround(data[i]);
      if (mask !== undefined && mask[i] > maskThresh) {
        hasMasked = true;
        maskarea += overlap;
      } else tv += pix * overlap;
      totarea += overlap;
    }
  }
  if (!Number.isFinite(tv)) return false;
  const sigtv = src.scalarVar * (totarea - maskarea);
  finish(src, tv, sigtv, totarea, maskarea, hasMasked ? flag | APER_HASMASKED : flag, maskIgnore, out);
  return true;
}

/** Circular annulus, scalar noise, subpix >= 1 (see circleKernel). */
function circAnnKernel(
  src: PixelSource,
  shape: Shape,
  x: number,
  y: number,
  subpix: number,
  maskIgnore: boolean,
  out: SumResult,
): boolean {
  const { data, width, isFloat32, mask, maskThresh } = src;
  const { r2, rIn2, rOut2, annR2, annIn2, annOut2 } = shape;
  const scale = 1 / subpix;
  const scale2 = scale * scale;
  const offset = 0.5 * (scale - 1);
  boxExtent(x, y, shape.rx, shape.ry, width, src.height, box);
  const flag = box.truncated ? APER_TRUNC : 0;
  const { xmin, xmax, ymin, ymax } = box;
  let tv = 0;
  let totarea = 0;
  let maskarea = 0;
  let hasMasked = false;
  for (let iy = ymin; iy < ymax; iy++) {
    const row = iy * width;
    const dy0 = iy - y;
    const dy02 = dy0 * dy0;
    if (!(dy02 < rOut2)) continue;
    // only the columns that can be inside rOut (one extra each side; the test below decides)
    const half = Math.sqrt(rOut2 - dy02);
    const x0 = Math.max(xmin, Math.floor(x - half) - 1);
    const x1 = Math.min(xmax, Math.ceil(x + half) + 2);
    for (let ix = x0; ix < x1; ix++) {
      const dx0 = ix - x;
      const rpix2 = dx0 * dx0 + dy02;
      if (!(rpix2 < rOut2 && rpix2 > annIn2)) continue;
      let overlap = 1;
      if (rpix2 > rIn2 || rpix2 < annOut2) {
        overlap = 0;
        let dy = dy0 + offset;
        const dxs = dx0 + offset;
        for (let sy = subpix; sy--; dy += scale) {
          let dx1 = dxs;
          const dy2 = dy * dy;
          for (let sx = subpix; sx--; dx1 += scale) {
            const rp2 = dx1 * dx1 + dy2;
            if (rp2 < r2 && rp2 > annR2) overlap += scale2;
          }
        }
      }
      const i = row + ix;
      const pix = isFloat32 ? data[i] : Math.fround(data[i]);
      if (mask !== undefined && mask[i] > maskThresh) {
        hasMasked = true;
        maskarea += overlap;
      } else tv += pix * overlap;
      totarea += overlap;
    }
  }
  if (!Number.isFinite(tv)) return false;
  const sigtv = src.scalarVar * (totarea - maskarea);
  finish(src, tv, sigtv, totarea, maskarea, hasMasked ? flag | APER_HASMASKED : flag, maskIgnore, out);
  return true;
}
