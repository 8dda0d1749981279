import type { Hono } from 'hono';
import type { Config } from '../config/Config.ts';
import type { Logger } from '../log/Logger.ts';
import type { RoomRegistry } from '../sync/RoomRegistry.ts';

/** What the server hands to modules that mount HTTP routes (stems, render, review...). */
export interface ServerServices {
  readonly config: Config;
  readonly logger: Logger;
  /** Live rooms: `rooms.withRoom(roomId, (doc, origin) => ...)` writes as the server. */
  readonly rooms: RoomRegistry;
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
