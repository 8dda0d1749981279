/** `1:05.3` from seconds (comment markers, ranges). */
export function formatTimecode(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** Local date and time, short. */
export function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** `-14.2 LUFS`, or a dash when unknown (silence, not baked). */
export function formatLufs(lufs: number | null | undefined): string {
  return typeof lufs === 'number' ? `${lufs.toFixed(1)} LUFS` : '–';
}

/** `3:12` from seconds. */
export function formatDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number') return '–';
  const m = Math.floor(seconds / 60);
  return `${m}:${String(Math.round(seconds - m * 60)).padStart(2, '0')}`;
}

/** `-1.02 dBTP`, or a dash for silence. */
export function formatDbtp(db: number | null | undefined): string {
  return typeof db === 'number' ? `${db > 0 ? '+' : ''}${db.toFixed(2)} dBTP` : '–';
}
