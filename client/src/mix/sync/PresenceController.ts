import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import { isPresenceState, type Peer } from './PresenceState.ts';

/** Exposes everyone in the room (local user first) from awareness, for a lit host. */
export class PresenceController implements ReactiveController {
  peers: Peer[] = [];
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
    const peers: Peer[] = [];
    const self = this.awareness.clientID;
    for (const [clientId, state] of this.awareness.getStates()) {
      if (!isPresenceState(state)) continue;
      peers.push({ ...state, clientId, isLocal: clientId === self });
    }
    // Same user in two tabs shows twice on purpose: each tab has its own playhead.
    peers.sort((a, b) => (a.isLocal === b.isLocal ? a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId : a.isLocal ? -1 : 1));
    this.peers = peers;
  }
}
