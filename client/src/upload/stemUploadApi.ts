import type { InferResponseType } from 'hono/client';
import { readApiError } from '@mixroom/shared/protocol';
import { createMixroomClient, pathParams, type MixroomClient } from '../api/mixroomApi.ts';
import { StemUploadError } from './StemUploadError.ts';

type Stems = MixroomClient['api']['rooms'][':room']['stems'];

/** What the server answers when an upload starts: its id and a URL for every part. */
export type UploadTicket = InferResponseType<Stems['uploads']['$post'], 201>;

/** What the server answers once the file is checked and stored: the new track and its stem. */
export type CompletedStem = InferResponseType<Stems['uploads'][':uploadId']['complete']['$post'], 201>;

/** The stems API calls the uploader makes (same origin, session cookie); each throws StemUploadError with the server's message. */
export interface StemUploadApi {
  start(file: { fileName: string; size: number }, signal?: AbortSignal): Promise<UploadTicket>;
  /** Fresh URLs for some parts (the old ones expired, or the upload resumes). */
  partUrls(uploadId: string, partNumbers: number[], signal?: AbortSignal): Promise<UploadTicket['parts']>;
  complete(uploadId: string, parts: { partNumber: number; etag: string }[], signal?: AbortSignal): Promise<CompletedStem>;
  abort(uploadId: string): Promise<void>;
}

/** The stems upload API of `room` on the server at `apiBase` ('' = this origin). */
export function createStemUploadApi(apiBase: string, room: string): StemUploadApi {
  const stems = createMixroomClient(apiBase).api.rooms[':room'].stems;
  const at = (uploadId: string) => pathParams({ room, uploadId });
  const init = (signal?: AbortSignal) => (signal ? { init: { signal } } : {});
  return {
    start: (file, signal) => answer(stems.uploads.$post({ param: pathParams({ room }), json: file }, init(signal))),
    partUrls: async (uploadId, partNumbers, signal) =>
      (await answer(stems.uploads[':uploadId'].parts.$post({ param: at(uploadId), json: { partNumbers } }, init(signal)))).parts,
    complete: (uploadId, parts, signal) => answer(stems.uploads[':uploadId'].complete.$post({ param: at(uploadId), json: { parts } }, init(signal))),
    abort: async (uploadId) => void (await answer(stems.uploads[':uploadId'].$delete({ param: at(uploadId) }))),
  };
}

/** The JSON of a successful answer; a refusal, a network failure or a non-JSON error page as StemUploadError. */
async function answer<T>(request: Promise<{ ok: boolean; status: number; text(): Promise<string> } & { json(): Promise<T> }>): Promise<T> {
  let res: Awaited<typeof request>;
  try {
    res = await request;
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
    const e = readApiError(json);
    throw new StemUploadError(e?.code ?? 'server', e?.message ?? `The server answered HTTP ${res.status}.`, res.status);
  }
  return json as T;
}
