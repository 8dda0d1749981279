/** A control's value at a song time, as a recording pass samples it. */
export interface RideSample {
  readonly time: number;
  readonly value: number;
}

/** A window longer than this settles its last point anyway: each sample costs at most this many checks. */
const MAX_WINDOW = 256;
/** Rounding slack: values on a 0.1 dB grid are a tolerance apart to within float error. */
const EPSILON = 1e-9;

/**
 * Thins a ride while it is recorded, so a whole song's fader ride fits a lane: the opening
 * window line simplification (a streaming relative of Ramer–Douglas–Peucker). The first sample
 * is the anchor; each new sample extends the segment from the anchor while every sample since
 * lies within `tolerance` of the straight line to it; when one would not, the sample before
 * becomes a settled point and the new anchor. On a `step` lane (held segments) a sample that
 * leaves the anchor's value is itself the next point. Every sample therefore lies
 * within `tolerance` of the thinned line, and so does the line between samples (two polylines
 * differ most at a vertex of one of them). The last sample stays open (`end`) until settled.
 */
export class RideThinner {
  private anchor: RideSample | null = null;
  /** Samples since the anchor; the last one is the open end. */
  private window: RideSample[] = [];

  constructor(
    /** How far a sample may lie from the line, at the line's value there (wider for a high frequency). */
    private readonly tolerance: (value: number) => number,
    private readonly step = false,
  ) {}

  /** Adds the next sample (later than the previous); returns the points it settled, in time order. */
  push(sample: RideSample): RideSample[] {
    const anchor = this.anchor;
    if (!anchor) {
      this.anchor = sample;
      return [sample];
    }
    const w = this.window;
    if (this.step && Math.abs(sample.value - anchor.value) > this.tolerance(anchor.value) + EPSILON) {
      // A held lane jumps at its points: the change itself is the point, the hold before it is implied.
      this.anchor = sample;
      this.window = [];
      return [sample];
    }
    if (w.length === 0 || (w.length < MAX_WINDOW && this.fits(anchor, sample))) {
      w.push(sample);
      return [];
    }
    const settled = w[w.length - 1]!;
    this.anchor = settled;
    this.window = [sample];
    return [settled];
  }

  /** The open end (the newest sample when it is not settled), null when the anchor is the newest. */
  get end(): RideSample | null {
    return this.window[this.window.length - 1] ?? null;
  }

  /** Whether every windowed sample stays within tolerance of the segment anchor -> `to`. */
  private fits(anchor: RideSample, to: RideSample): boolean {
    const span = to.time - anchor.time;
    for (const s of this.window) {
      const line = this.step || span <= 0 ? anchor.value : anchor.value + ((to.value - anchor.value) * (s.time - anchor.time)) / span;
      if (Math.abs(s.value - line) > this.tolerance(line) + EPSILON) return false;
    }
    return true;
  }
}
