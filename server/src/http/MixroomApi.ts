import type { Hono } from 'hono';
import type { MergeSchemaPath, Schema } from 'hono/types';
import type { AuthRoutes } from '../auth/createAuthRoutes.ts';
import type { ReviewRoutes } from '../review/createReviewRoutes.ts';
import type { StemRoutes } from '../stems/createStemRoutes.ts';

/** Where each module's routes are mounted; the mounts and {@link MixroomApi} both read these. */
export const API_MOUNTS = {
  auth: '/',
  review: '/api/rooms/:room',
  stems: '/api/rooms/:room/stems',
} as const;

type SchemaOf<App> = App extends Hono<any, infer S extends Schema, any> ? S : never;

/**
 * The browser's API as one Hono app type: every module's routes chained at its mount, as
 * `app.route(API_MOUNTS.x, routes)` builds them at run time. The client calls it through
 * `hc<MixroomApi>` (client/src/api), so a route's path, parameters, body and answer are
 * checked on both sides by the compiler.
 */
export type MixroomApi = Hono<
  any,
  | MergeSchemaPath<SchemaOf<AuthRoutes>, typeof API_MOUNTS.auth>
  | MergeSchemaPath<SchemaOf<ReviewRoutes>, typeof API_MOUNTS.review>
  | MergeSchemaPath<SchemaOf<StemRoutes>, typeof API_MOUNTS.stems>,
  '/'
>;
