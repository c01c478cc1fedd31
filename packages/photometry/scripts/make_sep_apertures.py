#!/usr/bin/python3
"""Generate test/fixtures/sep-apertures.json: SEP 1.2.1 aperture results on a
small synthetic image (hermetic tests) and sum_circle on the raw shared
field.fits (golden test that needs ../shared/data/photometry).

Run from packages/photometry:  /usr/bin/python3 scripts/make_sep_apertures.py
Needs Debian's python3-sep (1.2.1), python3-astropy, python3-numpy.
"""
import json
import os
import sys

import numpy as np
import sep

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'sep-apertures.json')
SHARED = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'data', 'photometry')


def synthetic():
    rng = np.random.default_rng(20240611)
    w, h = 61, 47
    yy, xx = np.mgrid[0:h, 0:w]
    img = 50.0 + 0.3 * xx - 0.2 * yy
    for (x0, y0, f, s) in [(20.3, 15.7, 5000, 1.6), (44.8, 30.2, 2500, 2.3), (8.6, 38.1, 1200, 1.2),
                           (55.1, 6.4, 3000, 1.9)]:
        img += f / (2 * np.pi * s * s) * np.exp(-((xx - x0) ** 2 + (yy - y0) ** 2) / (2 * s * s))
    img += rng.normal(0, 3.0, img.shape)
    img = img.astype(np.float32)
    var = (np.abs(img) * 0.05 + 9.0).astype(np.float32)
    mask = np.zeros((h, w), np.uint8)
    mask[14:17, 22:24] = 1
    mask[28:31, 40:42] = 3
    mask[0:2, 0:61] = 1
    return img, var, mask


def tolist(a):
    # JSON has no NaN: SEP's NaN results (all-masked apertures) are written as null
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    img, var, mask = synthetic()
    h, w = img.shape
    rng = np.random.default_rng(7)
    # positions: the blobs, a random spread (some near/over edges), fully off image
    px = np.concatenate([[20.3, 44.8, 8.6, 55.1, 0.0, 60.0, -2.5, 64.0, 30.0],
                         rng.uniform(-4, w + 3, 40)])
    py = np.concatenate([[15.7, 30.2, 38.1, 6.4, 0.0, 46.0, 20.0, 23.0, -9.0],
                         rng.uniform(-4, h + 3, 40)])
    cases = []

    def add(name, fn, params, kwargs, out):
        cases.append({'name': name, 'fn': fn, 'params': params, 'kwargs': kwargs, 'out': out})

    for r in (2.5, 4.0, 7.3):
        for subpix in (0, 1, 5, 11):
            s, e, f = sep.sum_circle(img, px, py, r, subpix=subpix)
            add(f'circle r={r} subpix={subpix}', 'sumCircle', {'r': r},
                {'subpix': subpix}, {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 4.0, err=3.0, gain=2.0)
    add('circle err scalar gain', 'sumCircle', {'r': 4.0}, {'err': 3.0, 'gain': 2.0},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 4.0, var=var, gain=1.5, subpix=0)
    add('circle var array gain exact', 'sumCircle', {'r': 4.0}, {'var': 'array', 'gain': 1.5, 'subpix': 0},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 4.0, err=np.sqrt(var), subpix=5)
    add('circle err array', 'sumCircle', {'r': 4.0}, {'err': 'array', 'subpix': 5},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 4.0, var=9.0, mask=mask, subpix=5)
    add('circle mask', 'sumCircle', {'r': 4.0}, {'var': 9.0, 'mask': True, 'subpix': 5},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 4.0, var=9.0, mask=mask, maskthresh=1.0, subpix=0)
    add('circle mask maskthresh=1 exact', 'sumCircle', {'r': 4.0},
        {'var': 9.0, 'mask': True, 'maskThresh': 1.0, 'subpix': 0},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 3.0, err=3.0, gain=1.0, bkgann=(6.0, 9.0))
    add('circle bkgann', 'sumCircle', {'r': 3.0}, {'err': 3.0, 'gain': 1.0, 'bkgann': [6.0, 9.0]},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circle(img, px, py, 3.0, var=var, mask=mask, bkgann=(5.0, 8.5), subpix=0)
    add('circle bkgann mask var exact', 'sumCircle', {'r': 3.0},
        {'var': 'array', 'mask': True, 'bkgann': [5.0, 8.5], 'subpix': 0},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})

    # ellipses
    a = 3.2
    b = 1.9
    for theta in (0.0, 0.7, -1.2, np.pi / 2):
        for subpix in (0, 5):
            s, e, f = sep.sum_ellipse(img, px, py, a, b, theta, 1.5, err=2.0, gain=1.0, subpix=subpix)
            add(f'ellipse theta={theta:.3f} subpix={subpix}', 'sumEllipse',
                {'a': a, 'b': b, 'theta': float(theta), 'r': 1.5}, {'err': 2.0, 'gain': 1.0, 'subpix': subpix},
                {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_ellipse(img, px, py, a, b, 0.4, 1.0, var=var, mask=mask, bkgann=(6.0, 9.0))
    add('ellipse mask bkgann', 'sumEllipse', {'a': a, 'b': b, 'theta': 0.4, 'r': 1.0},
        {'var': 'array', 'mask': True, 'bkgann': [6.0, 9.0]},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_ellipse(img, px, py, 2.0, 2.0, 0.0, 2.0, subpix=0)
    add('ellipse round exact', 'sumEllipse', {'a': 2.0, 'b': 2.0, 'theta': 0.0, 'r': 2.0}, {'subpix': 0},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})

    # annuli
    for subpix in (0, 1, 5):
        s, e, f = sep.sum_circann(img, px, py, 2.5, 6.0, err=3.0, gain=1.0, subpix=subpix)
        add(f'circann subpix={subpix}', 'sumCircAnn', {'rin': 2.5, 'rout': 6.0},
            {'err': 3.0, 'gain': 1.0, 'subpix': subpix},
            {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})
    s, e, f = sep.sum_circann(img, px, py, 0.0, 4.0, var=var, mask=mask)
    add('circann rin=0 mask', 'sumCircAnn', {'rin': 0.0, 'rout': 4.0}, {'var': 'array', 'mask': True},
        {'sum': tolist(s), 'sumErr': tolist(e), 'flags': tolist(f)})

    # Kron radius, flux radius, windowed positions (on the sky-subtracted image)
    sub = (img - 50.0).astype(np.float32)
    for theta in (0.0, 0.9):
        kr, kf = sep.kron_radius(sub, px, py, 2.0, 1.5, theta, 6.0)
        add(f'kron theta={theta}', 'kronRadius', {'a': 2.0, 'b': 1.5, 'theta': theta, 'r': 6.0},
            {'image': 'minus50'}, {'kronrad': tolist(kr), 'flags': tolist(kf)})
    kr, kf = sep.kron_radius(sub, px, py, 2.0, 1.5, 0.3, 6.0, mask=mask)
    add('kron mask', 'kronRadius', {'a': 2.0, 'b': 1.5, 'theta': 0.3, 'r': 6.0},
        {'image': 'minus50', 'mask': True}, {'kronrad': tolist(kr), 'flags': tolist(kf)})
    fr, ff = sep.flux_radius(sub, px, py, np.full(px.shape, 8.0), [0.25, 0.5, 0.9])
    add('flux_radius', 'fluxRadius', {'rmax': 8.0, 'frac': [0.25, 0.5, 0.9]}, {'image': 'minus50'},
        {'radius': tolist(fr), 'flags': tolist(ff)})
    fr, ff = sep.flux_radius(sub, px, py, np.full(px.shape, 6.0), [0.5], normflux=np.full(px.shape, 3000.0), mask=mask, subpix=1)
    add('flux_radius normflux mask subpix1', 'fluxRadius',
        {'rmax': 6.0, 'frac': [0.5], 'normflux': 3000.0},
        {'image': 'minus50', 'mask': True, 'subpix': 1}, {'radius': tolist(fr), 'flags': tolist(ff)})
    for subpix in (11, 0):
        xw, yw, wf = sep.winpos(sub, px, py, 1.3, subpix=subpix)
        add(f'winpos subpix={subpix}', 'windowedPosition', {'sig': 1.3}, {'image': 'minus50', 'subpix': subpix},
            {'x': tolist(xw), 'y': tolist(yw), 'flags': tolist(wf)})
    xw, yw, wf = sep.winpos(sub, px, py, 0.2, mask=mask)
    add('winpos minsig mask', 'windowedPosition', {'sig': 0.2}, {'image': 'minus50', 'mask': True},
        {'x': tolist(xw), 'y': tolist(yw), 'flags': tolist(wf)})

    out = {
        'generator': 'scripts/make_sep_apertures.py',
        'sep': sep.__version__,
        'image': {'width': w, 'height': h, 'data': tolist(img), 'var': tolist(var),
                  'mask': [int(v) for v in mask.ravel()]},
        'x': tolist(px), 'y': tolist(py),
        'cases': cases,
    }

    # raw shared field: sum_circle r=5 (err=32.68 scalar, gain=1) and exact r=3 at truth positions
    field = os.path.join(SHARED, 'field.fits')
    if os.path.exists(field):
        from astropy.io import fits
        data = fits.getdata(field).astype(np.float32)
        truth = np.genfromtxt(os.path.join(SHARED, 'field.truth.csv'), delimiter=',', names=True,
                              dtype=None, encoding='utf-8')
        tx = np.asarray(truth['x'], float)
        ty = np.asarray(truth['y'], float)
        s5, e5, f5 = sep.sum_circle(data, tx, ty, 5.0, err=32.68389892578125, gain=1.0)
        s3, e3, f3 = sep.sum_circle(data, tx, ty, 3.0, subpix=0)
        ea, eb, et = 2.5, 1.8, 0.6
        se, ee, fe = sep.sum_ellipse(data, tx, ty, ea, eb, et, 2.0, err=30.0, subpix=0)
        out['field'] = {
            'r5': {'sum': tolist(s5), 'sumErr': tolist(e5), 'flags': tolist(f5)},
            'r3exact': {'sum': tolist(s3), 'sumErr': tolist(e3), 'flags': tolist(f3)},
            'ellipse': {'a': ea, 'b': eb, 'theta': et, 'r': 2.0, 'err': 30.0,
                        'sum': tolist(se), 'sumErr': tolist(ee), 'flags': tolist(fe)},
        }
    else:
        print('shared field.fits not found: field section omitted', file=sys.stderr)

    with open(OUT, 'w') as fh:
        json.dump(out, fh, separators=(',', ':'))
    print('wrote', OUT, os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
