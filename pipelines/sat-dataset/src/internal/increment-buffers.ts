/**
 * Per-channel write buffers of the increment loop: the GridReader fills them
 * window by window, the flush appends them to the day file.
 *
 * @module
 */
import type { GridArray } from '@astro/gwf';
import type { ChannelStats } from '../day-state.js';

/** Buffers of samples read and not yet appended, one per channel. */
export class IncrementBuffers {
  /** Samples buffered per channel. */
  readonly used: Float64Array;
  private readonly buffers: GridArray[];

  /**
   * @param channels - Stored type and rate of each channel.
   * @param incrementSeconds - Seconds per increment.
   * @param capacityIncrements - Increments held before a flush (buffers grow if needed).
   */
  constructor(
    private readonly channels: readonly { dtype: 'float32' | 'float64'; sample_rate: number }[],
    incrementSeconds: number,
    capacityIncrements: number,
  ) {
    this.used = new Float64Array(channels.length);
    this.buffers = channels.map((c) => allocate(c.dtype, capacityIncrements * (Math.ceil(incrementSeconds * c.sample_rate) + 1)));
  }

  /** Room for `count` more samples of channel `i`, after those buffered (a view). */
  target(i: number, count: number): GridArray {
    const need = this.used[i] + count;
    if (this.buffers[i].length < need) {
      const grown = allocate(this.channels[i].dtype, need * 2);
      grown.set(this.buffers[i].subarray(0, this.used[i]));
      this.buffers[i] = grown;
    }
    return this.buffers[i].subarray(this.used[i], need);
  }

  /**
   * Keep `count` samples just written into {@link IncrementBuffers.target}
   * and update the channel's statistics: gaps (a gap crossing increments
   * counts once), padded and NaN samples.
   *
   * @param spans - `[from, to)` pairs filled from frames, relative to the window.
   */
  keep(i: number, count: number, spans: readonly number[], stats: ChannelStats): void {
    const pairs: [number, number][] = [];
    for (let k = 0; k < spans.length; k += 2) pairs.push([spans[k], spans[k + 1]]);
    pairs.sort((x, y) => x[0] - y[0]);
    let at = 0;
    let first = true;
    for (const [s, e] of pairs) {
      if (s > at) {
        if (!(first && at === 0 && stats.ends_in_gap)) stats.gaps++;
        stats.missing += s - at;
      }
      first = false;
      at = Math.max(at, e);
    }
    if (at < count) {
      if (!(at === 0 && stats.ends_in_gap)) stats.gaps++;
      stats.missing += count - at;
      stats.ends_in_gap = true;
    } else if (count > 0) stats.ends_in_gap = false;
    const buf = this.buffers[i];
    const u = this.used[i];
    let nan = 0;
    for (let j = u, end = u + count; j < end; j++) if (buf[j] !== buf[j]) nan++;
    stats.nan += nan;
    this.used[i] = u + count;
  }

  /** The buffered samples of channel `i` (a view, valid until the next read). */
  take(i: number): GridArray {
    return this.buffers[i].subarray(0, this.used[i]);
  }

  /** Forget the buffered samples (after they were written). */
  reset(): void {
    this.used.fill(0);
  }
}

function allocate(dtype: 'float32' | 'float64', n: number): GridArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}
