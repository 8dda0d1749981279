import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SyncShards } from './SyncShards.ts';

/**
 * Routes the HTTP server's upgrade requests to the sync shards (see SyncShards.accept).
 * Returns the disposer; the shards' own sockets close with the shards.
 */
export function attachShardHandOver(httpServer: Server, shards: SyncShards): () => void {
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => shards.accept(request, socket, head);
  httpServer.on('upgrade', onUpgrade);
  return () => httpServer.off('upgrade', onUpgrade);
}
