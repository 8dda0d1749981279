import { createHash } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { initMixDoc } from '@mixroom/shared/model';
import { MESSAGE_TYPES, readReadOnlyNotice, type Role } from '@mixroom/shared/protocol';
import { parseSyncDocName } from '@mixroom/shared/review';
import { authorizeWith } from '../../server/src/auth/authorizeWith.ts';
import { newRandomId, openAuth } from '../../server/src/auth/openAuth.ts';
import type { Auth } from '../../server/src/auth/createAuth.ts';
import type { AuthStore } from '../../server/src/auth/AuthStore.ts';
import type { RunningServer } from '../../server/src/createServer.ts';
import { createS3StemSource } from '../../server/src/render/input/createS3StemSource.ts';
import { createRenderBaker } from '../../server/src/review/createRenderBaker.ts';
import { createReviewModule, type ReviewModule } from '../../server/src/review/createReviewModule.ts';
import { createBrowserStorage } from '../../server/src/storage/createBrowserStorage.ts';
import type { ObjectStore } from '../../server/src/storage/ObjectStore.ts';
import { openObjectStore, type OpenedObjectStore } from '../../server/src/storage/openObjectStore.ts';
import { parseS3Settings } from '../../server/src/storage/S3Settings.ts';
import { asSimulatedBrowser, createMemoryLogger, startTestServer, testConfig, waitFor, type LogLine } from './syncHarness.ts';

export const BUCKET = 'mixroom';

/** Real embedded S3 (s3rver on loopback, behind its guard) with the bucket made. */
export async function startS3(dataDir: string): Promise<{ s3: { close(): Promise<void> }; objects: ObjectStore; opened: OpenedObjectStore }> {
  const opened = await openObjectStore(parseS3Settings({ S3_DATA_DIR: join(dataDir, 's3'), S3_EMBEDDED_PORT: '0', S3_BUCKET: BUCKET }), []);
  return { s3: { close: () => opened.close() }, objects: opened.store, opened };
}

export interface ReviewServer {
  server: RunningServer;
  auth: Auth;
  store: AuthStore;
  review: ReviewModule;
  lines: LogLine[];
  close(): Promise<void>;
}

/**
 * The real server (sync + HTTP) with the real auth, review module and bake (render module
 * over the embedded S3), exactly as main.ts wires them; only the clock is the test's.
 */
export async function startReviewServer(dataDir: string, storage: OpenedObjectStore, now: () => number = Date.now): Promise<ReviewServer> {
  const lines: LogLine[] = [];
  const logger = createMemoryLogger(lines);
  const { auth, store, secret } = await openAuth({ dataDir, secret: null, openRooms: ['demo'], secureCookies: false, logger, now });
  const objects = storage.store;
  const browserStorage = createBrowserStorage(storage, secret, now);
  const review = createReviewModule({
    auth,
    links: browserStorage.links,
    now,
    newId: newRandomId,
    bake: createRenderBaker({ stems: createS3StemSource({ s3: objects.s3, bucket: objects.bucket }), s3: objects.s3, bucket: objects.bucket, workers: 1 }),
  });
  const server = await startTestServer(testConfig(dataDir), {
    bodyLimits: browserStorage.bodyLimits,
    lines,
    authorize: authorizeWith(auth),
    initRoom: (doc, roomId) => {
      if (parseSyncDocName(roomId)?.kind === 'mix') initMixDoc(doc, { title: roomId, sampleRate: 48_000 });
    },
    routes: [review.mount, browserStorage.mount],
  });
  return {
    server,
    auth,
    store,
    review,
    lines,
    close: async () => {
      await review.close();
      await server.close();
      await store.close();
    },
  };
}

/** A browser-like HTTP user: keeps the session cookie the server sets. */
export class HttpUser {
  cookie = '';
  constructor(
    public base: string,
    readonly label: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const set = res.headers.getSetCookie();
    for (const line of set) this.cookie = line.split(';')[0] ?? '';
    return res;
  }

  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request(method, path, body, { accept: 'application/json' });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }
}

export interface SocketClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly notices: Role[];
  readonly closeCodes: number[];
  destroy(): void;
}

/** A real y-websocket@3 client whose upgrade request carries `cookie` (as a browser's would). */
export function connectWithCookie(serverUrl: string, docName: string, cookie: string): SocketClient {
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {} });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + '/sync', docName, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  asSimulatedBrowser(provider);
  const notices: Role[] = [];
  const closeCodes: number[] = [];
  provider.messageHandlers[MESSAGE_TYPES.auth] = (_encoder, decoder) => {
    const role = readReadOnlyNotice(decoder);
    if (role) notices.push(role);
  };
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  return {
    doc,
    provider,
    notices,
    closeCodes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export const whenSocketSynced = (client: SocketClient) => waitFor('socket synced', () => client.provider.synced);

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
