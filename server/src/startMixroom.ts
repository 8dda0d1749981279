import { fileURLToPath } from 'node:url';
import { parseAuthSettings } from './auth/AuthSettings.ts';
import type { Auth } from './auth/createAuth.ts';
import type { AuthStore } from './auth/AuthStore.ts';
import { authorizeWith } from './auth/authorizeWith.ts';
import { createRedisBakeQueue } from './bakeQueue/createRedisBakeQueue.ts';
import { parseClusterSettings, type ClusterSettings } from './cluster/ClusterSettings.ts';
import { newRandomId, openAuth } from './auth/openAuth.ts';
import { parseConfig, type Config } from './config/Config.ts';
import { createServer, type RunningServer } from './createServer.ts';
import { DEMO_ROOM_ID, seedDemoRoom } from './demo/seedDemoRoom.ts';
import { createRateLimits } from './limits/createRateLimits.ts';
import { parseLimitSettings } from './limits/LimitSettings.ts';
import type { Logger } from './log/Logger.ts';
import { countS3Errors } from './metrics/countS3Errors.ts';
import { createMetrics, type Metrics } from './metrics/Metrics.ts';
import { createEmbeddedStemSource } from './render/input/createEmbeddedStemSource.ts';
import { createS3StemSource } from './render/input/createS3StemSource.ts';
import { createRenderBaker } from './review/createRenderBaker.ts';
import { BakeThreads } from './render/workers/BakeThreads.ts';
import { resolveMp3Encoder } from './render/encode/resolveMp3Encoder.ts';
import { resolveFlacEncoder } from './render/encode/resolveFlacEncoder.ts';
import { resolveMp3MeterDecoder } from './render/deliver/resolveMp3MeterDecoder.ts';
import { createReviewModule, type ReviewModule } from './review/createReviewModule.ts';
import type { ReviewDocs } from './review/ReviewDocs.ts';
import { mixRoomHooks } from './rooms/mixRoomHooks.ts';
import { createRoomTrackSink } from './stems/createRoomTrackSink.ts';
import { createStemRoutes } from './stems/createStemRoutes.ts';
import { API_MOUNTS } from './http/MixroomApi.ts';
import { parseStemWorkerLimits } from './stems/parseStemWorkerLimits.ts';
import { StemService } from './stems/StemService.ts';
import { startUploadSweeper } from './stems/startUploadSweeper.ts';
import { stemPlaybackKey } from './stems/stemKeys.ts';
import { createBrowserStorage } from './storage/createBrowserStorage.ts';
import { openObjectStore, type OpenedObjectStore } from './storage/openObjectStore.ts';
import { parseS3Settings } from './storage/S3Settings.ts';
import type { StorageLinks } from './storage/StorageLinks.ts';
import { openSyncCluster, type SyncCluster } from './sync/cluster/openSyncCluster.ts';
import { parseSyncClusterSettings } from './sync/cluster/SyncClusterSettings.ts';

export interface MixroomOptions {
  /** The environment to configure from (`process.env` in production; a test's own map). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** Wall clock for review records and auth; injected so tests can move time. */
  readonly now?: () => number;
  /** Synthesise and upload the demo room's stems on start (default: when `demo` is an open room). */
  readonly seedDemo?: boolean;
  /** Bake worker threads per bake (default: the bake's own choice). */
  readonly bakeWorkers?: number;
}

export interface RunningMixroom {
  readonly config: Config;
  readonly cluster: ClusterSettings;
  readonly server: RunningServer;
  readonly url: string;
  readonly auth: Auth;
  readonly authStore: AuthStore;
  readonly review: ReviewModule;
  readonly objects: OpenedObjectStore;
  /** The object URLs browsers are given (app-proxied with the embedded store). */
  readonly links: StorageLinks;
  readonly stems: StemService;
  /** Settles when the demo room is seeded (or seeding failed or was skipped). */
  readonly demoReady: Promise<void>;
  /** This process's Prometheus metrics (`/metrics` with METRICS_TOKEN). */
  readonly metrics: Metrics;
  /** Stops seeding and sweeping, cancels bakes, closes sockets, flushes rooms, stops storage. */
  close(): Promise<void>;
  /** SIGTERM: readiness false, DRAIN_DELAY_MS, flush, sockets closed (1001), then {@link close}'s work. */
  drain(): Promise<void>;
}

/**
 * The whole product in one process, wired once: config from `env`, the embedded or real S3
 * store, auth, review and bakes, stems, the sync server and the built client. `main.ts`
 * runs it with `process.env`; tests run the very same wiring on port 0.
 */
export async function startMixroom(options: MixroomOptions): Promise<RunningMixroom> {
  const { env, logger } = options;
  const now = options.now ?? Date.now;
  const parsed = parseConfig(env);
  const config: Config = {
    ...parsed,
    clientDistDir: parsed.clientDistDir ?? fileURLToPath(new URL('../../client/dist', import.meta.url)),
  };
  // Where browsers come from: the public URL, or this machine in local mode. A real S3
  // bucket's CORS rule allows exactly these (the embedded store needs none).
  const scheme = config.tls ? 'https' : 'http';
  const browserOrigins = config.publicUrl ? [config.publicUrl] : [`${scheme}://localhost:${config.port}`, `${scheme}://127.0.0.1:${config.port}`];
  const cluster = parseClusterSettings(env);
  const s3Settings = parseS3Settings(env);
  if (cluster.mode === 'cluster' && s3Settings.embedded) {
    throw new Error('MIXROOM_MODE=cluster needs a shared S3 store: set S3_EMBEDDED=false and S3_ENDPOINT (the embedded store is one node’s disk)');
  }
  if (cluster.mode === 'cluster' && config.syncShards > 1) {
    throw new Error('SYNC_SHARDS > 1 is for the embedded mode: in cluster mode run one node per core instead (docs/cluster.md)');
  }
  const syncSettings = parseSyncClusterSettings(env);
  const stemWorkerLimits = parseStemWorkerLimits(env);
  const metrics = createMetrics({ node: cluster.nodeId });
  // Bake threads kept between bakes (none until the first bake; idle ones end after five minutes).
  const bakeThreads = new BakeThreads();
  // Which LAME will encode MP3s, said once at boot (MP3_ENCODER=native without one: every MP3 bake fails, saying why).
  void resolveMp3Encoder(config.mp3Encoder).then(
    (choice) => logger.info('mp3 encoder', { setting: config.mp3Encoder, encoder: choice.kind }),
    (error: unknown) => logger.error('mp3 encoder missing', { setting: config.mp3Encoder, error: String(error) }),
  );
  void resolveFlacEncoder(config.flacEncoder).then(
    (choice) => logger.info('flac encoder', { setting: config.flacEncoder, encoder: choice.kind }),
    (error: unknown) => logger.error('flac encoder missing', { setting: config.flacEncoder, error: String(error) }),
  );
  void resolveMp3MeterDecoder(config.mp3MeterDecoder).then(
    (choice) => logger.info('mp3 meter decoder', { setting: config.mp3MeterDecoder, decoder: choice.kind }),
    (error: unknown) => logger.error('mp3 meter decoder missing', { setting: config.mp3MeterDecoder, error: String(error) }),
  );
  const objects = await openObjectStore(s3Settings, browserOrigins);
  countS3Errors(objects.store.s3, metrics);
  // Cluster mode: rooms live in Redis streams + S3 snapshots, shared by every node.
  let syncCluster: SyncCluster | null = null;
  if (cluster.mode === 'cluster' && cluster.redisUrl) {
    try {
      syncCluster = await openSyncCluster({
        redisUrl: cluster.redisUrl,
        nodeId: cluster.nodeId,
        settings: syncSettings,
        s3: objects.store.s3,
        bucket: objects.store.bucket,
        logger,
      });
    } catch (error) {
      await objects.close();
      throw error;
    }
  }
  const authSettings = parseAuthSettings(env);
  // Rooms with owners, invite links and sessions; open rooms (the demo) take anyone (see
  // AuthSettings). Cookies are Secure whenever people arrive over https (SECURE_COOKIES overrides).
  // Cluster mode: the shared PostgreSQL store every node reads (see README: why PostgreSQL).
  const secureCookies = authSettings.secureCookies ?? (config.publicUrl ?? `${scheme}:`).startsWith('https:');
  const { auth, store: authStore, secret } = await openAuth({
    dataDir: config.dataDir,
    ...authSettings,
    secureCookies,
    logger,
    now,
    databaseUrl: cluster.mode === 'cluster' ? cluster.databaseUrl : null,
  });
  // Per-user and per-IP rates for room creation, joins, upload starts and bakes; sockets per user.
  const limitSettings = parseLimitSettings(env);
  const limits = createRateLimits(limitSettings);
  // One origin: browsers reach embedded objects only through the app (see createBrowserStorage).
  const browserStorage = createBrowserStorage(objects, secret, now);
  const { links } = browserStorage;
  const review = createReviewModule({
    auth,
    links,
    now,
    newId: newRandomId,
    limits,
    bakeQueueBounds: { maxQueued: limitSettings.maxQueuedBakes, maxQueuedPerRoom: limitSettings.maxQueuedBakesPerRoom },
    // Cluster mode: bakes go to BullMQ on Redis and run in `pnpm worker` processes.
    ...(cluster.mode === 'cluster' && cluster.redisUrl
      ? {
          bakeQueue: ({ docs, logger: log }: { docs: ReviewDocs; logger: Logger }) =>
            createRedisBakeQueue({
              redisUrl: cluster.redisUrl!,
              docs,
              nodeId: cluster.nodeId,
              logger: log,
              maxQueued: limitSettings.maxQueuedBakes,
              maxQueuedPerRoom: limitSettings.maxQueuedBakesPerRoom,
              onRedisError: () => metrics.redisErrors.inc({ role: 'bake-queue' }),
            }),
        }
      : {}),
    bake: createRenderBaker({
      // Non-WAV stems are baked from their decoded playback copy (see stems/stemKeys). The
      // embedded store runs in this process: its files are read directly, not over HTTP.
      stems: s3Settings.embedded
        ? createEmbeddedStemSource({ dataDir: s3Settings.dataDir, bucket: objects.store.bucket, objectKey: stemPlaybackKey })
        : createS3StemSource({ s3: objects.store.s3, bucket: objects.store.bucket, objectKey: stemPlaybackKey }),
      s3: objects.store.s3,
      bucket: objects.store.bucket,
      // The finished files go into the embedded store's files the same way (a rename).
      ...(s3Settings.embedded ? { embeddedDataDir: s3Settings.dataDir } : {}),
      ...(options.bakeWorkers !== undefined ? { workers: options.bakeWorkers } : {}),
      threads: bakeThreads,
      mp3Encoder: config.mp3Encoder,
      flacEncoder: config.flacEncoder,
      mp3MeterDecoder: config.mp3MeterDecoder,
    }),
  });

  let stems: { service: StemService; tracks: ReturnType<typeof createRoomTrackSink> } | undefined;
  const server = await createServer(config, {
    metrics,
    logger,
    storageOrigin: await browserStorage.origin(),
    bodyLimits: browserStorage.bodyLimits,
    authorize: authorizeWith(auth),
    ...(syncCluster ? { store: syncCluster.store } : {}),
    dependencies: { 'auth-store': () => authStore.ping(), ...(syncCluster ? { redis: () => syncCluster.ping() } : {}) },
    admitSocket: (userId) => limits.openSocket(userId),
    maxRoomBytes: limitSettings.maxRoomBytes,
    ...(config.syncShards > 1 ? { syncShards: { count: config.syncShards, env } } : {}),
    // New rooms, migrations and repair observers (see mixRoomHooks).
    ...mixRoomHooks(async (roomId) => (await auth.getRoom(roomId))?.title ?? null, logger),
    routes: [
      review.mount,
      (app, s) => {
        const tracks = createRoomTrackSink(s.docs);
        const service = new StemService({
          store: objects.store,
          links,
          tracks,
          maxStemBytes: s3Settings.maxStemBytes,
          maxStemSeconds: s3Settings.maxStemSeconds,
          workerLimits: stemWorkerLimits,
        });
        stems = { tracks, service };
        app.route(API_MOUNTS.stems, createStemRoutes({ service, authorize: async (c, room) => auth.authorize(c.req.raw, room), limits }));
      },
      browserStorage.mount,
    ],
  });
  if (!stems) throw new Error('stem routes were not mounted');
  metrics.sources.bakeQueue = () => review.bakes?.depth() ?? Promise.resolve({ waiting: 0, running: 0 });
  // A revoked link, a changed role or an ended session holds on open sockets at once. In a
  // cluster the shared store (PostgreSQL NOTIFY) announces every node's changes to every node,
  // so each one rechecks its own sockets once per change.
  const stopAccessWatch = auth.onAccessChange(() => server.services.docs.recheckPeers());
  const { service, tracks } = stems;

  // The demo room's multitrack: synthesised and uploaded through the stems path on first start.
  const demoAbort = new AbortController();
  // Nobody can open the demo unless it is an open room: then there is nothing to seed (the
  // synthesis holds this node's event loop for seconds at start). In a cluster one node seeds it, once.
  const seedHere =
    options.seedDemo !== false &&
    authSettings.openRooms.includes(DEMO_ROOM_ID) &&
    (syncCluster === null || (await syncCluster.claimOnce('seed-demo-room')));
  const demoReady =
    !seedHere
      ? Promise.resolve()
      : seedDemoRoom({ service, trackNames: tracks.trackNames, writeMix: tracks.writeMix, signal: demoAbort.signal }).then(
          (r) => logger.info('demo room ready', { room: DEMO_ROOM_ID, uploaded: r.uploaded.length, present: r.present.length }),
          (error: unknown) => {
            if (!demoAbort.signal.aborted) logger.error('demo room seeding failed', { error: String(error) });
          },
        );
  // Uploads abandoned for a day (tab closed for good) are aborted and deleted, hourly.
  const stopUploadSweeper = startUploadSweeper(service, {
    intervalMs: 3600_000,
    maxAgeMs: 24 * 3600_000,
    onSwept: (count) => logger.info('abandoned uploads removed', { count }),
    onError: (error) => logger.warn('upload sweep failed', { error: String(error) }),
  });

  let closing: Promise<void> | null = null;
  return {
    config,
    cluster,
    server,
    url: server.url,
    auth,
    authStore,
    review,
    objects,
    links,
    stems: service,
    demoReady,
    metrics,
    close: () =>
      (closing ??= (async () => {
        demoAbort.abort();
        stopUploadSweeper();
        stopAccessWatch();
        
        await demoReady;
        await review.close();
        await bakeThreads.close();
        await server.close();
        await syncCluster?.close();
        await Promise.all([authStore.close(), objects.close()]);
      })()),
    drain: () =>
      (closing ??= (async () => {
        demoAbort.abort();
        stopUploadSweeper();
        // Requests are still served while the load balancer moves off this node; then sockets
        // close after their rooms are flushed. Access changes keep reaching them until then.
        await server.drain();
        stopAccessWatch();
        
        await demoReady;
        await review.close();
        await bakeThreads.close();
        await syncCluster?.close();
        await Promise.all([authStore.close(), objects.close()]);
      })()),
  };
}
