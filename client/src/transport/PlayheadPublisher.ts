import type { PresencePlayhead } from '../mix/sync/PresenceState.ts';
import type { Transport, TransportSnapshot } from './Transport.ts';

/** While playing, republish the position this often so peers' extrapolation stays close. */
const REFRESH_MS = 1000;

/**
 * Publishes this user's transport to presence: at once on every play, stop, seek and
 * buffering start or end (with a bumped sequence number so followers act on it), and once
 * a second while playing.
 */
export class PlayheadPublisher {
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly dispose: () => void;
  private last: TransportSnapshot;

  constructor(
    private readonly transport: Transport,
    private readonly publish: (playhead: PresencePlayhead) => void,
  ) {
    this.last = transport.snapshot();
    this.dispose = transport.onChange((snap) => {
      // Every transport event is a discrete action (play, pause, seek, loop): followers act on it.
      this.last = snap;
      this.seq++;
      this.send();
      if (snap.playing && !this.timer) this.timer = setInterval(() => this.send(), REFRESH_MS);
      if (!snap.playing && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
    this.send();
  }

  destroy(): void {
    this.dispose();
    if (this.timer) clearInterval(this.timer);
  }

  private send(): void {
    const snap = this.transport.snapshot();
    const loop = snap.loopEnabled && snap.loop ? { start: snap.loop.start, end: snap.loop.end } : null;
    // A buffering transport is not moving: peers (and followers) see it paused where it holds,
    // and playing again the moment it starts, so a follower starts with it rather than ahead.
    this.publish({ position: this.transport.position(), playing: snap.playing && !snap.buffering, seq: this.seq, loop });
  }
}
