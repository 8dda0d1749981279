import type { WebSocket } from 'ws';

export interface SocketOutboxOptions {
  /** Unsent bytes past which presence is held back and merged (the socket is behind). */
  readonly behindBytes: number;
  /** Unsent bytes past which the client is too slow to keep: `onTooSlow` runs. */
  readonly maxBufferedBytes: number;
  /** The room's whole current presence as one frame (sent once a behind socket caught up). */
  readonly currentPresence: () => Uint8Array | null;
  readonly onTooSlow: (bufferedBytes: number) => void;
}

/** Outboxes with something to send, flushed together once per event loop turn. */
const due = new Set<SocketOutbox>();
let flushScheduled = false;
const flushDue = (): void => {
  flushScheduled = false;
  const batch = [...due];
  due.clear();
  for (const outbox of batch) outbox.flush();
};

/** How soon a socket that was behind is checked again when nothing else wakes it. */
const RECHECK_MS = 50;

/**
 * What one socket is about to be sent. Frames queue during a turn of the event loop and go out
 * together, corked: one `writev` per socket per turn instead of one per frame (that was 58% of
 * the busy time of a loaded node). Document frames always go, first and in order. Presence
 * frames go after them, and while the socket is behind (its unsent bytes past `behindBytes`)
 * they are dropped and remembered as stale; once it catches up it gets the room's current
 * presence in one frame. So under pressure the mix keeps flowing and presence is merged,
 * never the other way round.
 */
export class SocketOutbox {
  private docs: Uint8Array[] = [];
  private presence: Uint8Array[] = [];
  private stale = false;
  private recheck: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SocketOutboxOptions,
  ) {}

  sendDoc(frame: Uint8Array): void {
    if (this.closed) return;
    this.docs.push(frame);
    this.schedule();
  }

  sendPresence(frame: Uint8Array): void {
    if (this.closed) return;
    this.presence.push(frame);
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.docs = [];
    this.presence = [];
    due.delete(this);
    if (this.recheck) clearTimeout(this.recheck);
  }

  /** Writes what is queued (called by the turn's flush). */
  flush(): void {
    const { socket, options } = this;
    if (this.closed || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > options.maxBufferedBytes) return options.onTooSlow(socket.bufferedAmount);
    const raw = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    raw?.cork();
    try {
      for (const frame of this.docs) socket.send(frame);
      this.docs = [];
      if (socket.bufferedAmount > options.behindBytes) {
        // Behind: drop presence now, send the whole of it once caught up.
        if (this.presence.length > 0) this.stale = true;
        this.presence = [];
      } else {
        if (this.stale) {
          this.stale = false;
          this.presence = [];
          const current = options.currentPresence();
          if (current) socket.send(current);
        }
        for (const frame of this.presence) socket.send(frame);
        this.presence = [];
      }
    } finally {
      raw?.uncork();
    }
    if (this.stale && this.recheck === null) {
      this.recheck = setTimeout(() => {
        this.recheck = null;
        this.schedule();
      }, RECHECK_MS);
      this.recheck.unref();
    }
  }

  private schedule(): void {
    due.add(this);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flushDue);
  }
}
