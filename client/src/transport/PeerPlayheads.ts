import type { Awareness } from 'y-protocols/awareness';
import { extrapolatePlayhead, isPresenceState, readPlayheadLoop, type PresencePlayhead } from '../mix/sync/PresenceState.ts';

interface Heard {
  playhead: PresencePlayhead;
  /** Local performance.now() when this playhead arrived: peers' clocks are not ours. */
  at: number;
}

/**
 * Remembers when each peer's playhead last changed so it can be extrapolated between
 * updates (drawn every frame, and followed). Uses our own clock at arrival time, so a
 * peer whose wall clock is off still lines up.
 */
export class PeerPlayheads {
  private readonly heard = new Map<number, Heard>();
  private readonly listeners = new Set<(clientId: number, playhead: PresencePlayhead) => void>();
  private readonly dispose: () => void;

  constructor(
    private readonly awareness: Awareness,
    private readonly now: () => number = () => performance.now(),
  ) {
    const onChange = (): void => this.read();
    awareness.on('change', onChange);
    this.dispose = () => awareness.off('change', onChange);
    this.read();
  }

  /** Estimated song position of a peer now, or null when they publish none. */
  estimate(clientId: number): number | null {
    const h = this.heard.get(clientId);
    if (!h) return null;
    if (!h.playhead.playing) return h.playhead.position;
    return extrapolatePlayhead(h.playhead.position, (this.now() - h.at) / 1000, readPlayheadLoop(h.playhead));
  }

  get(clientId: number): PresencePlayhead | null {
    return this.heard.get(clientId)?.playhead ?? null;
  }

  /** Called whenever a peer's playhead changes (new snapshot); returns the disposer. */
  onChange(listener: (clientId: number, playhead: PresencePlayhead) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.dispose();
    this.listeners.clear();
  }

  private read(): void {
    const seen = new Set<number>();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID || !isPresenceState(state) || !state.playhead) continue;
      seen.add(clientId);
      const p = state.playhead;
      const prev = this.heard.get(clientId)?.playhead;
      const loop = readPlayheadLoop(p);
      const prevLoop = prev ? readPlayheadLoop(prev) : null;
      const sameLoop = loop?.start === prevLoop?.start && loop?.end === prevLoop?.end;
      if (prev && prev.position === p.position && prev.playing === p.playing && prev.seq === p.seq && sameLoop) continue;
      this.heard.set(clientId, { playhead: { ...p, loop }, at: this.now() });
      for (const l of this.listeners) l(clientId, p);
    }
    for (const id of [...this.heard.keys()]) if (!seen.has(id)) this.heard.delete(id);
  }
}
