import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import {
  can,
  completeUploadBody,
  initiateUploadBody,
  isStemVariant,
  isValidRoomId,
  partUrlsBody,
  type Capability,
  type RoomId,
  type StemVariant,
} from '@mixroom/shared/protocol';
import type { RateLimits } from '../limits/createRateLimits.ts';
import type { Identity } from '../sync/Authorize.ts';
import { ApiError } from '../http/ApiError.ts';
import { jsonBody } from '../http/jsonBody.ts';
import type { StemService } from './StemService.ts';

/** Who an HTTP request is in a room; null refuses it (401). */
export type AuthorizeRequest = (c: Context, room: RoomId) => Promise<Identity | null>;

export interface StemRoutesDeps {
  service: StemService;
  authorize: AuthorizeRequest;
  /** Rate limit on upload starts (none when absent). */
  limits?: RateLimits;
}

/**
 * The stems HTTP API, mounted at `/api/rooms/:room/stems`:
 *
 *   POST   /uploads                     {fileName, size} -> 201 UploadTicket      (upload)
 *   POST   /uploads/:uploadId/parts     {partNumbers}    -> {parts}               (upload)
 *   POST   /uploads/:uploadId/complete  {parts:[{partNumber, etag}]} -> 201 {trackId, stem, analysis}  (upload)
 *   DELETE /uploads/:uploadId                            -> 204                   (upload)
 *   GET    /:hash                       -> StemAnalysis                           (any member)
 *   GET    /:hash/url?variant=source|playback|peaks -> {url, expiresAt}           (any member)
 *
 * Bodies are read by the same `jsonBody` as the auth and review routes (JSON only, size-capped,
 * zod-checked). Errors are `ApiErrorBody`s (shared/protocol) with the ApiError's status; the
 * message is meant for the user as is.
 */
export function createStemRoutes(deps: StemRoutesDeps) {
  const { service } = deps;

  /** Resolves the caller in `:room` (refusing a stranger, or a role without `need`) for the handler. */
  const guard = (need: Capability | 'member') =>
    createMiddleware<{ Variables: { room: RoomId; who: Identity } }>(async (c, next) => {
      const room = c.req.param('room') ?? '';
      if (!isValidRoomId(room)) throw new ApiError('not-found', 'No such room.');
      const who = await deps.authorize(c, room);
      if (!who) throw new ApiError('unauthenticated', 'Sign in to this room first.');
      if (need !== 'member' && !can(who.role, need)) {
        throw new ApiError('forbidden', `Your role (${who.role}) cannot upload stems in this room.`);
      }
      c.set('room', room);
      c.set('who', who);
      await next();
    });
  const upload = guard('upload');
  const member = guard('member');

  const variantQuery: MiddlewareHandler<any, string, { in: { query: { variant?: StemVariant } } }> = async (c, next) => {
    if (!isStemVariant(c.req.query('variant') ?? 'playback')) throw new ApiError('bad-request', 'variant must be source, playback or peaks.');
    await next();
  };

  return new Hono()
    .onError((error) => {
      if (error instanceof HTTPException) return error.getResponse();
      if ((error as { name?: string }).name === 'AbortError') return new ApiError('storage', 'The request was cancelled.', { status: 499 }).getResponse();
      console.error('stems route failed', error);
      return new ApiError('storage', 'Storage failed; please try again.').getResponse();
    })
    .post('/uploads', upload, jsonBody(initiateUploadBody), async (c) => {
      await deps.limits?.take('uploadStart', c, c.var.who.userId);
      return c.json(await service.initiateUpload(c.var.room, c.req.valid('json')), 201);
    })
    .post('/uploads/:uploadId/parts', upload, jsonBody(partUrlsBody), async (c) => {
      return c.json({ parts: await service.refreshPartUrls(c.var.room, c.req.param('uploadId'), c.req.valid('json').partNumbers) });
    })
    .post('/uploads/:uploadId/complete', upload, jsonBody(completeUploadBody), async (c) => {
      // Deliberately not tied to the request's signal: a user who closes the tab while the
      // server checks the file still gets the track (everyone else in the room sees it).
      return c.json(await service.completeUpload(c.var.room, c.req.param('uploadId'), c.req.valid('json').parts), 201);
    })
    .delete('/uploads/:uploadId', upload, async (c) => {
      await service.abortUpload(c.var.room, c.req.param('uploadId'));
      return c.body(null, 204);
    })
    .get('/:hash', member, async (c) => c.json(await service.analysis(c.var.room, c.req.param('hash'))))
    .get('/:hash/url', member, variantQuery, async (c) => {
      const variant = (c.req.query('variant') ?? 'playback') as StemVariant;
      return c.json(await service.stemUrl(c.var.room, c.req.param('hash'), variant));
    });
}

/** Typed client: `hc<StemRoutes>(...)`. */
export type StemRoutes = ReturnType<typeof createStemRoutes>;
