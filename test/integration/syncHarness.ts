import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { isRole, MESSAGE_TYPES, readReadOnlyNotice, type Role } from '@mixroom/shared/protocol';
import { parseConfig, type Config } from '../../server/src/config/Config.ts';
import { createServer, type RunningServer, type ServerDeps } from '../../server/src/createServer.ts';
import type { Authorize } from '../../server/src/sync/Authorize.ts';
import type { Logger } from '../../server/src/log/Logger.ts';

/** Tests' authorize: `?role=<role>&user=<id>`; `role=none` (or an unknown role) is refused. */
export const authorizeFromQuery: Authorize = async (request) => {
  const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const role = params.get('role') ?? 'owner';
  if (!isRole(role)) return null;
  const user = params.get('user') ?? 'anon';
  return { userId: user, name: user, role };
};

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

/** A real logger whose sink is an array, so tests can assert what the server reported. */
export function createMemoryLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => {
    lines.push({ level, msg, fields });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export async function makeTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return parseConfig({ PORT: '0', DATA_DIR: dataDir, ...env });
}

export async function startTestServer(
  config: Config,
  deps: Partial<ServerDeps> & { lines?: LogLine[] } = {},
): Promise<RunningServer> {
  return createServer(config, {
    logger: createMemoryLogger(deps.lines ?? []),
    authorize: authorizeFromQuery,
    ...deps,
  });
}

export interface TestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Read-only notices received (the role named in each). */
  readonly notices: Role[];
  destroy(): void;
}

export interface ClientOptions {
  /** Reuse a document (e.g. to reconnect with local state). */
  readonly doc?: Y.Doc;
  /** `Cookie` header for the socket (a session from `joinOpenRoom`). */
  readonly cookie?: string;
}

/**
 * Takes back the process 'exit' listener y-websocket adds per provider (it clears the
 * provider's presence when a Node process exits). A test process plays many browsers at once
 * (20 in syncPressure), and their listeners on the one `process` tripped Node's leak warning;
 * each browser has its own process, and the server drops a closed socket's presence anyway.
 */
export function asSimulatedBrowser(provider: WebsocketProvider): void {
  process.off('exit', provider._exitHandler);
}

/** A real y-websocket@3 client. */
export function connectClient(
  serverUrl: string,
  roomId: string,
  params: Record<string, string> = {},
  { doc = new Y.Doc(), cookie }: ClientOptions = {},
): TestClient {
  const provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + '/sync', roomId, doc, {
    WebSocketPolyfill: (cookie === undefined ? WebSocket : webSocketWithCookie(cookie)) as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    maxBackoffTime: 200,
  });
  asSimulatedBrowser(provider);
  const notices: Role[] = [];
  provider.messageHandlers[MESSAGE_TYPES.auth] = (_encoder, decoder) => {
    const role = readReadOnlyNotice(decoder);
    if (role) notices.push(role);
  };
  return {
    doc,
    provider,
    notices,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A `ws` WebSocket class that sends `cookie` with its upgrade request (browsers do this). */
export function webSocketWithCookie(cookie: string): new (url: string, protocols?: string | string[]) => WebSocket {
  return class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  };
}

/**
 * Joins an open room of the full server (`server/src/main.ts`, rooms listed in OPEN_ROOMS)
 * and returns the session cookie; pass the previous cookie to collect grants for more rooms.
 */
export async function joinOpenRoom(baseUrl: string, roomId: string, cookie?: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/rooms/${roomId}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ displayName: 'Sync test', role: 'engineer' }),
  });
  const session = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!response.ok || !session) throw new Error(`join ${roomId} failed: ${response.status} ${await response.text()}`);
  return session;
}

/**
 * Environment for a `server/src/main.ts` child process that keeps every file in `dataDir`,
 * listens on a free loopback port and runs its embedded S3 on another free port.
 */
export function serverProcessEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    S3_DATA_DIR: join(dataDir, 's3'),
    S3_EMBEDDED_PORT: '0',
    ...extra,
  };
}

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function whenSynced(client: TestClient): Promise<void> {
  return waitFor('client synced', () => client.provider.synced);
}
