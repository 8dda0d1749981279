/** `mm:ss.mmm` (minutes keep growing past 59: a song is never an hour long). */
export function formatTime(seconds: number): string {
  const t = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  const totalMs = Math.round(t * 1000);
  const m = Math.floor(totalMs / 60000);
  const s = Math.floor((totalMs % 60000) / 1000);
  const ms = totalMs % 1000;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
}

/** `bar.beat.sixteenth`, 1-based, in 4/4 at `tempo` beats per minute. */
export function formatBars(seconds: number, tempo: number): string {
  const beats = Math.max(0, seconds) * (tempo / 60);
  const bar = Math.floor(beats / 4) + 1;
  const beat = Math.floor(beats % 4) + 1;
  const sixteenth = Math.floor((beats % 1) * 4) + 1;
  return `${bar}.${beat}.${sixteenth}`;
}
