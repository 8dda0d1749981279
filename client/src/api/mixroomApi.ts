import { hc } from 'hono/client';
// Types only (erased from the bundle): the server's routes as one chained app type.
import type { MixroomApi } from '../../../server/src/http/MixroomApi.ts';

/** The typed client of the server's API: paths, parameters, bodies and answers checked at compile time. */
export type MixroomClient = ReturnType<typeof hc<MixroomApi>>;

/**
 * A client of the server's HTTP API at `base` ('' = this page's origin, relative URLs), sending
 * the session cookie. Calls read like the route: `api.api.rooms[':room'].me.$get({ param })`.
 * Hono's client puts `param` values into the path as given: pass them through
 * `encodeURIComponent` ({@link pathParams}).
 */
export function createMixroomClient(base = ''): MixroomClient {
  return hc<MixroomApi>(base, { init: { credentials: 'same-origin' } });
}

/** Path parameters, each URI-encoded (Hono's client does not encode them). */
export function pathParams<P extends Record<string, string>>(params: P): P {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeURIComponent(v)])) as P;
}
