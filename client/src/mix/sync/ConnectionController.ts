import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConnectionStatus } from './ConnectionStatus.ts';
import type { RoomConnection } from './RoomConnection.ts';

/** Mirrors the room connection's status (connected, synced, offline edits pending). */
export class ConnectionController implements ReactiveController {
  status: ConnectionStatus;
  private dispose: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly connection: RoomConnection,
  ) {
    this.status = connection.status;
    host.addController(this);
  }

  hostConnected(): void {
    this.status = this.connection.status;
    this.dispose = this.connection.onStatus((s) => {
      this.status = s;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.dispose?.();
    this.dispose = null;
  }
}
