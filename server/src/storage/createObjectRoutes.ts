import { pipeline, Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import type { ApiErrorBody, ApiErrorCode } from '@mixroom/shared/protocol';
import { attachment, type ObjectStore } from './ObjectStore.ts';
import type { ObjectLink, ObjectLinkSigner } from './ObjectLinkToken.ts';
import type { ReadObject } from './readEmbeddedObject.ts';
import { safeObjectType } from './safeObjectType.ts';

export interface ObjectRoutesDeps {
  store: ObjectStore;
  links: ObjectLinkSigner;
  /** How GETs read objects; default the store over S3 (the embedded store's files, see `createEmbeddedObjectReader`). */
  read?: ReadObject;
}

/**
 * Headers on every object response, errors included. A stored object is never a page of
 * the app's origin: no sniffing into HTML, a sandboxed CSP (no script, no same-origin
 * access even if a browser rendered it), never framed, not embeddable cross-origin. Complete
 * on their own: object bytes are piped past the app's header middleware.
 */
export const OBJECT_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'private, no-store',
};

const SINGLE_RANGE = /^bytes=(\d+-\d*|-\d+)$/;

/**
 * The embedded store's objects, served by the app (mounted at `/api/objects`; links come
 * from `createProxiedLinks`). The token in the path is the whole authority: signed with
 * the install's secret, bound to one object key, one method and an expiry, and for a part
 * upload to its S3 upload, part number and exact length.
 *
 *   GET  /:token   the object, or one byte range of it (206); an attachment, never HTML
 *   HEAD /:token   its length and type
 *   PUT  /:token   one upload part, streamed to the store; exactly the signed length -> 200 + ETag
 *
 * Refusals: 403 (forged, retargeted, expired or wrong-method link), 411 (no length),
 * 413 (longer than signed, refused before a byte is read), 400 (shorter), 404, 416.
 */
export function createObjectRoutes(deps: ObjectRoutesDeps) {
  const { store } = deps;
  const read_ = deps.read ?? ((key: string, range: string | undefined) => store.read(key, range));

  const refuse = (c: Context, status: 400 | 403 | 404 | 405 | 411 | 413 | 416 | 502, code: ApiErrorCode, message: string, close = false) => {
    for (const [k, v] of Object.entries(OBJECT_RESPONSE_HEADERS)) c.header(k, v);
    // A refused upload's body is not read: close the connection instead of draining it.
    if (close) c.header('connection', 'close');
    return c.json({ error: { code, message } } satisfies ApiErrorBody, status);
  };

  const grant = <M extends ObjectLink['m']>(c: Context, method: M): Extract<ObjectLink, { m: M }> | Response => {
    const verdict = deps.links.verify(c.req.param('token') ?? '');
    if (!verdict.ok) {
      return verdict.reason === 'expired'
        ? refuse(c, 403, 'link-expired', 'This storage link has expired; ask for a new one.', method === 'PUT')
        : refuse(c, 403, 'link-invalid', 'This storage link is not valid.', method === 'PUT');
    }
    if (verdict.link.m !== method) return refuse(c, 403, 'link-invalid', `This storage link is not for ${method}.`, method === 'PUT');
    return verdict.link as Extract<ObjectLink, { m: M }>;
  };

  const objectHeaders = (link: Extract<ObjectLink, { m: 'GET' }>, storedType: string | undefined): Record<string, string> => ({
    ...OBJECT_RESPONSE_HEADERS,
    'content-type': safeObjectType(link.t ?? storedType),
    'content-disposition': link.f ? attachment(link.f) : 'attachment',
    'accept-ranges': 'bytes',
  });

  return new Hono()
    .on('HEAD', '/:token', async (c) => {
      const link = grant(c, 'GET');
      if (link instanceof Response) return link;
      const info = await store.head(link.k);
      if (!info) return refuse(c, 404, 'not-found', 'No such object.');
      return c.body(null, 200, { ...objectHeaders(link, info.contentType), 'content-length': String(info.size) });
    })
    .get('/:token', async (c) => {
      const link = grant(c, 'GET');
      if (link instanceof Response) return link;
      // One range, as the chunked player asks; anything else is ignored (RFC 9110) and the whole object is sent.
      const asked = c.req.header('range');
      const range = asked !== undefined && SINGLE_RANGE.test(asked) ? asked : undefined;
      let read;
      try {
        read = await read_(link.k, range);
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'InvalidRange' || e.$metadata?.httpStatusCode === 416) {
          const info = await store.head(link.k);
          c.header('content-range', `bytes */${info?.size ?? 0}`);
          return refuse(c, 416, 'range', 'The requested range is past the end of the object.');
        }
        throw error;
      }
      if (!read) return refuse(c, 404, 'not-found', 'No such object.');
      const headers: Record<string, string> = { ...objectHeaders(link, read.contentType), 'content-length': String(read.contentLength) };
      if (read.contentRange) headers['content-range'] = read.contentRange;
      if (read.etag) headers.etag = read.etag;
      if (read.lastModified) headers['last-modified'] = read.lastModified.toUTCString();
      // On the Node server, the store's stream is piped straight into the socket: through a web
      // ReadableStream (Readable.toWeb) the app served Range reads at a third of the speed.
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (outgoing) {
        outgoing.writeHead(read.status, headers);
        pipeline(read.body, outgoing, () => undefined);
        return RESPONSE_ALREADY_SENT;
      }
      return new Response(Readable.toWeb(read.body) as ReadableStream, { status: read.status, headers });
    })
    .put('/:token', async (c) => {
      const link = grant(c, 'PUT');
      if (link instanceof Response) return link;
      const declared = c.req.header('content-length');
      if (declared === undefined) return refuse(c, 411, 'length-required', `Send this part with a Content-Length of ${link.n} bytes.`, true);
      if (!/^\d{1,16}$/.test(declared)) return refuse(c, 400, 'bad-request', 'Content-Length is not a number.', true);
      const length = Number(declared);
      if (length > link.n) return refuse(c, 413, 'too-large', `This part must be ${link.n} bytes; ${length} were sent.`, true);
      if (length < link.n) return refuse(c, 400, 'bad-request', `This part must be ${link.n} bytes; ${length} were sent.`, true);
      const source = c.req.raw.body;
      // Streamed, never buffered whole; the counter is a second fence behind HTTP framing.
      const abort = new AbortController();
      const onClientAbort = () => abort.abort(c.req.raw.signal.reason);
      c.req.raw.signal.addEventListener('abort', onClientAbort, { once: true });
      const body = pipeline(source ? Readable.fromWeb(source as NodeReadableStream) : Readable.from([]), byteFence(link.n), (error) => {
        if (error) abort.abort(error);
      });
      try {
        const etag = await store.uploadPart(link.k, link.u, link.p, body, link.n, abort.signal);
        return c.body(null, 200, { ...OBJECT_RESPONSE_HEADERS, etag });
      } catch (error) {
        if (abort.signal.aborted) return refuse(c, 400, 'bad-request', `The part did not arrive whole (${link.n} bytes expected).`, true);
        const e = error as { name?: string };
        if (e.name === 'NoSuchUpload') return refuse(c, 404, 'not-found', 'This upload no longer exists; start it again.');
        throw error;
      } finally {
        c.req.raw.signal.removeEventListener('abort', onClientAbort);
      }
    })
    .onError((error, c) => {
      // A reader that went away (a seek dropped its Range read) is not a failure.
      if (c.req.raw.signal.aborted) return refuse(c, 400, 'bad-request', 'The request was cancelled.');
      console.error('object route failed', error);
      return refuse(c, 502, 'storage', 'Storage failed; please try again.');
    });
}

/** Passes exactly `limit` bytes; fails the stream if more arrive, or fewer by the end. */
function byteFence(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > limit ? new Error('part longer than signed') : null, chunk);
    },
    flush(done) {
      done(seen === limit ? null : new Error('part shorter than signed'));
    },
  });
}

export type ObjectRoutes = ReturnType<typeof createObjectRoutes>;
