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

/** A real y-websocket@3 client. */
export function connectClient(
  serverUrl: string,
  roomId: string,
  params: Record<string, string> = {},
  doc: Y.Doc = new Y.Doc(),
): TestClient {
  const provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + '/sync', roomId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    maxBackoffTime: 200,
  });
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
