import type { WebSocket } from 'ws';
import { NO_PACING } from './WritePacer.ts';

export interface SocketOutboxOptions {
  /** Unsent bytes past which presence is held back and merged (the socket is behind). */
  readonly behindBytes: number;
  /** Unsent bytes past which the client is too slow to keep: `onTooSlow` runs. */
  readonly maxBufferedBytes: number;
  /** The room's whole current presence as one frame (sent once a behind socket caught up). */
  readonly currentPresence: () => Uint8Array | null;
  readonly onTooSlow: (bufferedBytes: number) => void;
  /** How long after a write the next waits (see WritePacer); default: no wait. */
  readonly pacer?: { readonly gapMs: number };
  /** Small frames framed here and written straight to the socket while `ws` is idle (see writeFrames); default true. */
  readonly directFrames?: boolean;
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

/** Paced outboxes wake on a grid this fine, so a few timers serve every socket. */
const PACE_GRID_MS = 2;
/** Paced outboxes by the grid slot (ms / PACE_GRID_MS) they wake in. */
const paced = new Map<number, Set<SocketOutbox>>();
const wakeSlot = (slot: number): void => {
  const batch = paced.get(slot);
  paced.delete(slot);
  if (batch) for (const outbox of batch) outbox.flush();
};

/**
 * Frames below this size may be framed here and written straight to the TCP socket; larger ones
 * go through `ws`, which deflates them when the client negotiated it (SyncSocketServer's
 * threshold is the same figure).
 */
export const DIRECT_FRAME_MAX_BYTES = 16 * 1024;

/** The parts of a `ws` WebSocket the direct path relies on (private to `ws`; checked at each use). */
interface WsInternals {
  readonly _socket?: { readonly destroyed: boolean; readonly writable: boolean; cork(): void; uncork(): void; write(data: Uint8Array): boolean };
  readonly _sender?: { readonly _state?: unknown; readonly _queue?: unknown };
}

/** Each frame payload framed once, however many sockets it goes to (a relay goes to the whole room). */
const framedCache = new WeakMap<Uint8Array, Buffer>();

/** `payload` as one unmasked, final, binary WebSocket frame (RFC 6455 5.2); payloads under 64 KiB. */
function framed(payload: Uint8Array): Buffer {
  const cached = framedCache.get(payload);
  if (cached) return cached;
  const n = payload.byteLength;
  const head = n < 126 ? 2 : 4;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x82;
  if (n < 126) out[1] = n;
  else {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  }
  out.set(payload, head);
  framedCache.set(payload, out);
  return out;
}

/**
 * Writes `frames` in order. Small frames, when `ws` has nothing of its own queued or being
 * compressed for the socket, are framed here (once per payload for every socket of a room)
 * and written as one buffer: the same bytes `ws` would send, without its per-frame, per-socket
 * objects (a header buffer, an options object and two stream writes each, about a sixth of a
 * loaded node's allocations). Otherwise, or if `ws`'s internals are not as expected, through
 * `ws`, corked to one write.
 */
function writeFrames(socket: WebSocket, frames: readonly Uint8Array[], direct: boolean): void {
  const { _socket: raw, _sender: sender } = socket as unknown as WsInternals;
  const idle = sender?._state === 0 && Array.isArray(sender._queue) && sender._queue.length === 0;
  if (direct && raw && idle && !raw.destroyed && raw.writable && frames.every((f) => f.byteLength < DIRECT_FRAME_MAX_BYTES)) {
    raw.write(frames.length === 1 ? framed(frames[0]!) : Buffer.concat(frames.map(framed)));
    return;
  }
  raw?.cork();
  try {
    for (const frame of frames) socket.send(frame);
  } finally {
    raw?.uncork();
  }
}

/** How soon a socket that was behind is checked again when nothing else wakes it. */
const RECHECK_MS = 50;

/**
 * What one socket is about to be sent. Frames queue during a turn of the event loop and go out
 * together, corked: one `writev` per socket per turn instead of one per frame (that was 58% of
 * the busy time of a loaded node). On a busy node a socket written less than the pacer's gap ago
 * waits until that gap has passed, so the frames of several turns share one write (see
 * WritePacer). Document frames always go, first and in order. Presence
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
  /** performance.now() of the last write, for the pacing. */
  private lastWriteAt = -Infinity;
  /** The grid slot this outbox waits in while paced, or null. */
  private pacedSlot: number | null = null;

  private readonly pacer: { readonly gapMs: number };
  private readonly direct: boolean;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SocketOutboxOptions,
  ) {
    this.pacer = options.pacer ?? NO_PACING;
    this.direct = options.directFrames ?? true;
  }

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
    this.unschedule();
    if (this.recheck) clearTimeout(this.recheck);
  }

  /** Writes what is queued (called by the turn's flush). */
  flush(): void {
    const { socket, options } = this;
    this.unschedule();
    if (this.closed || socket.readyState !== socket.OPEN) return;
    if (this.docs.length === 0 && this.presence.length === 0 && !this.stale) return;
    // (a getter that walks ws's sender and the stream state: read once)
    const buffered = socket.bufferedAmount;
    if (buffered > options.maxBufferedBytes) return options.onTooSlow(buffered);
    const frames = this.docs;
    this.docs = [];
    let docBytes = 0;
    for (const frame of frames) docBytes += frame.byteLength;
    if (buffered + docBytes > options.behindBytes) {
      // Behind: drop presence now, send the whole of it once caught up.
      if (this.presence.length > 0) this.stale = true;
    } else {
      if (this.stale) {
        this.stale = false;
        this.presence = [];
        const current = options.currentPresence();
        if (current) frames.push(current);
      }
      frames.push(...this.presence);
    }
    this.presence = [];
    if (frames.length > 0) writeFrames(socket, frames, this.direct);
    this.lastWriteAt = performance.now();
    if (this.stale && this.recheck === null) {
      this.recheck = setTimeout(() => {
        this.recheck = null;
        this.schedule();
      }, RECHECK_MS);
      this.recheck.unref();
    }
  }

  private schedule(): void {
    if (this.pacedSlot !== null || due.has(this)) return;
    const wakeAt = this.lastWriteAt + this.pacer.gapMs;
    const now = performance.now();
    if (wakeAt <= now) {
      due.add(this);
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(flushDue);
      return;
    }
    const slot = Math.ceil(wakeAt / PACE_GRID_MS);
    let batch = paced.get(slot);
    if (!batch) {
      batch = new Set();
      paced.set(slot, batch);
      setTimeout(wakeSlot, slot * PACE_GRID_MS - now, slot);
    }
    batch.add(this);
    this.pacedSlot = slot;
  }

  private unschedule(): void {
    due.delete(this);
    if (this.pacedSlot !== null) paced.get(this.pacedSlot)?.delete(this);
    this.pacedSlot = null;
  }
}
