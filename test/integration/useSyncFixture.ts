import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningServer } from '../../server/src/createServer.ts';
import { connectClient, makeTempDir, type TestClient } from './syncHarness.ts';

/** What a sync test file shares between its tests; `server` is set by each test that starts one. */
export interface SyncFixture {
  /** A temp data folder for the whole file, removed after it. */
  readonly dir: { path: string; remove(): Promise<void> };
  /** The server the current test started; closed after each test. */
  server: RunningServer | null;
  /** connectClient, with the client destroyed after the test. */
  open(...args: Parameters<typeof connectClient>): TestClient;
  /** Clients to destroy after the test (open adds to it). */
  readonly clients: TestClient[];
}

/**
 * Registers a sync test file's hooks: a temp dir for the file; after each test every client
 * it opened is destroyed and its server closed, so no test leaks into the next.
 */
export function useSyncFixture(prefix: string): SyncFixture {
  let dir: SyncFixture['dir'] | null = null;
  const fx: SyncFixture = {
    get dir() {
      if (!dir) throw new Error('useSyncFixture: the temp dir exists only inside tests');
      return dir;
    },
    server: null,
    clients: [],
    open(...args) {
      const c = connectClient(...args);
      fx.clients.push(c);
      return c;
    },
  };
  beforeAll(async () => {
    dir = await makeTempDir(prefix);
  });
  afterEach(async () => {
    for (const c of fx.clients.splice(0)) c.destroy();
    await fx.server?.close();
    fx.server = null;
  });
  afterAll(async () => {
    await dir?.remove();
  });
  return fx;
}
