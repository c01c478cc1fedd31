// Reads increments of many channels straight into per-channel write buffers
// (one frame at a time with @astro/gwf's GwfFile.readFrameData), on each
// channel's own sample grid, with NaN where no file has data. Corrupt frame
// files become gaps; a channel whose rate or type changes is pruned.
import { GwfFile, selectFrameFiles, toGpsNanoseconds } from '@astro/gwf';

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Index of the first grid sample at or after `tNs` on a channel's grid.
 * @param {bigint} tNs
 * @param {bigint} t0Ns
 * @param {number} rate
 */
export function gridIndex(tNs, t0Ns, rate) {
  return Math.ceil((Number(tNs - t0Ns) * rate) / 1e9 - 1e-6);
}

/** A frame file the day cannot use (its span becomes a gap); other errors end the day. */
export function isBadFileError(/** @type {any} */ e) {
  if (!e || typeof e.code !== 'string' || !e.code.startsWith('GWF_')) return false;
  if (e.code === 'GWF_IO') return e.cause?.code === 'ENOENT' || e.cause?.code === 'EISDIR' || e.cause?.code === 'EACCES';
  return true;
}

/**
 * @typedef {object} ReaderChannel
 * @property {string} name
 * @property {number} sample_rate
 * @property {'float32'|'float64'} dtype
 * @property {string} source_dtype
 */

/**
 * @typedef {object} Staged   per-channel statistics, updated increment by increment
 * @property {number} nan
 * @property {number} missing
 * @property {number} gaps
 * @property {boolean} ends_in_gap
 * @property {string} [pruned]
 */

export class IncrementReader {
  /**
   * @param {{
   *   channels: ReaderChannel[], t0s: bigint[], entries: { path: string, gpsStart: number, durationSeconds: number }[],
   *   bad: Record<string, string>, incrementSeconds: number, capacityIncrements: number,
   *   maxRetries: number, retryDelayMs: number, log: import('pino').Logger,
   * }} o
   */
  constructor(o) {
    this.o = o;
    this.byName = new Map(o.channels.map((c, i) => [c.name, i]));
    /** Samples buffered per channel (not yet written). */
    this.used = new Float64Array(o.channels.length);
    /** @type {(Float32Array|Float64Array)[]} */
    this.buffers = o.channels.map((c) => {
      const n = o.capacityIncrements * (Math.ceil(o.incrementSeconds * c.sample_rate) + 1);
      return c.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    });
    this.stamp = new Float64Array(o.channels.length).fill(-1);
    this.frameStamp = 0;
    /** @type {Map<string, GwfFile>} */
    this.open = new Map();
  }

  /** The buffered samples of channel `i` (a view, valid until the next read). */
  take(/** @type {number} */ i) {
    return this.buffers[i].subarray(0, this.used[i]);
  }

  /** Forget the buffered samples (after they were written). */
  reset() {
    this.used.fill(0);
  }

  async close() {
    for (const f of this.open.values()) await f.close();
    this.open.clear();
  }

  /**
   * @param {string} path
   * @returns {Promise<GwfFile>}
   */
  async openFile(path) {
    let f = this.open.get(path);
    if (!f) {
      f = GwfFile.openSync(path);
      this.open.set(path, f);
    }
    return f;
  }

  /**
   * Read `[aGps, bGps)` of every channel not pruned into the buffers, after
   * what is already there, and update `staged` (gaps, NaN, missing, prunes).
   * @param {number} aGps
   * @param {number} bGps
   * @param {Staged[]} staged
   */
  async read(aGps, bGps, staged) {
    const { channels, t0s, log } = this.o;
    const aNs = toGpsNanoseconds(aGps);
    const bNs = toGpsNanoseconds(bGps);
    const iA = channels.map((c, i) => gridIndex(aNs, t0s[i], c.sample_rate));
    const n = channels.map((c, i) => gridIndex(bNs, t0s[i], c.sample_rate) - iA[i]);
    for (let i = 0; i < channels.length; i++) {
      const need = this.used[i] + n[i];
      if (this.buffers[i].length < need) {
        const grown = channels[i].dtype === 'float32' ? new Float32Array(need * 2) : new Float64Array(need * 2);
        grown.set(this.buffers[i].subarray(0, this.used[i]));
        this.buffers[i] = grown;
      }
    }
    // Files of the increment; keep those still needed open.
    const paths = selectFrameFiles(this.o.entries, aGps, bGps)
      .map((e) => e.path)
      .filter((p) => this.o.bad[p] === undefined);
    for (const [p, f] of this.open) {
      if (!paths.includes(p)) {
        await f.close();
        this.open.delete(p);
      }
    }
    /** @type {number[][]} */
    let intervals;
    restart: for (;;) {
      intervals = channels.map(() => []);
      for (let i = 0; i < channels.length; i++) this.buffers[i].fill(NaN, this.used[i], this.used[i] + n[i]);
      for (const path of paths) {
        if (this.o.bad[path] !== undefined) continue;
        for (let attempt = 0; ; attempt++) {
          try {
            await this.readFile(path, aNs, bNs, iA, n, intervals, staged);
            break;
          } catch (error) {
            const e = /** @type {any} */ (error);
            this.open.get(path)?.close();
            this.open.delete(path);
            if (isBadFileError(e)) {
              this.o.bad[path] = e.message;
              log.error({ file: path, err: e.message }, 'frame file unreadable: its span becomes a gap');
              continue restart; // samples of this file may be half-copied: read the increment again without it
            }
            if (attempt < this.o.maxRetries) {
              const wait = this.o.retryDelayMs * 2 ** attempt;
              log.warn({ file: path, err: e?.message, attempt: attempt + 1, waitMs: wait }, 'read error: retrying');
              await sleep(wait);
              continue;
            }
            throw error;
          }
        }
      }
      break;
    }
    // Statistics of the increment, per channel.
    for (let i = 0; i < channels.length; i++) {
      const st = staged[i];
      const count = n[i];
      if (st.pruned) {
        // Pruned now or earlier: NaN from here on (already filled).
        intervals[i] = [];
      }
      const iv = intervals[i];
      // Merge the copied spans, then count what is missing.
      const spans = [];
      for (let k = 0; k < iv.length; k += 2) spans.push([iv[k], iv[k + 1]]);
      spans.sort((x, y) => x[0] - y[0]);
      let at = 0;
      let first = true;
      for (const [s, e] of spans) {
        if (s > at) {
          if (!(first && at === 0 && st.ends_in_gap)) st.gaps++;
          st.missing += s - at;
        }
        first = false;
        at = Math.max(at, e);
      }
      if (at < count) {
        if (!(at === 0 && st.ends_in_gap)) st.gaps++;
        st.missing += count - at;
        st.ends_in_gap = true;
      } else if (count > 0) st.ends_in_gap = false;
      const buf = this.buffers[i];
      const u = this.used[i];
      let nan = 0;
      for (let j = u, end = u + count; j < end; j++) if (buf[j] !== buf[j]) nan++;
      st.nan += nan;
      this.used[i] = u + count;
    }
  }

  /**
   * Copy the frames of one file that overlap the increment.
   * @param {string} path
   * @param {bigint} aNs
   * @param {bigint} bNs
   * @param {number[]} iA
   * @param {number[]} n
   * @param {number[][]} intervals
   * @param {Staged[]} staged
   */
  async readFile(path, aNs, bNs, iA, n, intervals, staged) {
    const { channels, t0s, log } = this.o;
    const f = await this.openFile(path);
    const active = channels.filter((_, i) => !staged[i].pruned).map((c) => c.name);
    const few = active.length * 8 < f.channelCount;
    for (const frame of f.frames) {
      const f0 = frame.t0Gps;
      const f1 = f0 + BigInt(Math.round(frame.durationSeconds * 1e9));
      if (f1 <= aNs || f0 >= bNs) continue;
      const got = await f.readFrameData(frame.index, few ? { channels: active } : {});
      const stamp = ++this.frameStamp;
      // Frame start relative to each channel's sample 0, in ns (numbers: exact below 2^53 ns = 104 days).
      /** @type {Map<bigint, number>} */
      const frameOffsetNs = new Map();
      for (const { record, vector, data } of got) {
        const i = this.byName.get(record.name);
        if (i === undefined || staged[i].pruned || this.stamp[i] === stamp) continue;
        this.stamp[i] = stamp; // a name twice in a frame: the first one (as FrameL)
        const c = channels[i];
        const prune = (/** @type {string} */ reason) => {
          staged[i].pruned = reason;
          intervals[i] = [];
          const u = this.used[i];
          this.buffers[i].fill(NaN, u, u + n[i]);
          log.warn({ channel: c.name, file: path, frame: frame.index, reason }, 'channel pruned from here on (NaN)');
        };
        const rate = record.sampleRate > 0 ? record.sampleRate : vector.dx[0] > 0 ? 1 / vector.dx[0] : 0;
        const at = `GPS ${frame.gpsSeconds}`;
        if (Array.isArray(data) || vector.dtype.startsWith('complex')) {
          prune(`type changed from ${c.source_dtype} to ${vector.dtype} at ${at}`);
          continue;
        }
        if (Math.abs(rate - c.sample_rate) > 1e-9 * c.sample_rate) {
          prune(`sample rate changed from ${c.sample_rate} Hz to ${rate} Hz at ${at}`);
          continue;
        }
        if ((c.dtype === 'float32') !== (vector.dtype === 'float32')) {
          prune(`type changed from ${c.source_dtype} to ${vector.dtype} at ${at}`);
          continue;
        }
        let off = frameOffsetNs.get(t0s[i]);
        if (off === undefined) frameOffsetNs.set(t0s[i], (off = Number(f0 - t0s[i])));
        const exact = ((off + Math.round(((record.timeOffset ?? 0) + (vector.startX[0] ?? 0)) * 1e9)) * c.sample_rate) / 1e9;
        const g0 = Math.round(exact);
        if (Math.abs(exact - g0) > 1e-3) {
          prune(`samples moved off the grid (by ${(exact - g0).toFixed(3)} samples) at ${at}`);
          continue;
        }
        const from = Math.max(g0, iA[i]);
        const to = Math.min(g0 + data.length, iA[i] + n[i]);
        if (to <= from) continue;
        const dst = this.buffers[i];
        const d0 = this.used[i] + (from - iA[i]);
        const s0 = from - g0;
        if (dst.constructor === data.constructor) {
          dst.set(/** @type {Float64Array} */ (data).subarray(s0, s0 + (to - from)), d0);
        } else {
          for (let k = 0; k < to - from; k++) dst[d0 + k] = Number(data[s0 + k]);
        }
        intervals[i].push(from - iA[i], to - iA[i]);
      }
    }
  }
}
