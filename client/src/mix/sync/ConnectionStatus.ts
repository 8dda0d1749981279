import type { Role } from '@mixroom/shared/protocol';

/** What the UI shows about the socket: edits made while offline merge on reconnect. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** True once the first full sync with the server completed on the current connection. */
  synced: boolean;
  /** Local changes not yet acknowledged by a sync after they were made. */
  pendingOffline: boolean;
  /** Server's close reason when it refused or dropped us (e.g. read-only role). */
  reason: string | null;
  /** Why we called the link lost before the socket closed (heartbeat silence, browser offline), or null. */
  lostBecause: string | null;
  /** Set when the server told us our role cannot edit the mix: our document edits are dropped. */
  readOnlyRole: Role | null;
}
