import { readPresenceUser, type PresenceUser } from '@mixroom/shared/protocol';

/**
 * The `user` field of presence: who a state belongs to. Remote peers' `user` is the one the
 * server stamped from their session (see shared/protocol Presence); the local one is this
 * browser's own member record, built the same way (`presenceUserOf`).
 */
export type { PresenceUser };

/** A transport snapshot: enough for a follower to reproduce play/stop/seek. */
export interface PresencePlayhead {
  /** Song position in seconds when the snapshot was taken. */
  position: number;
  playing: boolean;
  /** Monotonic counter bumped on every discrete transport action (play, stop, seek). */
  seq: number;
  /**
   * The loop this user's transport is playing (null when not looping). Followers mirror it
   * and peers wrap their extrapolation inside it, so a loop wrap needs no update to stay in
   * step. Optional: older clients do not send it.
   */
  loop?: { start: number; end: number } | null;
}

/** The loop of an untrusted remote playhead, or null when absent or malformed. */
export function readPlayheadLoop(playhead: PresencePlayhead): { start: number; end: number } | null {
  const loop = playhead.loop;
  if (typeof loop !== 'object' || loop === null) return null;
  const { start, end } = loop;
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end)) return null;
  return start >= 0 && end > start ? { start, end } : null;
}

/**
 * Where a playhead that was at `position` is after `elapsed` seconds of playing, wrapping
 * inside its loop the way the transport does (only once the playhead is before the loop end).
 */
export function extrapolatePlayhead(position: number, elapsed: number, loop: { start: number; end: number } | null): number {
  const raw = position + elapsed;
  if (!loop || position >= loop.end || raw < loop.end) return raw;
  return loop.start + ((raw - loop.start) % (loop.end - loop.start));
}

export interface PresenceState {
  user: PresenceUser;
  playhead: PresencePlayhead | null;
  /** Control id this user is touching right now (e.g. `track:<id>:gain`), or null. */
  touching: string | null;
}

/** One remote (or local) peer as the UI shows it. */
export interface Peer extends PresenceState {
  clientId: number;
  isLocal: boolean;
}

/** Narrows an untrusted awareness state to a PresenceState (remote peers may send anything). */
export function isPresenceState(value: unknown): value is PresenceState {
  return readPresenceUser(value) !== null;
}
