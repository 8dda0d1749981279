import type { ParamSchedule } from './ParamSchedule.ts';

/**
 * Plays a {@link ParamSchedule} frame by frame as a Web Audio AudioParam does (Chromium's
 * timeline): frame f (time f / sampleRate) takes the last event at or before it; inside a
 * linear ramp, value1 + x·(value2 − value1) with x = (t − time1)·(1 / (time2 − time1)),
 * in float32 as Chromium computes it. Reading forward is amortised O(1) per frame; a jump
 * back (a new render) searches.
 */
export class ScheduleCursor {
  private readonly times: Float64Array;
  private readonly values: Float32Array;
  private readonly ramps: Uint8Array;
  private readonly sampleRate: number;
  private index = 0;

  constructor(schedule: ParamSchedule, sampleRate: number) {
    const n = schedule.length;
    this.times = new Float64Array(n);
    this.values = new Float32Array(n);
    this.ramps = new Uint8Array(n);
    schedule.forEach((e, i) => {
      this.times[i] = e.time;
      this.values[i] = e.value;
      this.ramps[i] = e.ramp ? 1 : 0;
    });
    this.sampleRate = sampleRate;
  }

  /** The value at `frame`. */
  valueAt(frame: number): number {
    const t = frame / this.sampleRate;
    const times = this.times;
    const n = times.length;
    if (n === 0) return 0;
    let i = this.index;
    if (i > 0 && times[i]! > t) i = this.search(t);
    while (i + 1 < n && times[i + 1]! <= t) i++;
    this.index = i;
    if (times[i]! > t) return this.values[0]!;
    const next = i + 1;
    if (next < n && this.ramps[next] === 1) {
      const t1 = times[i]!;
      const v1 = this.values[i]!;
      const k = Math.fround(1 / (times[next]! - t1));
      const x = Math.fround((t - t1) * k);
      return Math.fround(v1 + Math.fround(x * Math.fround(this.values[next]! - v1)));
    }
    return this.values[i]!;
  }

  /**
   * Writes the values of frames [start, start + frames) into `out`. Returns true when they
   * are all the same (the caller may then take a constant-parameter path).
   */
  fill(start: number, frames: number, out: Float32Array): boolean {
    const first = this.valueAt(start);
    out[0] = first;
    let constant = true;
    const times = this.times;
    const values = this.values;
    const n = times.length;
    const sr = this.sampleRate;
    let k = 1;
    while (k < frames) {
      // Frames up to the next event follow the current one: held, or on its ramp (the
      // same formula as valueAt, without searching per frame).
      const i = this.index;
      if ((start + k) / sr < times[i]!) {
        // Before the first event (a node's latency makes the song frame negative at first).
        const v = this.valueAt(start + k);
        out[k++] = v;
        if (v !== first) constant = false;
        continue;
      }
      const nextTime = i + 1 < n ? times[i + 1]! : Infinity;
      let end = Math.min(frames, Math.max(k + 1, Math.ceil(nextTime * sr - start)));
      // Frames at the event's own time belong to it: valueAt decides at the boundary.
      while (end > k && (start + end - 1) / sr >= nextTime) end--;
      if (end <= k) {
        const v = this.valueAt(start + k);
        out[k++] = v;
        if (v !== first) constant = false;
        continue;
      }
      if (this.ramps[i + 1] === 1) {
        const t1 = times[i]!;
        const v1 = values[i]!;
        const kk = Math.fround(1 / (nextTime - t1));
        const dv = Math.fround(values[i + 1]! - v1);
        for (; k < end; k++) {
          const x = Math.fround(((start + k) / sr - t1) * kk);
          const v = Math.fround(v1 + Math.fround(x * dv));
          out[k] = v;
          if (v !== first) constant = false;
        }
      } else {
        const v = values[i]!;
        out.fill(v, k, end);
        if (v !== first) constant = false;
        k = end;
      }
    }
    return constant;
  }

  private search(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
