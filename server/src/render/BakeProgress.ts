/** What the room shows while a bake runs. */
export interface BakeProgress {
  /** 0..100. */
  percent: number;
  framesDone: number;
  framesTotal: number;
  /** Seconds left, from the speed so far; null until there is a speed to go by. */
  etaSeconds: number | null;
  /** Audio seconds baked per wall-clock second so far. */
  xRealtime: number;
}

/**
 * Turns frame counts into throttled progress reports (at most every `intervalMs` and always at
 * 100 %) so a fast bake does not flood the room with messages. Clock injected for tests.
 */
export function createProgressReporter(
  framesTotal: number,
  sampleRate: number,
  onProgress: ((p: BakeProgress) => void) | undefined,
  now: () => number = () => performance.now(),
  intervalMs = 250,
): (framesDone: number) => void {
  const started = now();
  let last = -Infinity;
  return (framesDone) => {
    if (!onProgress) return;
    const t = now();
    const done = framesDone >= framesTotal;
    if (!done && t - last < intervalMs) return;
    last = t;
    const elapsed = (t - started) / 1000;
    const rate = elapsed > 0 ? framesDone / elapsed : 0;
    onProgress({
      percent: framesTotal > 0 ? Math.min(100, (100 * framesDone) / framesTotal) : 100,
      framesDone,
      framesTotal,
      etaSeconds: done ? 0 : rate > 0 ? (framesTotal - framesDone) / rate : null,
      xRealtime: elapsed > 0 ? framesDone / sampleRate / elapsed : 0,
    });
  };
}
