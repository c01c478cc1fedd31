/**
 * The catalogue columns and segmentation map of the extracted objects
 * (the last step of extractSources).
 */
import type { SourceCatalog } from '../../source-catalog.js';
import type { Obj, PixelList } from './objects.js';

/**
 * Columns of the objects that survived cleaning (`survives[i]`; all when
 * null) and, when asked, the segmentation map.
 */
export function buildCatalog(
  objs: readonly Obj[],
  survives: Uint8Array | null,
  pix: PixelList,
  w: number,
  h: number,
  withSegmap: boolean,
): SourceCatalog {
  let n = 0;
  for (let i = 0; i < objs.length; i++) if (!survives || survives[i]) n++;
  const cat: SourceCatalog = {
    count: n,
    thresh: new Float32Array(n),
    npix: new Int32Array(n),
    tnpix: new Int32Array(n),
    xmin: new Int32Array(n),
    xmax: new Int32Array(n),
    ymin: new Int32Array(n),
    ymax: new Int32Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
    x2: new Float64Array(n),
    y2: new Float64Array(n),
    xy: new Float64Array(n),
    errx2: new Float64Array(n),
    erry2: new Float64Array(n),
    errxy: new Float64Array(n),
    a: new Float32Array(n),
    b: new Float32Array(n),
    theta: new Float32Array(n),
    cxx: new Float32Array(n),
    cyy: new Float32Array(n),
    cxy: new Float32Array(n),
    cflux: new Float32Array(n),
    flux: new Float32Array(n),
    cpeak: new Float32Array(n),
    peak: new Float32Array(n),
    xcpeak: new Int32Array(n),
    ycpeak: new Int32Array(n),
    xpeak: new Int32Array(n),
    ypeak: new Int32Array(n),
    flag: new Uint16Array(n),
  };
  const seg = withSegmap ? new Int32Array(w * h) : null;
  let j = 0;
  for (let i = 0; i < objs.length; i++) {
    if (survives && !survives[i]) continue;
    const o = objs[i];
    cat.thresh[j] = o.thresh;
    cat.npix[j] = o.fdnpix;
    cat.tnpix[j] = o.dnpix;
    cat.xmin[j] = o.xmin;
    cat.xmax[j] = o.xmax;
    cat.ymin[j] = o.ymin;
    cat.ymax[j] = o.ymax;
    cat.x[j] = o.mx;
    cat.y[j] = o.my;
    cat.x2[j] = o.mx2;
    cat.y2[j] = o.my2;
    cat.xy[j] = o.mxy;
    cat.errx2[j] = o.errx2;
    cat.erry2[j] = o.erry2;
    cat.errxy[j] = o.errxy;
    cat.a[j] = o.a;
    cat.b[j] = o.b;
    cat.theta[j] = o.theta;
    cat.cxx[j] = o.cxx;
    cat.cyy[j] = o.cyy;
    cat.cxy[j] = o.cxy;
    cat.cflux[j] = o.fdflux;
    cat.flux[j] = o.dflux;
    cat.cpeak[j] = o.fdpeak;
    cat.peak[j] = o.dpeak;
    cat.xcpeak[j] = o.xcpeak;
    cat.ycpeak[j] = o.ycpeak;
    cat.xpeak[j] = o.xpeak;
    cat.ypeak[j] = o.ypeak;
    cat.flag[j] = o.flag;
    if (seg) {
      for (let p = o.firstpix; p !== -1; p = pix.next[p]) seg[pix.x[p] + w * pix.y[p]] = j + 1;
    }
    j++;
  }
  if (seg) cat.segmentationMap = seg;
  return cat;
}
