import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import type { RoomId } from '@mixroom/shared/protocol';
import type { Config } from './config/Config.ts';
import type { Logger } from './log/Logger.ts';
import { enterLogFields } from './log/LogContext.ts';
import { requestLogFields } from './http/assignRequestIds.ts';
import { mountMetricsRoute } from './metrics/createMetricsRoute.ts';
import type { Metrics } from './metrics/Metrics.ts';
import { createApp } from './http/createApp.ts';
import { createReadiness, READINESS_MAX_AGE_MS, READINESS_TIMEOUT_MS, type ReadinessProbe } from './metrics/createReadiness.ts';
import type { BodyLimitRule } from './http/limitBodies.ts';
import { createOriginPolicy } from './http/OriginPolicy.ts';
import type { MountRoutes, ServerServices } from './http/ServerServices.ts';
import { authorizeEveryoneAsOwner, type Authorize } from './sync/Authorize.ts';
import { LocalRoomStore } from './sync/persistence/LocalRoomStore.ts';
import type { RoomStore } from './sync/persistence/RoomStore.ts';
import type { InitRoom, OpenRoom } from './sync/RoomRegistry.ts';
import { createRoomRegistry } from './sync/createRoomRegistry.ts';
import { attachShardHandOver } from './sync/shards/attachShardHandOver.ts';
import { NO_LOCAL_ROOMS } from './sync/shards/NO_LOCAL_ROOMS.ts';
import { replayWriteAheadLogs } from './sync/shards/replayWriteAheadLogs.ts';
import { SyncShards } from './sync/shards/SyncShards.ts';
import { attachSyncSocketServer } from './sync/SyncSocketServer.ts';

export interface ServerDeps {
  readonly logger: Logger;
  /** Who a socket is; defaults to everyone-is-owner (the embedded default before invites). */
  readonly authorize?: Authorize;
  /** Fills a brand-new room's doc; defaults to leaving it empty. */
  readonly initRoom?: InitRoom;
  /** See `RoomRegistryOptions.prepareNewRoom`. */
  readonly prepareNewRoom?: (roomId: RoomId) => Promise<unknown>;
  /** Runs on every room load (migration, repair observers); see `OpenRoom`. */
  readonly openRoom?: OpenRoom;
  /** Durable room storage; defaults to `LocalRoomStore` in `config.dataDir`. */
  readonly store?: RoomStore;
  /** HTTP modules to mount (see `MountRoutes`). */
  readonly routes?: readonly MountRoutes[];
  /** Client updates that would grow a room's document past this are refused (see `Room.admits`). */
  readonly maxRoomBytes?: number;
  /** Caps open sync sockets per user (see `SyncConnectionDeps.admitSocket`). */
  readonly admitSocket?: (userId: string) => (() => void) | null;
  /** Routes allowed a body larger than `config.maxBodyBytes` (see `limitBodies`). */
  readonly bodyLimits?: readonly BodyLimitRule[];
  /** Origin of a real S3 endpoint browsers talk to (CSP connect-src); null/absent with the embedded store. */
  readonly storageOrigin?: string | null;
  /** This process's metrics: fed by the rooms, served at `/metrics` when a token is configured. */
  readonly metrics?: Metrics;
  /**
   * What this node needs to serve, by name ('redis', 'auth-store'), each checked by a round
   * trip when `/readyz` is asked (at most every READINESS_MAX_AGE_MS, each within
   * READINESS_TIMEOUT_MS): it is 503 while any fails, so a load balancer sends nobody to a node
   * cut off from them. Only a holder of the metrics token is told which.
   */
  readonly dependencies?: Readonly<Record<string, ReadinessProbe>>;
  /**
   * SYNC_SHARDS > 1: rooms run in `count` child processes (see sync/shards/SyncShards), each
   * parsing its settings from `env`, with the product's room hooks (`mixRoomHooks`, titles
   * from `prepareNewRoom`); `initRoom`, `openRoom` and `store` are then not used.
   */
  readonly syncShards?: { readonly count: number; readonly env: Readonly<Record<string, string | undefined>> };
}

export interface RunningServer {
  /** `http(s)://host:port` as it listens; the sync endpoint is `ws(s)://host:port/sync/<roomId>`. */
  readonly url: string;
  /** Where people reach it (see `ServerServices.publicUrl`). */
  readonly publicUrl: string;
  readonly port: number;
  readonly services: ServerServices;
  /**
   * Leaves the cluster gracefully: readiness false and new sockets refused (503) at once,
   * `config.drainDelayMs` for the load balancer to notice, then every room flushed (all
   * received changes durable and relayed), sockets closed with 1001 (clients reconnect to
   * another node), rooms compacted and unloaded, listening stopped.
   */
  drain(): Promise<void>;
  /** {@link drain} without the delay. */
  close(): Promise<void>;
}

/** Starts the HTTP + sync server. Resolves once it listens and persistence is open. */
export async function createServer(config: Config, deps: ServerDeps): Promise<RunningServer> {
  const { logger } = deps;
  const shardCount = deps.syncShards?.count ?? 1;
  if (shardCount > 1 && config.tls) throw new Error('SYNC_SHARDS > 1 needs plain HTTP behind a TLS front (a TLS socket cannot move to a shard process)');
  if (shardCount > 1 && deps.store) throw new Error('SYNC_SHARDS > 1 keeps rooms on the local disk: it does not combine with another room store');
  // Sharded: no room runs in this process; whatever a previous run (sharded or not) left in
  // any write-ahead log reaches the room files before a shard opens them.
  const store: RoomStore = shardCount > 1 ? NO_LOCAL_ROOMS : (deps.store ?? new LocalRoomStore(config.dataDir, logger));
  if (!deps.store) await replayWriteAheadLogs(config.dataDir, logger, shardCount > 1 ? undefined : 'wal');
  await store.start();
  const rooms = createRoomRegistry(config, {
    store,
    logger,
    ...(deps.initRoom ? { initRoom: deps.initRoom } : {}),
    ...(deps.prepareNewRoom ? { prepareNewRoom: deps.prepareNewRoom } : {}),
    ...(deps.openRoom ? { openRoom: deps.openRoom } : {}),
    ...(deps.maxRoomBytes !== undefined ? { maxRoomBytes: deps.maxRoomBytes } : {}),
    ...(deps.metrics ? { observeRelay: (seconds: number) => deps.metrics!.relaySeconds.observe(seconds) } : {}),
    ...(deps.metrics ? { observeWake: (seconds: number) => deps.metrics!.wakeSeconds.observe(seconds) } : {}),
  });
  // Known once listening (PORT=0 picks the port); read only while serving requests.
  let listeningPort = config.port;
  const scheme = config.tls ? 'https' : 'http';
  const originPolicy = createOriginPolicy(config.publicUrl, () => listeningPort, scheme);
  const shards =
    shardCount > 1
      ? new SyncShards({
          count: shardCount,
          env: deps.syncShards!.env,
          logger,
          authorize: deps.authorize ?? authorizeEveryoneAsOwner,
          originPolicy,
          ...(deps.admitSocket ? { admitSocket: deps.admitSocket } : {}),
          roomTitle: async (roomId) => {
            const title = await deps.prepareNewRoom?.(roomId);
            return typeof title === 'string' ? title : null;
          },
          ...(deps.metrics ? { metrics: deps.metrics } : {}),
        })
      : null;
  await shards?.start();
  const live = shards ?? rooms;
  if (deps.metrics) {
    deps.metrics.sources.roomsLoaded = () => live.size;
    deps.metrics.sources.roomsHibernating = () => live.hibernatingCount;
    deps.metrics.sources.sockets = () => live.peerCount;
  }
  const publicUrl = () => config.publicUrl ?? `${scheme}://localhost:${listeningPort}`;
  const services: ServerServices = { config, logger, rooms, docs: live, publicUrl };
  let ready = true;
  const app = createApp({
    services,
    readiness: createReadiness({ probes: deps.dependencies ?? {}, draining: () => !ready, timeoutMs: READINESS_TIMEOUT_MS, maxAgeMs: READINESS_MAX_AGE_MS }),
    routes: [...(deps.metrics ? [(a: Parameters<MountRoutes>[0]) => mountMetricsRoute(a, deps.metrics!, config.metricsToken)] : []), ...(deps.routes ?? [])],
    clientDistDir: config.clientDistDir,
    originPolicy,
    ...(deps.bodyLimits ? { bodyLimits: deps.bodyLimits } : {}),
    securityHeaders: {
      storageOrigin: deps.storageOrigin ?? null,
      // HSTS only for a real https host name: on localhost it would pin every local port to https.
      hsts: config.publicUrl !== null && config.publicUrl.startsWith('https:') && !/^https:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(config.publicUrl),
    },
  });

  // Built-in HTTPS when certificate files are configured (otherwise plain HTTP: local use, or
  // behind a proxy such as Caddy that terminates TLS).
  const tls = config.tls ? { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) } : null;
  const httpServer = await new Promise<Server>((resolve, reject) => {
    const listening = () => resolve(server as Server);
    const server = (
      tls
        ? serve({ fetch: app.fetch, port: config.port, hostname: config.host, createServer: createHttpsServer, serverOptions: tls }, listening)
        : serve({ fetch: app.fetch, port: config.port, hostname: config.host }, listening)
    ) as Server;
    server.once('error', reject);
  });
  listeningPort = (httpServer.address() as AddressInfo).port;
  let accepting = true;
  const syncDeps = {
    rooms,
    authorize: deps.authorize ?? authorizeEveryoneAsOwner,
    originPolicy,
    ...(deps.admitSocket ? { admitSocket: deps.admitSocket } : {}),
    logger,
    maxMessageBytes: config.maxMessageBytes,
    maxSocketBufferBytes: config.maxSocketBufferBytes,
    pingIntervalMs: config.pingIntervalMs,
    deflate: config.syncDeflate,
    writePacing: config.syncWritePacing,
    directFrames: config.syncDirectFrames,
  };
  const detachSync = shards ? attachShardHandOver(httpServer, shards) : attachSyncSocketServer(httpServer, syncDeps);

  // In front of the sync endpoint's upgrade handler: a draining node refuses new sockets (the
  // client retries, through the load balancer, on another node), and every log line of a
  // socket's set-up carries its request and room ids.
  const syncUpgrade = httpServer.listeners('upgrade') as Array<(...args: unknown[]) => void>;
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    enterLogFields(requestLogFields({ get: (n) => request.headers[n] as string | undefined }, new URL(request.url ?? '/', 'http://localhost').pathname));
    for (const listener of syncUpgrade) listener.call(httpServer, request, socket, head);
  });

  const port = listeningPort;
  const url = `${scheme}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('server listening', { url, publicUrl: publicUrl(), port, dataDir: config.dataDir });

  let closing: Promise<void> | null = null;
  const shutDown = (delayMs: number): Promise<void> =>
    (closing ??= (async () => {
      ready = false;
      accepting = false;
      logger.info('draining', { url, delayMs, sockets: live.peerCount, rooms: live.size });
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Each shard does the same as below: flush, sockets closed (1001), rooms unloaded.
      await shards?.close();
      await rooms.flush();
      detachSync();
      httpServer.closeAllConnections();
      await rooms.close();
      await store.stop?.();
      await stopped;
      logger.info('server closed', { url });
    })());
  return {
    url,
    publicUrl: publicUrl(),
    port,
    services,
    drain: () => shutDown(config.drainDelayMs),
    close: () => shutDown(0),
  };
}
