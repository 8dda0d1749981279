import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../log/Logger.ts';
import type { AuthStore } from './AuthStore.ts';
import { createAuth } from './createAuth.ts';
import type { Auth } from './createAuth.ts';
import { createFileAuthStore } from './createFileAuthStore.ts';
import { createPostgresAuthStore } from './createPostgresAuthStore.ts';
import { loadAuthSecret } from './loadAuthSecret.ts';

export interface OpenAuthOptions {
  dataDir: string;
  /** Configured secret (hex or base64); null keeps a generated one in the data folder. */
  secret: string | null;
  /** Invite-free rooms (the demo); see `AuthOptions.openRooms`. */
  openRooms: readonly string[];
  secureCookies: boolean;
  logger: Logger;
  now?: () => number;
  /**
   * The shared store of a cluster (PostgreSQL); null keeps the file store in the data folder.
   * A cluster's nodes must also share `secret` (invites signed on one are checked on another).
   */
  databaseUrl?: string | null;
}

/** Random 128-bit ids, base64url (valid room ids, unguessable invite and user ids). */
export function newRandomId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Opens the auth store (PostgreSQL, or the file store under `<dataDir>/auth/`) and builds the
 * auth service. The install's secret is returned too: other signed links (object links)
 * derive their own MAC from it.
 */
export async function openAuth(options: OpenAuthOptions): Promise<{ auth: Auth; store: AuthStore; secret: Uint8Array }> {
  const dir = join(options.dataDir, 'auth');
  if (options.databaseUrl && options.secret === null) {
    throw new Error('A cluster needs AUTH_SECRET (the same on every node): invite links signed on one node are checked on others');
  }
  const secret = await loadAuthSecret(options.secret, join(dir, 'secret'));
  const store = options.databaseUrl
    ? await createPostgresAuthStore({ url: options.databaseUrl, logger: options.logger, ...(options.now ? { now: options.now } : {}) })
    : await createFileAuthStore(join(dir, 'auth-log.jsonl'), options.logger, options.now ?? Date.now);
  const auth = createAuth({
    secret,
    store,
    now: options.now ?? Date.now,
    newId: newRandomId,
    openRooms: options.openRooms,
    secureCookies: options.secureCookies,
  });
  return { auth, store, secret };
}
