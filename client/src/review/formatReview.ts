import { RENDER_FORMAT_INFO } from '@mixroom/shared/review';
import type { BakeRecord } from '@mixroom/shared/review';

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

/**
 * What a running bake is doing, for everyone in the room: the phase (with the formats it
 * waits for and the MP3's pass), the percent and the time left.
 */
export function describeBake(bake: BakeRecord): string {
  if (bake.status === 'queued') return 'Queued';
  if (bake.status !== 'baking') return bake.status === 'done' ? 'Ready' : bake.status === 'failed' ? `Failed${bake.error ? `: ${bake.error}` : ''}` : 'Cancelled';
  const labels = bake.pending.map((f) => RENDER_FORMAT_INFO[f].label).join(', ');
  const phase =
    bake.phase === 'rendering'
      ? 'Rendering and encoding'
      : bake.phase === 'encoding'
        ? bake.mp3Pass !== null && bake.mp3Pass > 1
          ? `Encoding MP3 again, lower (pass ${bake.mp3Pass}: its decoded peak was over the ceiling)`
          : `Encoding ${labels || 'the last blocks'}`
        : bake.phase === 'storing'
          ? `Storing${labels ? ` ${labels}` : ''}`
          : 'Starting: opening stems';
  const eta = bake.etaSec === null ? '' : bake.etaSec < 1 ? ' · under a second left' : ` · about ${Math.ceil(bake.etaSec)} s left`;
  return `${phase} · ${Math.floor(bake.progress * 100)}%${eta}`;
}
