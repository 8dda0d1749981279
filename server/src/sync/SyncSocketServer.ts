import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES, CLOSE_REASONS } from '@mixroom/shared/protocol';
import { REJECT_DETAILED_PER_WINDOW, REJECT_WINDOW_MS, RejectLog } from './RejectLog.ts';
import { handleSyncConnection, SYNC_PATH_PREFIX, type SyncConnectionDeps } from './handleSyncConnection.ts';
import { NO_PACING, processWritePacer } from './WritePacer.ts';
import { DIRECT_FRAME_MAX_BYTES } from './SocketOutbox.ts';

/**
 * permessage-deflate as browsers negotiate it, for what it is worth compressing: a joiner's
 * first sync (652 KB of a 1-hour room went as 116 KB). Frames under DEFLATE_THRESHOLD_BYTES go
 * as they are: `ws` deflates on the libuv thread pool (shared with the log's fsyncs) and holds
 * every later frame of the socket until it is done, so a room of 10's presence frame (~1 KiB)
 * compressed per recipient put p50 fan-out at 1.4 s for 100 clients (16 ms with deflate off).
 * Level 1: Yjs updates shrink as much as at the default level 6 (116 KB either way for a 711 KB
 * room) for an eighth of the CPU (1.6 ms against 13.6). No context takeover either way, so an
 * idle socket holds no zlib window.
 */
export const DEFLATE_THRESHOLD_BYTES = DIRECT_FRAME_MAX_BYTES;
const PER_MESSAGE_DEFLATE = {
  zlibDeflateOptions: { level: 1 },
  threshold: DEFLATE_THRESHOLD_BYTES,
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
} as const;

export type SyncSocketServerDeps = SyncConnectionDeps & {
  readonly pingIntervalMs: number;
  readonly deflate: boolean;
  /** Pace socket writes by event loop load (see WritePacer); false = every turn. */
  readonly writePacing: boolean;
  /** Small frames framed here and written straight to the socket (see SocketOutbox); false = all through `ws.send`. */
  readonly directFrames: boolean;
};

/** The sync endpoint's WebSocket server, fed upgrade requests by its owner. */
export interface SyncSocketServer {
  /** Completes the handshake of an upgrade to `/sync/<roomId>` and runs the connection (404 for other paths). */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket with 1001 (clients reconnect) and stops the heartbeat. */
  close(): void;
}

/**
 * Attaches the sync WebSocket endpoint (`/sync/<roomId>`) to an HTTP server. Other upgrade
 * paths get a plain 404. Returns a disposer that closes every socket with 1001 (clients
 * reconnect) and stops the heartbeat.
 */
export function attachSyncSocketServer(
  httpServer: Server,
  deps: SyncSocketServerDeps,
): () => void {
  const server = createSyncSocketServer(deps);
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => server.accept(request, socket, head);
  httpServer.on('upgrade', onUpgrade);
  return () => {
    httpServer.off('upgrade', onUpgrade);
    server.close();
  };
}

/**
 * The sync endpoint without an HTTP server of its own: a sync shard is handed its upgrade
 * requests by the primary (see sync/shards).
 *
 * Size limits are two-tier: frames up to `maxMessageBytes` are accepted; frames up to twice
 * that are read and refused with 4413; `ws` aborts anything larger while it streams in
 * (1009), so a huge frame is never buffered whole.
 */
export function createSyncSocketServer(
  deps: SyncSocketServerDeps,
): SyncSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    // Checked on the inflated size too, so a compressed bomb is cut off the same way.
    maxPayload: deps.maxMessageBytes * 2,
    perMessageDeflate: deps.deflate ? PER_MESSAGE_DEFLATE : false,
  });
  const alive = new WeakSet<WebSocket>();
  const pacer = deps.writePacing ? processWritePacer() : NO_PACING;
  // An abuse run closes thousands of sockets: a few lines, then one summary per window.
  const rejects = new RejectLog({ logger: deps.logger, windowMs: REJECT_WINDOW_MS, detailedPerWindow: REJECT_DETAILED_PER_WINDOW });

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(SYNC_PATH_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      handleSyncConnection(ws, request, { ...deps, rejects, pacer });
    });
  };

  // A socket that has not answered the previous ping is dead (a vanished laptop).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, deps.pingIntervalMs);
  heartbeat.unref();

  return {
    accept,
    close: () => {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CLOSE_CODES.goingAway, CLOSE_REASONS[CLOSE_CODES.goingAway]);
      wss.close();
      rejects.dispose();
    },
  };
}
