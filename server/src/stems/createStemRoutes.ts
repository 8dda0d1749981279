import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { can, isValidRoomId, type Capability, type RoomId } from '@mixroom/shared/protocol';
import { isJsonRequest } from '../http/parseBody.ts';
import type { RateLimits } from '../limits/createRateLimits.ts';
import type { Identity } from '../sync/Authorize.ts';
import { ApiError } from '../http/ApiError.ts';
import type { StemService } from './StemService.ts';

/** Who an HTTP request is in a room; null refuses it (401). */
export type AuthorizeRequest = (c: Context, room: RoomId) => Promise<Identity | null>;

export interface StemRoutesDeps {
  service: StemService;
  authorize: AuthorizeRequest;
  /** Rate limit on upload starts (none when absent). */
  limits?: RateLimits;
}

const initiateBody = z.object({ fileName: z.string().min(1).max(1024), size: z.number().int().min(0) });
const partsBody = z.object({ partNumbers: z.array(z.number().int().min(1)).min(1).max(10_000) });
const completeBody = z.object({
  parts: z.array(z.object({ partNumber: z.number().int().min(1), etag: z.string().min(1).max(200) })).min(1).max(10_000),
});

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
 * Errors are `ApiErrorBody`s (shared/protocol) with the ApiError's status; the message is
 * meant for the user as is.
 */
export function createStemRoutes(deps: StemRoutesDeps) {
  const { service } = deps;

  const guard = async (c: Context, need: Capability | 'member'): Promise<{ room: string; who: Identity }> => {
    const room = c.req.param('room');
    if (!isValidRoomId(room)) throw new ApiError('not-found', 'No such room.');
    const who = await deps.authorize(c, room);
    if (!who) throw new ApiError('unauthenticated', 'Sign in to this room first.');
    if (need !== 'member' && !can(who.role, need)) {
      throw new ApiError('forbidden', `Your role (${who.role}) cannot upload stems in this room.`);
    }
    return { room, who };
  };

  const body = async <T>(c: Context, schema: z.ZodType<T>): Promise<T> => {
    // Only JSON: a cross-site form or text/plain post must not pass as an API call.
    if (!isJsonRequest(c)) throw new ApiError('bad-request', 'The request body must be JSON (Content-Type: application/json).');
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new ApiError('bad-request', 'The request body must be JSON.');
    }
    const r = schema.safeParse(raw);
    if (!r.success) throw new ApiError('bad-request', `Invalid request: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  };

  return new Hono()
    .onError((error) => {
      if (error instanceof HTTPException) return error.getResponse();
      if ((error as { name?: string }).name === 'AbortError') return new ApiError('storage', 'The request was cancelled.', { status: 499 }).getResponse();
      console.error('stems route failed', error);
      return new ApiError('storage', 'Storage failed; please try again.').getResponse();
    })
    .post('/uploads', async (c) => {
      const { room, who } = await guard(c, 'upload');
      const b = await body(c, initiateBody);
      await deps.limits?.take('uploadStart', c, who.userId);
      return c.json(await service.initiateUpload(room, b), 201);
    })
    .post('/uploads/:uploadId/parts', async (c) => {
      const { room } = await guard(c, 'upload');
      const b = await body(c, partsBody);
      return c.json({ parts: await service.refreshPartUrls(room, c.req.param('uploadId'), b.partNumbers) });
    })
    .post('/uploads/:uploadId/complete', async (c) => {
      const { room } = await guard(c, 'upload');
      const b = await body(c, completeBody);
      // Deliberately not tied to the request's signal: a user who closes the tab while the
      // server checks the file still gets the track (everyone else in the room sees it).
      return c.json(await service.completeUpload(room, c.req.param('uploadId'), b.parts), 201);
    })
    .delete('/uploads/:uploadId', async (c) => {
      const { room } = await guard(c, 'upload');
      await service.abortUpload(room, c.req.param('uploadId'));
      return c.body(null, 204);
    })
    .get('/:hash', async (c) => {
      const { room } = await guard(c, 'member');
      return c.json(await service.analysis(room, c.req.param('hash')));
    })
    .get('/:hash/url', async (c) => {
      const { room } = await guard(c, 'member');
      const variant = c.req.query('variant') ?? 'playback';
      if (variant !== 'source' && variant !== 'playback' && variant !== 'peaks') {
        throw new ApiError('bad-request', 'variant must be source, playback or peaks.');
      }
      return c.json(await service.stemUrl(room, c.req.param('hash'), variant));
    });
}

/** Typed client: `hc<StemRoutes>(...)`. */
export type StemRoutes = ReturnType<typeof createStemRoutes>;
