import { initMixDoc } from '@mixroom/shared/model';
import { isRole } from '@mixroom/shared/protocol';
import type { RunningServer } from '../../../server/src/createServer.ts';
import type { MountRoutes } from '../../../server/src/http/ServerServices.ts';
import { createRoomTrackSink } from '../../../server/src/stems/createRoomTrackSink.ts';
import { createStemRoutes } from '../../../server/src/stems/createStemRoutes.ts';
import { StemService } from '../../../server/src/stems/StemService.ts';
import { randomBytes } from 'node:crypto';
import { createBrowserStorage, type BrowserStorage } from '../../../server/src/storage/createBrowserStorage.ts';
import { openObjectStore, type OpenedObjectStore } from '../../../server/src/storage/openObjectStore.ts';
import { parseS3Settings } from '../../../server/src/storage/S3Settings.ts';
import { makeTempDir, startTestServer, testConfig } from '../syncHarness.ts';

export interface StemsTestServer {
  server: RunningServer;
  storage: OpenedObjectStore;
  /** The links browsers get and the object routes serving them. */
  browser: BrowserStorage;
  /** The mounted StemService (for calls that have no route, e.g. the sweep). */
  service(): StemService;
  close(): Promise<void>;
}

/**
 * The real server (sync + HTTP on port 0) with the stems routes mounted, on a real embedded
 * S3 (s3rver on 127.0.0.1, port 0, temp data folder). Roles come from `?role=`.
 */
export async function startStemsTestServer(
  limits: { maxStemBytes: number; maxStemSeconds: number },
  extraRoutes: readonly MountRoutes[] = [],
): Promise<StemsTestServer> {
  const dir = await makeTempDir('mixroom-stems-');
  const settings = parseS3Settings({
    S3_EMBEDDED: 'true',
    S3_DATA_DIR: `${dir.path}/s3`,
    S3_EMBEDDED_PORT: '0',
    MAX_STEM_BYTES: String(limits.maxStemBytes),
    MAX_STEM_SECONDS: String(limits.maxStemSeconds),
  });
  const storage = await openObjectStore(settings, ['*']);
  const browser = createBrowserStorage(storage, randomBytes(32), Date.now);
  let service: StemService | null = null;
  const server = await startTestServer(testConfig(`${dir.path}/rooms`), {
    bodyLimits: browser.bodyLimits,
    initRoom: (doc, roomId) => initMixDoc(doc, { title: roomId, sampleRate: 48000 }),
    routes: [
      (app, services) => {
        service = new StemService({
          store: storage.store,
          links: browser.links,
          tracks: createRoomTrackSink(services.rooms),
          maxStemBytes: settings.maxStemBytes,
          maxStemSeconds: settings.maxStemSeconds,
          partSize: 5 * 1024 * 1024,
        });
        app.route(
          '/api/rooms/:room/stems',
          createStemRoutes({
            service,
            authorize: async (c) => {
              const role = c.req.query('role') ?? 'owner';
              return isRole(role) ? { userId: role, name: role, role } : null;
            },
          }),
        );
      },
      browser.mount,
      ...extraRoutes,
    ],
  });
  return {
    server,
    storage,
    browser,
    service: () => service!,
    close: async () => {
      await server.close();
      await storage.close();
      await dir.remove();
    },
  };
}
