import type { Hono } from 'hono';
import type { Config } from '../config/Config.ts';
import type { Logger } from '../log/Logger.ts';
import type { RoomDocs } from '../sync/RoomDocs.ts';
import type { RoomRegistry } from '../sync/RoomRegistry.ts';

/** What the server hands to modules that mount HTTP routes (stems, render, review...). */
export interface ServerServices {
  readonly config: Config;
  readonly logger: Logger;
  /**
   * This process's rooms. With SYNC_SHARDS > 1 rooms run in shard processes and this registry
   * refuses every room: use `docs`.
   */
  readonly rooms: RoomRegistry;
  /** Live rooms wherever they run: `docs.withRoom(roomId, (doc, origin) => ...)` writes as the server. */
  readonly docs: RoomDocs;
  /**
   * The origin people reach the app at: PUBLIC_URL, or http(s)://localhost:PORT once the
   * server listens. The only base of absolute URLs (invites, downloads); never the Host header.
   */
  publicUrl(): string;
}

/**
 * Mounts a module's routes on the app, e.g.
 * `(app, s) => app.route('/api/rooms/:room/stems', createStemsApp(s))`.
 */
export type MountRoutes = (app: Hono, services: ServerServices) => void;
