import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import { isPresenceState, type Peer, type PresenceUser } from './PresenceState.ts';

/** Someone who was in the room and dropped out (closed the tab, lost the network). */
export interface AwayPeer {
  user: PresenceUser;
  /** When they dropped (ms, this browser's clock). */
  since: number;
}

/** How long someone who dropped stays listed as away. */
export const AWAY_FOR_MS = 15 * 60_000;

/**
 * Exposes everyone in the room (local user first) from awareness, for a lit host, and the
 * people who dropped out in the last {@link AWAY_FOR_MS}, as "away", until they return.
 */
export class PresenceController implements ReactiveController {
  peers: Peer[] = [];
  away: AwayPeer[] = [];
  private readonly awayByUser = new Map<string, AwayPeer>();
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly awareness: Awareness,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const onChange = (): void => {
      this.read();
      this.host.requestUpdate();
    };
    this.awareness.on('change', onChange);
    this.dispose = () => this.awareness.off('change', onChange);
    this.read();
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }

  private read(): void {
    const before = this.peers;
    const peers: Peer[] = [];
    const self = this.awareness.clientID;
    for (const [clientId, state] of this.awareness.getStates()) {
      if (!isPresenceState(state)) continue;
      peers.push({ ...state, clientId, isLocal: clientId === self });
    }
    // Same user in two tabs shows twice on purpose: each tab has its own playhead.
    peers.sort((a, b) => (a.isLocal === b.isLocal ? a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId : a.isLocal ? -1 : 1));
    this.peers = peers;
    // Identities are the server's (stamped on presence), so one user id is one person.
    const now = Date.now();
    const here = new Set(peers.map((p) => p.user.id));
    for (const p of before) {
      if (!p.isLocal && !here.has(p.user.id)) this.awayByUser.set(p.user.id, { user: p.user, since: now });
    }
    for (const [id, a] of this.awayByUser) if (here.has(id) || now - a.since > AWAY_FOR_MS) this.awayByUser.delete(id);
    this.away = [...this.awayByUser.values()].sort((a, b) => a.user.name.localeCompare(b.user.name));
  }
}
