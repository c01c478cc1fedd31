/**
 * Source extraction (SEP's defaults: 3x3 filter, 32 deblending thresholds,
 * cleaning; threshold 1.5 sigma of the global rms) on the background-
 * subtracted shared field.fits (1024^2) and on that field tiled 4x4
 * (4096^2), against python3-sep 1.2.1 (and photutils 1.6 on 1024^2)
 * measured in the same run on the same pixels. Best of several runs each;
 * prints Mpixels/s and the time ratios ours / SEP (wall clock, and process
 * CPU time, which a busy shared machine disturbs less).
 */
import { bench, describe } from 'vitest';
import { estimateBackground, extractSources } from '@astro/photometry';
import { benchImages, best, runPython } from './extract-support.js';

const REPEATS = 5;

const SCRIPT = String.raw`
import json, sys, time
import numpy as np, sep
path, w, h, reps, with_photutils = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == '1'
d = np.fromfile(path, dtype='<f4').reshape(h, w)
bkg = sep.Background(d)
sub = d - bkg.back()
def best(f, n):
    t = c = float('inf')
    f()
    for _ in range(n):
        c0 = time.process_time(); t0 = time.perf_counter(); r = f()
        t = min(t, time.perf_counter() - t0); c = min(c, time.process_time() - c0)
    return (t, c), r
t, objs = best(lambda: sep.extract(sub, 1.5, err=bkg.globalrms), reps)
out = {'sep': t[0], 'sep_cpu': t[1], 'count': int(len(objs))}
if with_photutils:
    try:
        from astropy.convolution import convolve
        from photutils.segmentation import detect_sources, deblend_sources, SourceCatalog
        kernel = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16.0
        def phot():
            conv = convolve(sub, kernel, normalize_kernel=False)
            seg = detect_sources(conv, 1.5 * bkg.globalrms, npixels=5)
            seg = deblend_sources(conv, seg, npixels=5, nlevels=32, contrast=0.005, progress_bar=False)
            return SourceCatalog(sub, seg, convolved_data=conv).to_table(columns=['xcentroid', 'ycentroid', 'segment_flux'])
        (out['photutils'], _), tab = best(phot, 1)
        out['photutils_count'] = len(tab)
    except Exception as e:
        out['photutils_error'] = str(e)
print(json.dumps(out))
`;

for (const { size, data, file } of benchImages()) {
  describe(`extractSources ${size}x${size}`, () => {
    const bkg = estimateBackground({ data, width: size, height: size });
    const sub = new Float32Array(data);
    bkg.subtractFrom(sub);
    const image = { data: sub, width: size, height: size };
    const run = () => extractSources(image, 1.5, { err: bkg.globalRms });
    const count = run().count;
    const { wall: ours, cpu: oursCpu } = best(run, REPEATS);
    const ref = runPython(SCRIPT, [file, String(size), String(size), String(REPEATS), size <= 1024 ? '1' : '0']);
    const mpix = (t: number) => ((size * size) / t / 1e6).toFixed(1);
    const sepLine = ref?.sep
      ? `SEP ${(ref.sep * 1000).toFixed(1)} ms (${mpix(ref.sep)} Mpix/s, ${ref.count} objects); ratio ours/SEP ${(ours / ref.sep).toFixed(2)} wall, ${(oursCpu / ref.sep_cpu).toFixed(2)} CPU time`
      : 'python3-sep not available: no ratio';
    console.log(`[extract ${size}^2] @astro/photometry ${(ours * 1000).toFixed(1)} ms (${mpix(ours)} Mpix/s, ${count} objects); ${sepLine}`);
    if (ref?.photutils) {
      console.log(
        `[extract ${size}^2] photutils 1.6 detect+deblend+catalog ${(ref.photutils * 1000).toFixed(0)} ms (${ref.photutils_count} objects); ours ${(ref.photutils / ours).toFixed(1)}x faster`,
      );
    }
    bench('extractSources (err = global rms, thresh 1.5)', () => void run());
  });
}
