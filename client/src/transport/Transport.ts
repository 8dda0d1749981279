import type { StemRef } from '@mixroom/shared/model';

/**
 * What the UI needs from playback. The engine's transport implements it; the follow
 * mode drives it from a peer's published playhead.
 */
export interface LoopRange {
  start: number;
  end: number;
}

export interface TransportSnapshot {
  /** Play was pressed and not stopped since (buffering included). */
  playing: boolean;
  /**
   * Playing, but held at the playhead until every audible stem's audio there is ready; then
   * all of them start together. Nothing sounds and the clock stands still meanwhile.
   */
  buffering: boolean;
  /** The stems being waited for while buffering. */
  waitingFor: readonly StemRef[];
  /** Song position in seconds at the moment of the snapshot. */
  position: number;
  loop: LoopRange | null;
  loopEnabled: boolean;
  /** Longest stem, in seconds (0 in an empty room). */
  duration: number;
}

export interface Transport {
  /** Current song position, computed from the audio clock (cheap; call per frame). */
  position(): number;
  snapshot(): TransportSnapshot;
  play(): void;
  pause(): void;
  /** Pauses and returns to the start (or the loop start when looping). */
  stop(): void;
  seek(seconds: number): void;
  setLoop(range: LoopRange | null): void;
  setLoopEnabled(enabled: boolean): void;
  /** Discrete changes (play, pause, seek, loop, duration); returns the disposer. */
  onChange(listener: (snapshot: TransportSnapshot) => void): () => void;
}
