/**
 * The background between mesh centres: a natural bicubic spline (SEP's
 * makebackspline and bkg_line), in float32 as SEP computes it.
 */

const f32 = Math.fround;

export /**
 * Second derivatives along y of a natural cubic spline through each column of
 * the mesh grid (SEP's makebackspline), in float32 as SEP does.
 */
function makeSpline(map: Float32Array, nbx: number, nby: number): Float32Array {
  const dmap = new Float32Array(nbx * nby);
  if (nby < 2) return dmap;
  const u = new Float32Array(nby - 1);
  for (let x = 0; x < nbx; x++) {
    dmap[x] = 0;
    u[0] = 0;
    for (let y = 1; y < nby - 1; y++) {
      const i = y * nbx + x;
      let temp = f32(-1 / f32(dmap[i - nbx] + 4));
      dmap[i] = temp;
      const curv = f32(f32(f32(map[i + nbx] + map[i - nbx]) - f32(2 * map[i])) * 6);
      temp = f32(temp * f32(u[y - 1] - curv));
      u[y] = temp;
    }
    dmap[(nby - 1) * nbx + x] = 0;
    for (let y = nby - 2; y >= 1; y--) {
      const i = y * nbx + x;
      dmap[i] = f32(f32(f32(dmap[i] * dmap[i + nbx]) + u[y]) / 6);
    }
  }
  return dmap;
}

/** Evaluates the bicubic spline one image row at a time (SEP's bkg_line). */
export class LineInterpolator {
  private readonly node: Float32Array;
  private readonly dnode: Float32Array;
  private readonly u: Float32Array;
  // Per column (the same for every row): left node, dx, 1 - dx and the
  // cubic factors dx^2 - 1, (1 - dx)^2 - 1, as SEP's running dx gives them.
  readonly segStart: Int32Array;
  /** Per column: 1 - dx, (1 - dx)^2 - 1, dx, dx^2 - 1 (interleaved). */
  readonly coef: Float32Array;

  constructor(
    private readonly w: number,
    private readonly nbx: number,
    private readonly nby: number,
    bw: number,
    private readonly bh: number,
  ) {
    this.node = new Float32Array(nbx);
    this.dnode = new Float32Array(nbx);
    this.u = new Float32Array(Math.max(1, nbx - 1));
    this.segStart = new Int32Array(Math.max(2, nbx));
    this.coef = new Float32Array(4 * w);
    if (nbx > 1) {
      const nx = bw;
      const xstep = f32(1 / nx);
      const changepoint = nx >> 1;
      let dx = f32(f32(xstep - 1) / 2);
      const dx0 = f32(f32(((nx + 1) % 2) * xstep) / 2);
      let lo = 0;
      let xm = 0;
      let i = 0;
      for (let px = 0; px < w; px++) {
        if (i === changepoint && xm > 0 && xm < nbx - 1) {
          lo++;
          dx = dx0;
        }
        const cdx = f32(1 - dx);
        this.segStart[lo + 1] = px + 1;
        this.coef[4 * px] = cdx;
        this.coef[4 * px + 1] = f32(f32(cdx * cdx) - 1);
        this.coef[4 * px + 2] = dx;
        this.coef[4 * px + 3] = f32(f32(dx * dx) - 1);
        if (i === nx) {
          xm++;
          i = 0;
        }
        i++;
        dx = f32(dx + xstep);
      }
    }
  }

  full(values: Float32Array, dvalues: Float32Array, h: number, target?: Float32Array): Float32Array {
    const w = this.w;
    const out = target ?? new Float32Array(w * h);
    for (let y = 0; y < h; y++) this.line(values, dvalues, y, out, y * w);
    return out;
  }

  /** Row `y` into `out[off .. off + width)`; returns `out`. */
  line(values: Float32Array, dvalues: Float32Array, y: number, out: Float32Array, off = 0): Float32Array {
    const { nbx, nby, w } = this;
    let node: Float32Array;
    let dnode: Float32Array;
    if (nby > 1) {
      node = this.node;
      dnode = this.dnode;
      let dy = f32(f32(y / this.bh) - 0.5);
      let yl = Math.trunc(dy);
      dy = f32(dy - yl);
      if (yl < 0) {
        yl = 0;
        dy = f32(dy - 1);
      } else if (yl >= nby - 1) {
        yl = nby < 2 ? 0 : nby - 2;
        dy = f32(dy + 1);
      }
      const cdy = f32(1 - dy);
      const dy3 = f32(f32(f32(dy * dy) * dy) - dy);
      const cdy3 = f32(f32(f32(cdy * cdy) * cdy) - cdy);
      const lo = nbx * yl;
      const hi = lo + nbx;
      for (let x = 0; x < nbx; x++) {
        node[x] = f32(
          f32(f32(f32(cdy * values[lo + x]) + f32(dy * values[hi + x])) + f32(cdy3 * dvalues[lo + x])) +
            f32(dy3 * dvalues[hi + x]),
        );
      }
      // second derivatives along x (natural spline)
      if (nbx > 1) {
        const u = this.u;
        dnode[0] = 0;
        u[0] = 0;
        for (let x = 1; x < nbx - 1; x++) {
          let temp = f32(-1 / f32(dnode[x - 1] + 4));
          dnode[x] = temp;
          const curv = f32(f32(f32(node[x + 1] + node[x - 1]) - f32(2 * node[x])) * 6);
          temp = f32(temp * f32(u[x - 1] - curv));
          u[x] = temp;
        }
        dnode[nbx - 1] = 0;
        for (let x = nbx - 2; x >= 1; x--) dnode[x] = f32(f32(f32(dnode[x] * dnode[x + 1]) + u[x]) / 6);
      }
    } else {
      // single mesh row: SEP reuses the (zero) y-derivatives, i.e. linear in x
      node = values;
      dnode = dvalues;
    }

    if (nbx > 1) {
      const { segStart, coef } = this;
      for (let lo = 0; lo < nbx - 1; lo++) {
        const blo = node[lo];
        const dblo = dnode[lo];
        const bhi = node[lo + 1];
        const dbhi = dnode[lo + 1];
        for (let px = segStart[lo], e = segStart[lo + 1]; px < e; px++) {
          // the store rounds the final sum to float32
          const c = 4 * px;
          out[off + px] = f32(coef[c] * f32(blo + f32(coef[c + 1] * dblo))) + f32(coef[c + 2] * f32(bhi + f32(coef[c + 3] * dbhi)));
        }
      }
    } else {
      out.fill(node[0], off, off + w);
    }
    return out;
  }
}
