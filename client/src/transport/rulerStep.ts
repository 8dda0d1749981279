/**
 * A ruler step (seconds) giving labels at least ~70 px apart: whole bars (or a quarter bar
 * zoomed in) when the song has a tempo, round seconds otherwise. The ruler draws four minor
 * ticks per step; automation points snap to them when a tempo is set.
 */
export function rulerStep(pxPerSecond: number, tempo: number | null): { step: number; bars: boolean } {
  if (tempo) {
    const bar = (60 / tempo) * 4;
    for (const n of [0.25, 1, 2, 4, 8, 16, 32, 64]) if (bar * n * pxPerSecond >= 70) return { step: bar * n, bars: true };
    return { step: bar * 128, bars: true };
  }
  for (const s of [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120]) if (s * pxPerSecond >= 70) return { step: s, bars: false };
  return { step: 300, bars: false };
}

/**
 * `time` on the song's bar grid at this zoom (the ruler's minor ticks: a beat when whole bars
 * are labelled), or unchanged when the song has no tempo.
 */
export function snapToBars(time: number, pxPerSecond: number, tempo: number | null): number {
  if (!tempo) return time;
  const grid = rulerStep(pxPerSecond, tempo).step / 4;
  return Math.max(0, Math.round(time / grid) * grid);
}
