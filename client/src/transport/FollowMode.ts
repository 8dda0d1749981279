import { readPlayheadLoop, type PresencePlayhead } from '../mix/sync/PresenceState.ts';
import type { PeerPlayheads } from './PeerPlayheads.ts';
import type { Transport } from './Transport.ts';

/** Drift beyond which a follower re-seeks while both play (smaller drifts are inaudible noise). */
const MAX_DRIFT_S = 0.25;

/**
 * Follow mode: plays, stops, seeks and loops in step with a chosen peer. Acts on each new
 * playhead snapshot of that peer (they publish on every transport action and once a
 * second while playing) and corrects drift beyond {@link MAX_DRIFT_S}. A leader that buffers
 * publishes itself paused, so the follower waits at the same place; a follower that buffers
 * catches up with the leader as soon as its own playback starts.
 */
export class FollowMode {
  private target: number | null = null;
  private readonly dispose: () => void;
  private readonly listeners = new Set<(target: number | null) => void>();

  constructor(
    private readonly peers: PeerPlayheads,
    private readonly transport: Transport,
  ) {
    const disposePeers = peers.onChange((clientId, playhead) => {
      if (clientId === this.target) this.apply(playhead);
    });
    // Our own playback may have buffered (the leader's audio was not read here yet) while the
    // leader played on: the moment it starts, catch up with where the leader is now.
    let buffering = transport.snapshot().buffering;
    const disposeOwn = transport.onChange((snap) => {
      const ended = buffering && !snap.buffering;
      buffering = snap.buffering;
      const leader = this.target === null ? null : this.peers.get(this.target);
      if (ended && snap.playing && leader?.playing) this.apply(leader);
    });
    this.dispose = () => {
      disposePeers();
      disposeOwn();
    };
  }

  get following(): number | null {
    return this.target;
  }

  follow(clientId: number | null): void {
    this.target = clientId;
    if (clientId !== null) {
      const p = this.peers.get(clientId);
      if (p) this.apply(p);
    }
    for (const l of this.listeners) l(clientId);
  }

  /** Returns the disposer. */
  onChange(listener: (target: number | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets a peer that left the room. */
  drop(clientId: number): void {
    if (this.target === clientId) this.follow(null);
  }

  destroy(): void {
    this.dispose();
    this.listeners.clear();
  }

  private apply(playhead: PresencePlayhead): void {
    if (this.target === null) return;
    // Mirror the leader's loop first: our own transport then wraps at the same frame, instead
    // of drifting past the wrap until the leader's next position update.
    const theirLoop = readPlayheadLoop(playhead);
    const before = this.transport.snapshot();
    const ourLoop = before.loopEnabled ? before.loop : null;
    if (theirLoop && (theirLoop.start !== ourLoop?.start || theirLoop.end !== ourLoop?.end)) {
      this.transport.setLoop(theirLoop);
      this.transport.setLoopEnabled(true);
    } else if (!theirLoop && ourLoop) {
      this.transport.setLoopEnabled(false);
    }
    const theirs = this.peers.estimate(this.target) ?? playhead.position;
    const snap = this.transport.snapshot();
    if (playhead.playing) {
      if (Math.abs(this.transport.position() - theirs) > MAX_DRIFT_S || !snap.playing) this.transport.seek(theirs);
      if (!snap.playing) this.transport.play();
    } else {
      if (snap.playing) this.transport.pause();
      if (Math.abs(this.transport.position() - theirs) > 0.001) this.transport.seek(theirs);
    }
  }
}
