import { fileURLToPath } from 'node:url';
import { initMixDoc } from '@mixroom/shared/model';
import { parseConfig } from './config/Config.ts';
import { createServer } from './createServer.ts';
import { createJsonLogger } from './log/Logger.ts';
import { parseSyncDocName } from '@mixroom/shared/review';
import { parseAuthSettings } from './auth/AuthSettings.ts';
import { authorizeWith } from './auth/authorizeWith.ts';
import { newRandomId, openAuth } from './auth/openAuth.ts';
import { createS3StemSource } from './render/createS3StemSource.ts';
import { createRenderBaker } from './review/createRenderBaker.ts';
import { createReviewModule } from './review/createReviewModule.ts';
import { openObjectStore } from './storage/openObjectStore.ts';
import { parseS3Settings } from './storage/S3Settings.ts';
import { openMixRoom } from './rooms/openMixRoom.ts';
import { DEMO_ROOM_ID, seedDemoRoom } from './demo/seedDemoRoom.ts';
import { createRoomTrackSink } from './stems/createRoomTrackSink.ts';
import { createStemRoutes } from './stems/createStemRoutes.ts';
import { StemService } from './stems/StemService.ts';
import { startUploadSweeper } from './stems/startUploadSweeper.ts';
import { stemPlaybackKey } from './stems/stemKeys.ts';

/**
 * Composition root: parses the environment once, builds the infrastructure and wires every
 * module. To add HTTP routes, add one line to `routes` below.
 */
const DEFAULT_SAMPLE_RATE = 48_000;

const env = parseConfig(process.env);
const config = {
  ...env,
  clientDistDir: env.clientDistDir ?? fileURLToPath(new URL('../../client/dist', import.meta.url)),
};
const logger = createJsonLogger(config.logLevel, (line) => process.stdout.write(line));
const appOrigins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
const s3Settings = parseS3Settings(process.env);
const objects = await openObjectStore(s3Settings, appOrigins);
const authSettings = parseAuthSettings(process.env);
// Rooms with owners, invite links and sessions; `demo` stays open to anyone (see AuthSettings).
const { auth, store: authStore } = await openAuth({ dataDir: config.dataDir, ...authSettings, logger });
const review = createReviewModule({
  auth,
  objects: objects.store,
  now: Date.now,
  newId: newRandomId,
  bake: createRenderBaker({
    // Non-WAV stems are baked from their decoded playback copy (see stems/stemKeys).
    stems: createS3StemSource({
      s3: objects.store.s3,
      bucket: objects.store.bucket,
      objectKey: stemPlaybackKey,
    }),
    s3: objects.store.s3,
    bucket: objects.store.bucket,
  }),
});

let stems: { service: StemService; tracks: ReturnType<typeof createRoomTrackSink> } | undefined;
const server = await createServer(config, {
  logger,
  authorize: authorizeWith(auth),
  // A new room starts as an empty mix titled after its id (renamed later in the UI); its
  // `~review` records document starts empty.
  initRoom: (doc, roomId) => {
    if (parseSyncDocName(roomId)?.kind === 'mix') initMixDoc(doc, { title: roomId, sampleRate: DEFAULT_SAMPLE_RATE });
  },
  // Every load migrates old mix documents and keeps their invariants repaired.
  openRoom: openMixRoom,
  routes: [
    review.mount,
    (app, s) => {
      const tracks = createRoomTrackSink(s.rooms);
      stems = {
        tracks,
        service: new StemService({ store: objects.store, tracks, maxStemBytes: s3Settings.maxStemBytes, maxStemSeconds: s3Settings.maxStemSeconds }),
      };
      app.route('/api/rooms/:room/stems', createStemRoutes({ service: stems.service, authorize: async (c, room) => auth.authorize(c.req.raw, room) }));
    },
  ],
});

// The demo room's multitrack: synthesised and uploaded through the stems path on first start.
const demoAbort = new AbortController();
if (stems) {
  const { service, tracks } = stems;
  seedDemoRoom({ service, trackNames: tracks.trackNames, signal: demoAbort.signal }).then(
    (r) => logger.info('demo room ready', { room: DEMO_ROOM_ID, uploaded: r.uploaded.length, present: r.present.length }),
    (error: unknown) => logger.error('demo room seeding failed', { error: String(error) }),
  );
}
// Uploads abandoned for a day (tab closed for good) are aborted and deleted, hourly.
const stopUploadSweeper = stems
  ? startUploadSweeper(stems.service, {
      intervalMs: 3600_000,
      maxAgeMs: 24 * 3600_000,
      onSwept: (count) => logger.info('abandoned uploads removed', { count }),
      onError: (error) => logger.warn('upload sweep failed', { error: String(error) }),
    })
  : () => {};

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  demoAbort.abort();
  stopUploadSweeper();
  review
    .close()
    .then(() => server.close())
    .then(() => Promise.all([authStore.close(), objects.close()]))
    .then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error('shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
