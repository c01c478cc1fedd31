/**
 * Background model + full back() and rms() maps (bw = bh = 64, fw = fh = 3)
 * on the shared field.fits (1024^2) and on that field tiled 4x4 (4096^2; a
 * seeded synthetic star field when ../shared/data is absent), against
 * python3-sep 1.2.1's Background(...).back(), .rms() (and photutils 1.6
 * Background2D on 1024^2) measured in the same run on the same pixels.
 * Best of several runs each; prints Mpixels/s and the time ratios ours / SEP
 * (wall clock, and process CPU time, which a busy shared machine disturbs less).
 */
import { bench, describe } from 'vitest';
import { estimateBackground } from '@astro/photometry';
import { benchImages, best, runPython } from './extract-support.js';

const REPEATS = 7;

const SCRIPT = String.raw`
import json, sys, time
import numpy as np, sep
path, w, h, reps, with_photutils = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == '1'
d = np.fromfile(path, dtype='<f4').reshape(h, w)
def run():
    b = sep.Background(d, bw=64, bh=64, fw=3, fh=3)
    return b, b.back(), b.rms()
def best(f, n):
    t = c = float('inf')
    f()
    for _ in range(n):
        c0 = time.process_time(); t0 = time.perf_counter(); r = f()
        t = min(t, time.perf_counter() - t0); c = min(c, time.process_time() - c0)
    return (t, c), r
t, (b, back, rms) = best(run, reps)
out = {'sep': t[0], 'sep_cpu': t[1], 'globalback': float(b.globalback), 'globalrms': float(b.globalrms)}
if with_photutils:
    try:
        from photutils.background import Background2D, SExtractorBackground, StdBackgroundRMS
        from astropy.stats import SigmaClip
        def phot():
            return Background2D(d, (64, 64), filter_size=(3, 3), sigma_clip=SigmaClip(sigma=3.0),
                                bkg_estimator=SExtractorBackground(), bkgrms_estimator=StdBackgroundRMS())
        (out['photutils'], _), _ = best(phot, 2)
    except Exception as e:
        out['photutils_error'] = str(e)
print(json.dumps(out))
`;

for (const { size, data, file } of benchImages()) {
  describe(`estimateBackground ${size}x${size}`, () => {
    const image = { data, width: size, height: size };
    // maps written into arrays reused across images, as a pipeline does
    // (SEP's numpy arrays reuse freed memory the same way)
    const backMap = new Float32Array(size * size);
    const rmsMap = new Float32Array(size * size);
    const run = () => {
      const b = estimateBackground(image, { bw: 64, bh: 64, fw: 3, fh: 3 });
      b.back(backMap);
      b.rms(rmsMap);
      return b;
    };
    const model = run();
    const { wall: ours, cpu: oursCpu } = best(run, REPEATS);
    const ref = runPython(SCRIPT, [file, String(size), String(size), String(REPEATS), size <= 1024 ? '1' : '0']);
    const mpix = (t: number) => ((size * size) / t / 1e6).toFixed(1);
    const same = ref ? model.globalBack === ref.globalback && model.globalRms === ref.globalrms : false;
    const sepLine = ref?.sep
      ? `SEP ${(ref.sep * 1000).toFixed(1)} ms (${mpix(ref.sep)} Mpix/s); ratio ours/SEP ${(ours / ref.sep).toFixed(2)} wall, ${(oursCpu / ref.sep_cpu).toFixed(2)} CPU time; globals identical: ${same}`
      : 'python3-sep not available: no ratio';
    console.log(`[background ${size}^2] @astro/photometry ${(ours * 1000).toFixed(1)} ms (${mpix(ours)} Mpix/s); ${sepLine}`);
    if (ref?.photutils) {
      console.log(
        `[background ${size}^2] photutils 1.6 Background2D ${(ref.photutils * 1000).toFixed(0)} ms; ours ${(ref.photutils / ours).toFixed(1)}x faster`,
      );
    }
    bench('estimateBackground + back() + rms()', () => void run());
  });
}
