import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { initMixDoc } from '@mixroom/shared/model';
import { isRole, type Role } from '@mixroom/shared/protocol';
import { parseSyncDocName } from '@mixroom/shared/review';
import { authorizeWith } from '../../server/src/auth/authorizeWith.ts';
import { createAuthRoutes } from '../../server/src/auth/createAuthRoutes.ts';
import { newRandomId, openAuth } from '../../server/src/auth/openAuth.ts';
import { createS3StemSource } from '../../server/src/render/input/createS3StemSource.ts';
import { createRenderBaker } from '../../server/src/review/createRenderBaker.ts';
import { createReviewModule, type ReviewModule } from '../../server/src/review/createReviewModule.ts';
import type { RunningServer } from '../../server/src/createServer.ts';
import { createJsonLogger } from '../../server/src/log/Logger.ts';
import { createRoomTrackSink } from '../../server/src/stems/createRoomTrackSink.ts';
import { createStemRoutes } from '../../server/src/stems/createStemRoutes.ts';
import { StemService } from '../../server/src/stems/StemService.ts';
import { createBrowserStorage } from '../../server/src/storage/createBrowserStorage.ts';
import { openObjectStore, type OpenedObjectStore } from '../../server/src/storage/openObjectStore.ts';
import { parseS3Settings } from '../../server/src/storage/S3Settings.ts';
import { uploadStem } from '../integration/stems-fixtures/stemApi.ts';
import { makeTempDir, startTestServer, testConfig } from '../integration/syncHarness.ts';

const clientRoot = fileURLToPath(new URL('../../client', import.meta.url));

/**
 * Builds the real client (vite) into `outDir`: a fresh build per test file, so a stale
 * client/dist never gets tested and parallel test files never write the same folder. Mode
 * 'e2e' is the production build plus `window.__mixroom`, the live objects the tests read
 * (client/src/main.ts); production builds leave it out (test/structure/productionBundle.test.ts).
 */
export async function buildClient(outDir: string, options: { minify?: boolean } = {}): Promise<void> {
  await build({ root: clientRoot, mode: 'e2e', logLevel: 'warn', build: { outDir, emptyOutDir: true, ...options } });
}

export interface RoomServer {
  server: RunningServer;
  storage: OpenedObjectStore;
  /** The review module (comments, versions, bakes) when started with `review`. */
  review: ReviewModule | null;
  close(): Promise<void>;
}

/**
 * The real server on port 0 serving the built client: sync with real sessions (each browser
 * joins one of the open `rooms` through the app's join dialog, so every person has their own
 * identity, which the server stamps on their presence) and the stems API on a real embedded
 * S3 (s3rver on loopback, temp folder; `?role=` says who uploads). New rooms get the default
 * mix (reverb and delay returns).
 */
export async function startRoomServer(
  rooms: readonly string[],
  limits = { maxStemBytes: 64 * 1024 * 1024, maxStemSeconds: 600 },
  options: {
    review?: boolean;
    /** Stems uploads authorized by the uploader's session (as in production), not by `?role=`. */
    sessionStemAuth?: boolean;
    minify?: boolean;
  } = {},
): Promise<RoomServer> {
  const dir = await makeTempDir('mixroom-e2e-');
  await buildClient(`${dir.path}/client`, options.minify === undefined ? {} : { minify: options.minify });
  const settings = parseS3Settings({
    S3_EMBEDDED: 'true',
    S3_DATA_DIR: `${dir.path}/s3`,
    S3_EMBEDDED_PORT: '0',
    MAX_STEM_BYTES: String(limits.maxStemBytes),
    MAX_STEM_SECONDS: String(limits.maxStemSeconds),
  });
  const storage = await openObjectStore(settings, ['*']);
  const logger = createJsonLogger('error', () => undefined);
  const { auth, store: authStore, secret } = await openAuth({ dataDir: dir.path, secret: null, openRooms: rooms, secureCookies: false, logger });
  const browser = createBrowserStorage(storage, secret, Date.now);
  // With `review`: comments, versions and their bakes (the review module also mounts the auth routes).
  const review = options.review
    ? createReviewModule({
        auth,
        links: browser.links,
        now: Date.now,
        newId: newRandomId,
        bake: createRenderBaker({
          stems: createS3StemSource({ s3: storage.store.s3, bucket: storage.store.bucket }),
          s3: storage.store.s3,
          bucket: storage.store.bucket,
          workers: 1,
        }),
      })
    : null;
  const server = await startTestServer(testConfig(`${dir.path}/rooms`, { CLIENT_DIST_DIR: `${dir.path}/client` }), {
    authorize: authorizeWith(auth),
    bodyLimits: browser.bodyLimits,
    initRoom: (doc, roomId) => {
      if (parseSyncDocName(roomId)?.kind === 'mix') initMixDoc(doc, { title: roomId, sampleRate: 48000 });
    },
    routes: [
      review
        ? review.mount
        : (app, services) => {
            app.route('/', createAuthRoutes(auth, { publicUrl: services.publicUrl }));
          },
      (app, services) => {
        const service = new StemService({
          store: storage.store,
          links: browser.links,
          tracks: createRoomTrackSink(services.rooms),
          maxStemBytes: settings.maxStemBytes,
          maxStemSeconds: settings.maxStemSeconds,
          partSize: 8 * 1024 * 1024,
        });
        app.route(
          '/api/rooms/:room/stems',
          createStemRoutes({
            service,
            authorize: options.sessionStemAuth
              ? async (c, room) => auth.authorize(c.req.raw, room)
              : async (c) => {
                  const role = c.req.query('role') ?? 'owner';
                  return isRole(role) ? { userId: role, name: role, role } : null;
                },
          }),
        );
      },
      browser.mount,
    ],
  });
  return {
    server,
    storage,
    review,
    close: async () => {
      await review?.close();
      await server.close();
      await authStore.close();
      await storage.close();
      await dir.remove();
    },
  };
}

/** Debian's Chromium with the project's fixed flags, plus `extraArgs` (host mapping, certificates). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...extraArgs],
  });
}

/** Waits until a page in the room is live: its socket synced, and its engine exists (the worklets loaded). */
export async function waitForRoomReady(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.locator('mr-connection-badge [data-synced="true"]').waitFor({ timeout: timeoutMs });
  await page.waitForFunction(() => Boolean((window as unknown as { __mixroom?: { engine?: unknown } }).__mixroom?.engine), null, { timeout: timeoutMs });
}

export interface RoomPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen (a test may assert there are none of a kind). */
  errors: string[];
}

/**
 * A person opening the room: own browser context (own storage), display name asked once.
 * `prepare` runs on the new context and page before the room is opened (init scripts,
 * network conditions).
 */
export async function openRoom(
  browser: Browser,
  baseUrl: string,
  roomId: string,
  name: string,
  prepare?: (context: BrowserContext, page: Page) => Promise<void>,
  role: Exclude<Role, 'owner'> = 'engineer',
): Promise<RoomPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  await prepare?.(context, page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${baseUrl}/room/${roomId}`);
  const nameInput = page.getByRole('textbox', { name: 'Display name' });
  await nameInput.fill(name);
  // The join dialog's role choice (Engineer is preselected).
  if (role !== 'engineer') await page.getByRole('radio', { name: role[0]!.toUpperCase() + role.slice(1), exact: true }).check();
  await page.getByRole('button', { name: 'Enter the room' }).click();
  await waitForRoomReady(page);
  return { context, page, errors };
}

/**
 * Uploads `count` stems (`stem(i)` says each one's file name and bytes) through the stems
 * API, two at a time, as the room's owner. A busy two-core machine can reset a kept-alive
 * socket between requests: a file is tried up to three times.
 */
export async function uploadStems(server: RoomServer, roomId: string, count: number, stem: (i: number) => { fileName: string; wav: Uint8Array }): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { fileName, wav } = stem(i);
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await uploadStem(server.server.url, roomId, fileName, wav);
          if (r.status !== 201) throw new Error(`upload ${i} failed: ${JSON.stringify(r.body)}`);
          break;
        } catch (error) {
          if (attempt >= 3 || !(error instanceof TypeError)) throw error;
        }
      }
    }
  };
  await Promise.all([worker(), worker()]);
}

/** A room served by startRoomServer with two people in it (Ana and Ben, engineers), each in their own context. */
export interface TwoPeopleRoom {
  server: RoomServer;
  browser: Browser;
  a: RoomPage;
  b: RoomPage;
  /** Track ids by stem name. */
  ids: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the room server, uploads one mono 16-bit stem per `[name, Hz]` (a steady sine at
 * -12 dBFS, `seconds` long) through the real upload path, and opens the room for Ana and Ben.
 */
export async function startTwoPeople(roomId: string, tones: ReadonlyArray<readonly [string, number]>, seconds: number, sampleRate = 48000): Promise<TwoPeopleRoom> {
  const server = await startRoomServer([roomId]);
  const ids: Record<string, string> = {};
  for (const [name, freq] of tones) {
    const wav = monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * freq * i) / sampleRate), seconds * sampleRate, sampleRate);
    const r = await uploadStem(server.server.url, roomId, `${name}.wav`, wav);
    if (r.status !== 201) throw new Error(`upload of ${name} failed: ${r.status} ${JSON.stringify(r.body)}`);
    ids[name] = (r.body as { trackId: string }).trackId;
  }
  const browser = await launchBrowser();
  const a = await openRoom(browser, server.server.url, roomId, 'Ana');
  const b = await openRoom(browser, server.server.url, roomId, 'Ben');
  return {
    server,
    browser,
    a,
    b,
    ids,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A mono 16-bit PCM WAV, written directly (fast for long stems). */
export function monoWav16(samples: (i: number) => number, frames: number, sampleRate = 48000): Uint8Array {
  const bytes = new Uint8Array(44 + frames * 2);
  const v = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (bytes[at + i] = ch.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + frames * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, 'data');
  v.setUint32(40, frames * 2, true);
  for (let i = 0; i < frames; i++) v.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(samples(i) * 32767))), true);
  return bytes;
}
