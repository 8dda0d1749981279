/**
 * What the UI needs from playback. The engine's transport implements it; the follow
 * mode drives it from a peer's published playhead.
 */
export interface LoopRange {
  start: number;
  end: number;
}

export interface TransportSnapshot {
  playing: boolean;
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
