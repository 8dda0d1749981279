import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_OFFLINE_MS, MESSAGE_TYPES, isPermanentClose, readReadOnlyNotice, readRoomFullLimit } from '@mixroom/shared/protocol';
import type { ConnectionStatus } from './ConnectionStatus.ts';
import { roomFullMessage } from './roomFullMessage.ts';
import type { PresenceState, PresenceUser } from './PresenceState.ts';

export interface RoomConnectionOptions {
  /** Base of the sync endpoint, e.g. `ws://host/sync`; the room id is appended as a path segment. */
  syncUrl: string;
  roomId: string;
  doc: Y.Doc;
  user: PresenceUser;
  /** Extra query parameters (e.g. an invite token) passed on the socket URL. */
  params?: Record<string, string>;
  /** Where the browser says it lost the network (`offline`/`online` events); default `window`. */
  network?: EventTarget | null;
}

const HEARTBEAT_FRAME = Uint8Array.of(MESSAGE_TYPES.heartbeat);

/**
 * One room's live link: the y-websocket provider for the mix document and the awareness
 * channel for presence. It owns the reconnect state the UI shows; Yjs itself merges edits
 * made while offline when the socket comes back.
 */
export class RoomConnection {
  readonly provider: WebsocketProvider;
  readonly awareness: Awareness;
  private statusValue: ConnectionStatus = { state: 'connecting', synced: false, pendingOffline: false, reason: null, readOnlyRole: null, lostBecause: null };
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly options: RoomConnectionOptions) {
    this.provider = new WebsocketProvider(options.syncUrl, options.roomId, options.doc, {
      params: options.params ?? {},
      maxBackoffTime: 2500,
    });
    this.awareness = this.provider.awareness;
    // The server says "read-only:<role>" through a standard auth message; the stock handler
    // only logs it, we surface it so the UI locks its controls instead of silently losing edits.
    this.provider.messageHandlers[MESSAGE_TYPES.auth] = (_encoder, decoder) => {
      const role = readReadOnlyNotice(decoder as decoding.Decoder);
      if (role) this.update({ readOnlyRole: role });
    };
    const initial: PresenceState = { user: options.user, playhead: null, touching: null };
    this.awareness.setLocalState(initial);

    const onStatus = ({ status }: { status: ConnectionStatus['state'] }): void => {
      if (status === 'connected') {
        this.connectedAt = Date.now();
        // Re-announce ourselves with a newer clock: after the server dropped our presence,
        // peers keep the clock of that removal and would refuse our unchanged state as stale
        // until it next changed (up to 15 s of being shown away while back).
        const local = this.awareness.getLocalState();
        if (local !== null) this.awareness.setLocalState({ ...local });
      }
      // A link we called lost stays lost (lostBecause) until a socket connects again.
      this.update({
        state: status,
        synced: status === 'connected' ? this.statusValue.synced : false,
        lostBecause: status === 'connected' ? null : this.statusValue.lostBecause,
      });
    };
    const onSync = (synced: boolean): void => {
      this.update({ synced, pendingOffline: synced ? false : this.statusValue.pendingOffline });
    };
    const onClose = (event: CloseEvent | null): void => {
      // 1000/1001 are ordinary closes; anything else carries a reason worth showing.
      if (event && isPermanentClose(event.code)) {
        const limitMiB = readRoomFullLimit(event.reason);
        this.update({ reason: limitMiB === null ? event.reason || `closed (${event.code})` : roomFullMessage(limitMiB) });
      }
    };
    const onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
      if (origin !== this.provider && !this.statusValue.synced) this.update({ pendingOffline: true });
    };
    // Heartbeat: y-websocket notices a dead socket only after 30 s without messages. We send
    // one byte a second and the server echoes it, so silence means the network is gone.
    this.provider.messageHandlers[MESSAGE_TYPES.heartbeat] = () => {};
    const beat = setInterval(() => this.heartbeat(), HEARTBEAT_INTERVAL_MS / 4);
    this.disposers.push(() => clearInterval(beat));
    const network = options.network === undefined ? (typeof window === 'undefined' ? null : window) : options.network;
    if (network) {
      const onOffline = (): void => this.lost('the browser has no network');
      const onOnline = (): void => this.provider.connect();
      network.addEventListener('offline', onOffline);
      network.addEventListener('online', onOnline);
      this.disposers.push(
        () => network.removeEventListener('offline', onOffline),
        () => network.removeEventListener('online', onOnline),
      );
    }
    this.provider.on('status', onStatus);
    this.provider.on('sync', onSync);
    this.provider.on('connection-close', onClose);
    options.doc.on('update', onDocUpdate);
    this.disposers.push(
      () => this.provider.off('status', onStatus),
      () => this.provider.off('sync', onSync),
      () => this.provider.off('connection-close', onClose),
      () => options.doc.off('update', onDocUpdate),
    );
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get clientId(): number {
    return this.awareness.clientID;
  }

  /** Subscribes to status changes; returns the disposer. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Merges fields into this client's presence (other fields keep their value). */
  setPresence(patch: Partial<PresenceState>): void {
    const current = (this.awareness.getLocalState() ?? {}) as Partial<PresenceState>;
    this.awareness.setLocalState({ ...current, ...patch });
  }

  /** Drops the socket (to test or to save battery); edits keep applying locally. */
  disconnect(): void {
    this.provider.disconnect();
  }

  connect(): void {
    this.provider.connect();
  }

  destroy(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.listeners.clear();
    this.provider.destroy();
  }

  private lastBeatAt = 0;

  /** Sends a heartbeat when one is due; calls the link lost when the server went quiet. */
  private heartbeat(): void {
    const ws = this.provider.ws;
    if (!ws || !this.provider.wsconnected || ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    // Every message counts as a sign of life (y-websocket stamps it on arrival).
    const silent = now - Math.max(this.provider.wsLastMessageReceived, this.connectedAt);
    if (silent > HEARTBEAT_OFFLINE_MS) {
      this.lost(`no answer from the server for ${(silent / 1000).toFixed(1)} s`);
      return;
    }
    if (now - this.lastBeatAt >= HEARTBEAT_INTERVAL_MS) {
      this.lastBeatAt = now;
      ws.send(HEARTBEAT_FRAME);
    }
  }

  private connectedAt = 0;

  /**
   * The link is gone though the socket may not know yet: say so now, and drop the socket so
   * y-websocket reconnects (with its backoff) as soon as the network is back.
   */
  private lost(why: string): void {
    if (this.statusValue.state === 'disconnected') return;
    this.update({ state: 'disconnected', synced: false, lostBecause: why });
    const ws = this.provider.ws;
    if (ws && this.provider.shouldConnect) {
      // Closing a socket on a dead network can take long to report; y-websocket reconnects on its close.
      ws.close();
    }
  }

  private update(patch: Partial<ConnectionStatus>): void {
    this.statusValue = { ...this.statusValue, ...patch };
    for (const listener of this.listeners) listener(this.statusValue);
  }
}
