#!/usr/bin/python3
"""Time SEP 1.2.1 sum_circle for the aperture benchmark (bench/aperture.bench.ts).

Usage: /usr/bin/python3 scripts/bench_sep_apertures.py SIZE NAPER REPEATS
Prints JSON: best wall-clock seconds over REPEATS for r=5 and for r=5 with
bkgann=(8, 12), on a seeded SIZE x SIZE float32 image with NAPER positions
uniform in [10, SIZE-10).
"""
import json
import sys
import time

import numpy as np
import sep

size, naper, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1)
data = rng.normal(1000.0, 30.0, (size, size)).astype(np.float32)
x = rng.uniform(10, size - 10, naper)
y = rng.uniform(10, size - 10, naper)
out = {}
for name, kw in (('r5', {}), ('r5_bkgann', {'bkgann': (8.0, 12.0)})):
    best = float('inf')
    for _ in range(repeats):
        t0 = time.perf_counter()
        sep.sum_circle(data, x, y, 5.0, err=30.0, gain=1.0, **kw)
        best = min(best, time.perf_counter() - t0)
    out[name] = best

# photutils (Debian python3-photutils), same apertures, subpixel 5 like SEP's default
try:
    from photutils.aperture import CircularAnnulus, CircularAperture, aperture_photometry
    import warnings
    warnings.simplefilter('ignore')
    pos = np.column_stack([x, y])
    best = float('inf')
    for _ in range(max(1, repeats // 3)):
        t0 = time.perf_counter()
        aperture_photometry(data, CircularAperture(pos, r=5.0), error=np.full(data.shape, 30.0, np.float32),
                            method='subpixel', subpixels=5)
        best = min(best, time.perf_counter() - t0)
    out['photutils_r5'] = best
except ImportError:
    pass
print(json.dumps(out))
