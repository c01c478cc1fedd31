#!/usr/bin/env python3
"""Expected numbers for packages/image/test/robust-stats.test.ts and
median-filter.test.ts, from numpy, astropy and scipy.

Run in packages/image:  /usr/bin/python3 scripts/make-robust-fixtures.py
Writes test/fixtures/robust-stats.json (inputs and expected values).
"""
import json
import os
import sys

import astropy
import numpy as np
import scipy
from astropy.stats import mad_std, median_absolute_deviation, sigma_clipped_stats
from scipy.ndimage import median_filter


def num(x):
    x = float(x)
    return None if np.isnan(x) else x


def values(a):
    return [None if np.isnan(v) else float(v) for v in a]


def case(name, a):
    clean = a[~np.isnan(a)]
    mean, med, std = sigma_clipped_stats(a, sigma=3, maxiters=5, cenfunc="median", stdfunc="std")
    mean2, med2, std2 = sigma_clipped_stats(a, sigma_lower=2, sigma_upper=4, maxiters=None, cenfunc="median", stdfunc="std")
    return {
        "name": name,
        "dtype": str(a.dtype),
        "values": values(a),
        "median": num(np.median(clean)),
        "mad": num(median_absolute_deviation(clean)),
        "madStd": num(mad_std(clean)),
        "sigmaClip": {"mean": num(mean), "median": num(med), "std": num(std)},
        "sigmaClipAsym": {"mean": num(mean2), "median": num(med2), "std": num(std2)},
    }


def main():
    rng = np.random.default_rng(20261208)
    normal = rng.normal(10.0, 2.0, 201)
    outliers = rng.normal(-3.0, 0.5, 400)
    outliers[::37] += rng.uniform(20, 80, len(outliers[::37]))
    outliers[5] = -40.0
    with_nan = rng.normal(0.0, 1.0, 120)
    with_nan[[3, 50, 77]] = np.nan
    f32 = rng.normal(1000.0, 30.0, 64).astype(np.float32)
    cases = [
        case("normal-odd", normal),
        case("outliers-even", outliers),
        case("nan-ignored", with_nan),
        case("float32-even", f32),
    ]
    img = rng.normal(0.0, 1.0, (9, 13))
    img[4, 6] = 50.0
    mf = {
        "width": 13,
        "height": 9,
        "data": [float(v) for v in img.ravel()],
        "size3": [float(v) for v in median_filter(img, size=3, mode="mirror").ravel()],
        "size5": [float(v) for v in median_filter(img, size=5, mode="mirror").ravel()],
    }
    out = {
        "made_by": "scripts/make-robust-fixtures.py",
        "versions": {"numpy": np.__version__, "astropy": astropy.__version__, "scipy": scipy.__version__,
                     "python": sys.version.split()[0]},
        "seed": 20261208,
        "cases": cases,
        "medianFilter": mf,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "test", "fixtures", "robust-stats.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
