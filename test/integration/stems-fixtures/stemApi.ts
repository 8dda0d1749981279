/** What a browser does, from Node: the stems HTTP API plus the part PUTs to the URLs it hands out. */
export interface UploadResult {
  status: number;
  body: any;
}

export async function api(base: string, path: string, init: { method?: string; body?: unknown; role?: string } = {}): Promise<UploadResult> {
  const url = `${base}${path}${path.includes('?') ? '&' : '?'}role=${init.role ?? 'owner'}`;
  const send = () =>
    fetch(url, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  let r: Response;
  try {
    r = await send();
  } catch (error) {
    // A pooled keep-alive socket closed by the server as it was reused (its 5 s idle
    // timeout under a loaded machine): the request never arrived, so send it again, as
    // browsers do in this case.
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    r = await send();
  }
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/**
 * PUTs one part to its URL (an app path for the embedded store, resolved against `base`;
 * a presigned S3 URL otherwise) and returns the ETag answered. Retries a
 * reset connection like the browser uploader does (a part PUT is idempotent): s3rver closes
 * idle keep-alive sockets after 5 s, and a reused one can be reset under load.
 */
export async function putPart(base: string, url: string, bytes: Uint8Array, attempts = 3): Promise<string> {
  let r: Response;
  try {
    r = await fetch(new URL(url, base), { method: 'PUT', body: bytes.slice() });
  } catch (error) {
    if (attempts <= 1) throw error;
    return putPart(base, url, bytes, attempts - 1);
  }
  if (!r.ok) throw new Error(`part PUT failed: ${r.status} ${await r.text()}`);
  const etag = r.headers.get('etag');
  if (!etag) throw new Error('no ETag on part response');
  return etag;
}

/** Full upload: initiate, all parts in parallel, complete. Resolves with the completion response. */
export async function uploadStem(
  base: string,
  room: string,
  fileName: string,
  bytes: Uint8Array,
  options: { role?: string; declaredSize?: number; onInitiated?: (ticket: any) => void } = {},
): Promise<UploadResult & { ticket: any; maxConcurrentParts: number }> {
  const init = await api(base, `/api/rooms/${room}/stems/uploads`, {
    method: 'POST',
    body: { fileName, size: options.declaredSize ?? bytes.length },
    role: options.role,
  });
  if (init.status !== 201) return { ...init, ticket: null, maxConcurrentParts: 0 };
  const ticket = init.body;
  options.onInitiated?.(ticket);
  let inFlight = 0;
  let maxConcurrentParts = 0;
  const etags = await Promise.all(
    ticket.parts.map(async (p: { partNumber: number; url: string }) => {
      const start = (p.partNumber - 1) * ticket.partSize;
      const isLast = p.partNumber === ticket.partCount;
      // A lying client may send more than declared: the last part carries the rest.
      const end = isLast ? bytes.length : start + ticket.partSize;
      maxConcurrentParts = Math.max(maxConcurrentParts, ++inFlight);
      try {
        return { partNumber: p.partNumber, etag: await putPart(base, p.url, bytes.subarray(start, end)) };
      } finally {
        inFlight--;
      }
    }),
  );
  const done = await api(base, `/api/rooms/${room}/stems/uploads/${ticket.uploadId}/complete`, {
    method: 'POST',
    body: { parts: etags },
    role: options.role,
  });
  return { ...done, ticket, maxConcurrentParts };
}
