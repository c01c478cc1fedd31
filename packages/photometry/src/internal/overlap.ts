/**
 * Exact overlap areas between a pixel (an axis-aligned rectangle) and a
 * circle or an ellipse centred on the origin. Same geometry as SEP's
 * overlap.h (after Thomas Robitaille's photutils code): circle segments via
 * the circular-segment area, ellipses by mapping the rectangle to the unit
 * circle frame and splitting it into two triangles.
 */

const PI = Math.PI;

/** Area of the circular segment cut by the chord (x1,y1)-(x2,y2) of a circle of radius r. */
function arcArea(x1: number, y1: number, x2: number, y2: number, r: number): number {
  const chord = Math.sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
  const theta = 2 * Math.asin((0.5 * chord) / r);
  return 0.5 * r * r * (theta - Math.sin(theta));
}

function triangleArea(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): number {
  return 0.5 * Math.abs(x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2));
}

/** Overlap of the rectangle [xmin,xmax]x[ymin,ymax] (all >= 0) with a circle of radius r. */
function circOverlapQuadrant(xmin: number, ymin: number, xmax: number, ymax: number, r: number): number {
  const xmin2 = xmin * xmin;
  const ymin2 = ymin * ymin;
  const r2 = r * r;
  if (xmin2 + ymin2 > r2) return 0;
  const xmax2 = xmax * xmax;
  const ymax2 = ymax * ymax;
  if (xmax2 + ymax2 < r2) return (xmax - xmin) * (ymax - ymin);
  const lowerRightInside = xmax2 + ymin2 < r2;
  const upperLeftInside = xmin2 + ymax2 < r2;
  if (lowerRightInside && upperLeftInside) {
    const x1 = Math.sqrt(r2 - ymax2);
    const y2 = Math.sqrt(r2 - xmax2);
    return (
      (xmax - xmin) * (ymax - ymin) -
      triangleArea(x1, ymax, xmax, y2, xmax, ymax) +
      arcArea(x1, ymax, xmax, y2, r)
    );
  }
  if (lowerRightInside) {
    const y1 = Math.sqrt(r2 - xmin2);
    const y2 = Math.sqrt(r2 - xmax2);
    return (
      arcArea(xmin, y1, xmax, y2, r) +
      triangleArea(xmin, y1, xmin, ymin, xmax, ymin) +
      triangleArea(xmin, y1, xmax, ymin, xmax, y2)
    );
  }
  if (upperLeftInside) {
    const x1 = Math.sqrt(r2 - ymin2);
    const x2 = Math.sqrt(r2 - ymax2);
    return (
      arcArea(x1, ymin, x2, ymax, r) +
      triangleArea(x1, ymin, xmin, ymin, xmin, ymax) +
      triangleArea(x1, ymin, xmin, ymax, x2, ymax)
    );
  }
  const x1 = Math.sqrt(r2 - ymin2);
  const y2 = Math.sqrt(r2 - xmin2);
  return arcArea(x1, ymin, xmin, y2, r) + triangleArea(x1, ymin, xmin, y2, xmin, ymin);
}

/**
 * Area of overlap between the rectangle [xmin,xmax]x[ymin,ymax] and the
 * circle of radius r centred on the origin.
 */
export function circOverlap(xmin: number, ymin: number, xmax: number, ymax: number, r: number): number {
  if (r <= 0) return 0;
  if (xmin >= 0) {
    if (ymin >= 0) return circOverlapQuadrant(xmin, ymin, xmax, ymax, r);
    if (ymax <= 0) return circOverlapQuadrant(-ymax, xmin, -ymin, xmax, r);
    return circOverlap(xmin, ymin, xmax, 0, r) + circOverlap(xmin, 0, xmax, ymax, r);
  }
  if (xmax <= 0) {
    if (ymin >= 0) return circOverlapQuadrant(-xmax, ymin, -xmin, ymax, r);
    if (ymax <= 0) return circOverlapQuadrant(-xmax, -ymax, -xmin, -ymin, r);
    return circOverlap(xmin, ymin, xmax, 0, r) + circOverlap(xmin, 0, xmax, ymax, r);
  }
  if (ymin >= 0 || ymax <= 0) {
    return circOverlap(xmin, ymin, 0, ymax, r) + circOverlap(0, ymin, xmax, ymax, r);
  }
  return (
    circOverlap(xmin, ymin, 0, 0, r) +
    circOverlap(0, ymin, xmax, 0, r) +
    circOverlap(xmin, 0, 0, ymax, r) +
    circOverlap(0, 0, xmax, ymax, r)
  );
}

// ---------------------------------------------------------------------------
// Ellipse: work in the frame where the ellipse is the unit circle.

interface Pt {
  x: number;
  y: number;
}

const NO_POINT = 2; // coordinates > 1 mean "no intersection"

/** Both intersections of the infinite line through two points with the unit circle. */
function unitCircleLine(x1: number, y1: number, x2: number, y2: number): [Pt, Pt] {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const tol = 1e-10;
  const none: [Pt, Pt] = [
    { x: NO_POINT, y: NO_POINT },
    { x: NO_POINT, y: NO_POINT },
  ];
  if (Math.abs(dx) < tol && Math.abs(dy) < tol) return none;
  if (Math.abs(dx) > Math.abs(dy)) {
    const a = dy / dx;
    const b = y1 - a * x1;
    let delta = 1 + a * a - b * b;
    if (!(delta > 0)) return none;
    delta = Math.sqrt(delta);
    const px1 = (-a * b - delta) / (1 + a * a);
    const px2 = (-a * b + delta) / (1 + a * a);
    return [
      { x: px1, y: a * px1 + b },
      { x: px2, y: a * px2 + b },
    ];
  }
  const a = dx / dy;
  const b = x1 - a * y1;
  let delta = 1 + a * a - b * b;
  if (!(delta > 0)) return none;
  delta = Math.sqrt(delta);
  const py1 = (-a * b - delta) / (1 + a * a);
  const py2 = (-a * b + delta) / (1 + a * a);
  return [
    { x: a * py1 + b, y: py1 },
    { x: a * py2 + b, y: py2 },
  ];
}

/** The intersection of the line (x1,y1)-(x2,y2) with the unit circle closest to (x2, y2). */
function unitCircleNearest(x1: number, y1: number, x2: number, y2: number): Pt {
  const [p1, p2] = unitCircleLine(x1, y1, x2, y2);
  const dx1 = Math.abs(p1.x - x2);
  const dy1 = Math.abs(p1.y - y2);
  const dx2 = Math.abs(p2.x - x2);
  const dy2 = Math.abs(p2.y - y2);
  if (dx1 > dy1) return dx1 > dx2 ? p2 : p1;
  return dy1 > dy2 ? p2 : p1;
}

function outsideSegment(p: Pt, x1: number, y1: number, x2: number, y2: number): boolean {
  return (
    (p.x > x1 && p.x > x2) || (p.x < x1 && p.x < x2) || (p.y > y1 && p.y > y2) || (p.y < y1 && p.y < y2)
  );
}

/** Intersections of the segment with the unit circle; missing ones have x > 1, listed second. */
function unitCircleSegment(x1: number, y1: number, x2: number, y2: number): [Pt, Pt] {
  let [p1, p2] = unitCircleLine(x1, y1, x2, y2);
  if (outsideSegment(p1, x1, y1, x2, y2)) p1 = { x: NO_POINT, y: NO_POINT };
  if (outsideSegment(p2, x1, y1, x2, y2)) p2 = { x: NO_POINT, y: NO_POINT };
  if (p1.x > 1 && p2.x < 2) return [p1, p2];
  return [p2, p1];
}

function pointInTriangle(
  x: number,
  y: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  x3: number,
  y3: number,
): boolean {
  let c = 0;
  if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) c++;
  if (y2 > y !== y3 > y && x < ((x3 - x2) * (y - y2)) / (y3 - y2) + x2) c++;
  if (y3 > y !== y1 > y && x < ((x1 - x3) * (y - y3)) / (y1 - y3) + x3) c++;
  return c % 2 === 1;
}

/** Area of overlap between a triangle and the unit circle. */
function triangleUnitCircleOverlap(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
): number {
  // Order the vertices by distance from the origin: 1 nearest, 3 farthest.
  const v = [
    { x: ax, y: ay, d: ax * ax + ay * ay },
    { x: bx, y: by, d: bx * bx + by * by },
    { x: cx, y: cy, d: cx * cx + cy * cy },
  ];
  orderByDistance(v);
  const { x: x1, y: y1, d: d1 } = v[0];
  const { x: x2, y: y2, d: d2 } = v[1];
  const { x: x3, y: y3, d: d3 } = v[2];

  const in1 = d1 < 1;
  const in2 = d2 < 1;
  const in3 = d3 < 1;
  const on1 = Math.abs(d1 - 1) < 1e-10;
  const on2 = Math.abs(d2 - 1) < 1e-10;
  const on3 = Math.abs(d3 - 1) < 1e-10;

  if (on3 || in3) return triangleArea(x1, y1, x2, y2, x3, y3);

  if (in2 || on2) {
    const cross13 = !on1 || x1 * (x3 - x1) + y1 * (y3 - y1) < 0;
    const cross23 = !on2 || x2 * (x3 - x2) + y2 * (y3 - y2) < 0;
    if (cross13 && cross23) {
      const p1 = unitCircleNearest(x1, y1, x3, y3);
      const p2 = unitCircleNearest(x2, y2, x3, y3);
      return (
        triangleArea(x1, y1, x2, y2, p1.x, p1.y) +
        triangleArea(x2, y2, p1.x, p1.y, p2.x, p2.y) +
        arcArea(p1.x, p1.y, p2.x, p2.y, 1)
      );
    }
    if (cross13) {
      const p1 = unitCircleNearest(x1, y1, x3, y3);
      return triangleArea(x1, y1, x2, y2, p1.x, p1.y) + arcArea(x2, y2, p1.x, p1.y, 1);
    }
    if (cross23) {
      const p2 = unitCircleNearest(x2, y2, x3, y3);
      return triangleArea(x1, y1, x2, y2, p2.x, p2.y) + arcArea(x1, y1, p2.x, p2.y, 1);
    }
    return arcArea(x1, y1, x2, y2, 1);
  }

  if (in1) {
    let [p1, p2] = unitCircleSegment(x2, y2, x3, y3);
    const p3 = unitCircleNearest(x1, y1, x2, y2);
    const p4 = unitCircleNearest(x1, y1, x3, y3);
    if (p1.x > 1) {
      // The far side misses the circle: the arc spans more than pi when the
      // origin and vertex 1 are on different sides of the chord p3-p4.
      const originLeft = (0 - p3.y) * (p4.x - p3.x) > (p4.y - p3.y) * (0 - p3.x);
      const vertexLeft = (y1 - p3.y) * (p4.x - p3.x) > (p4.y - p3.y) * (x1 - p3.x);
      const tri = triangleArea(x1, y1, p3.x, p3.y, p4.x, p4.y);
      if (originLeft !== vertexLeft) return tri + PI - arcArea(p3.x, p3.y, p4.x, p4.y, 1);
      return tri + arcArea(p3.x, p3.y, p4.x, p4.y, 1);
    }
    if ((p2.x - x2) * (p2.x - x2) + (p2.y - y2) * (p2.y - y2) < (p1.x - x2) * (p1.x - x2) + (p1.y - y2) * (p1.y - y2)) {
      const t = p1;
      p1 = p2;
      p2 = t;
    }
    return (
      triangleArea(x1, y1, p3.x, p3.y, p1.x, p1.y) +
      triangleArea(x1, y1, p1.x, p1.y, p2.x, p2.y) +
      triangleArea(x1, y1, p2.x, p2.y, p4.x, p4.y) +
      arcArea(p1.x, p1.y, p3.x, p3.y, 1) +
      arcArea(p2.x, p2.y, p4.x, p4.y, 1)
    );
  }

  // All three vertices outside: split at the midpoint of a crossing side.
  const [s1, s2] = unitCircleSegment(x1, y1, x2, y2);
  const [s3, s4] = unitCircleSegment(x2, y2, x3, y3);
  const [s5, s6] = unitCircleSegment(x3, y3, x1, y1);
  if (s1.x <= 1) {
    const xp = 0.5 * (s1.x + s2.x);
    const yp = 0.5 * (s1.y + s2.y);
    return triangleUnitCircleOverlap(x1, y1, x3, y3, xp, yp) + triangleUnitCircleOverlap(x2, y2, x3, y3, xp, yp);
  }
  if (s3.x <= 1) {
    const xp = 0.5 * (s3.x + s4.x);
    const yp = 0.5 * (s3.y + s4.y);
    return triangleUnitCircleOverlap(x3, y3, x1, y1, xp, yp) + triangleUnitCircleOverlap(x2, y2, x1, y1, xp, yp);
  }
  if (s5.x <= 1) {
    const xp = 0.5 * (s5.x + s6.x);
    const yp = 0.5 * (s5.y + s6.y);
    return triangleUnitCircleOverlap(x1, y1, x2, y2, xp, yp) + triangleUnitCircleOverlap(x3, y3, x2, y2, xp, yp);
  }
  return pointInTriangle(0, 0, x1, y1, x2, y2, x3, y3) ? PI : 0;
}

/** Sort three vertices by distance, with the same tie handling as SEP. */
function orderByDistance(v: { x: number; y: number; d: number }[]): void {
  const [a, b, c] = v;
  if (a.d < b.d) {
    if (b.d < c.d) return;
    if (a.d < c.d) {
      v[1] = c;
      v[2] = b;
    } else {
      v[0] = c;
      v[1] = a;
      v[2] = b;
    }
  } else if (a.d < c.d) {
    v[0] = b;
    v[1] = a;
  } else if (b.d < c.d) {
    v[0] = b;
    v[1] = c;
    v[2] = a;
  } else {
    v[0] = c;
    v[2] = a;
  }
}

/**
 * Area of overlap between the rectangle [xmin,xmax]x[ymin,ymax] and the
 * ellipse centred on the origin with semi-axes a (along theta) and b.
 */
export function ellipOverlap(
  xmin: number,
  ymin: number,
  xmax: number,
  ymax: number,
  a: number,
  b: number,
  theta: number,
): number {
  const c = Math.cos(-theta);
  const s = Math.sin(-theta);
  const x1 = (xmin * c - ymin * s) / a;
  const y1 = (xmin * s + ymin * c) / b;
  const x2 = (xmax * c - ymin * s) / a;
  const y2 = (xmax * s + ymin * c) / b;
  const x3 = (xmax * c - ymax * s) / a;
  const y3 = (xmax * s + ymax * c) / b;
  const x4 = (xmin * c - ymax * s) / a;
  const y4 = (xmin * s + ymax * c) / b;
  return a * b * (triangleUnitCircleOverlap(x1, y1, x2, y2, x3, y3) + triangleUnitCircleOverlap(x1, y1, x4, y4, x3, y3));
}
