import { StemUploadError } from './StemUploadError.ts';

/** The stems API calls the uploader makes (same origin, session cookie). */
export interface UploadTicket {
  uploadId: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string }[];
}

export interface CompletedStem {
  trackId: string;
  stem: { key: string; fileName: string; sampleRate: number; channels: number; frames: number };
  analysis: Record<string, unknown>;
}

/** POSTs JSON to the stems API; throws StemUploadError with the server's message. */
export async function postStemApi<T>(apiBase: string, room: string, path: string, body: unknown, signal?: AbortSignal, method = 'POST'): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${apiBase}/api/rooms/${encodeURIComponent(room)}/stems${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new StemUploadError('network', 'The server could not be reached.', 0);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): reported below.
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new StemUploadError(e?.code ?? 'server', e?.message ?? `The server answered HTTP ${res.status}.`, res.status);
  }
  return json as T;
}
