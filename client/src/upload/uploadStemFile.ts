import { backoffDelay, sleep } from './backoffDelay.ts';
import { PartUploadError, putPart } from './putPart.ts';
import { ResumeStore } from './ResumeStore.ts';
import { createStemUploadApi, type CompletedStem, type UploadTicket } from './stemUploadApi.ts';
import { StemUploadError } from './StemUploadError.ts';

/** Where an upload is: bytes to S3 first, then the server reads, checks and analyses it. */
export type UploadPhase = 'starting' | 'uploading' | 'processing';

export interface UploadProgressEvent {
  phase: UploadPhase;
  /** Bytes acknowledged or in flight (a retried part's bytes are counted once). */
  loaded: number;
  total: number;
  /** Parts resumed from an earlier session (already in S3). */
  resumedParts: number;
}

export interface UploadStemOptions {
  room: string;
  file: File;
  /** Origin of the API ('' = same origin). */
  apiBase?: string;
  /** Parts in flight at once. */
  concurrency?: number;
  /** Attempts per part (network errors, 5xx, expired URLs) before giving up. */
  maxAttempts?: number;
  signal?: AbortSignal;
  onProgress?: (e: UploadProgressEvent) => void;
  resume?: ResumeStore;
}

/**
 * Uploads one stem: asks the server for a presigned multipart upload (or resumes the one
 * recorded in localStorage for the same file), PUTs the parts straight to S3 in parallel
 * with retry and backoff, then asks the server to complete, validate and analyse it.
 * Resolves with the new track; rejects with StemUploadError carrying the server's message.
 * Aborting keeps the resume record, so the same file dropped again continues.
 */
export async function uploadStemFile(options: UploadStemOptions): Promise<CompletedStem> {
  const { room, file, signal } = options;
  const api = createStemUploadApi(options.apiBase ?? '', room);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const resume = options.resume ?? new ResumeStore();
  const total = file.size;
  const emit = (phase: UploadPhase, loaded: number, resumedParts: number) => options.onProgress?.({ phase, loaded, total, resumedParts });
  emit('starting', 0, 0);

  // 1. A ticket: resumed (fresh URLs for the parts still missing) or new.
  let ticket: UploadTicket | null = null;
  const etags = new Map<number, string>();
  const saved = resume.get(room, file);
  if (saved) {
    const missing = range(1, saved.partCount).filter((n) => !saved.etags[n]);
    try {
      const parts =
        missing.length === 0
          ? []
          : await api.partUrls(saved.uploadId, missing, signal);
      ticket = { uploadId: saved.uploadId, partSize: saved.partSize, partCount: saved.partCount, parts };
      for (const [n, etag] of Object.entries(saved.etags)) etags.set(Number(n), etag);
    } catch (error) {
      // The server no longer knows it (finished, cancelled, expired): start over.
      if (!(error instanceof StemUploadError) || error.status !== 404) throw error;
      resume.delete(room, file);
    }
  }
  ticket ??= await api.start({ fileName: file.name, size: file.size }, signal);
  const t = ticket;
  const record = () =>
    resume.put(room, file, { uploadId: t.uploadId, partSize: t.partSize, partCount: t.partCount, etags: Object.fromEntries(etags) });
  record();

  // 2. Parts, `concurrency` at a time, each retried with backoff.
  const resumedParts = etags.size;
  const sizeOf = (n: number) => Math.min(t.partSize, total - (n - 1) * t.partSize);
  let doneBytes = [...etags.keys()].reduce((s, n) => s + sizeOf(n), 0);
  const inFlight = new Map<number, number>();
  const report = () => emit('uploading', doneBytes + [...inFlight.values()].reduce((a, b) => a + b, 0), resumedParts);
  report();
  const urls = new Map(t.parts.map((p) => [p.partNumber, p.url]));
  const queue = range(1, t.partCount).filter((n) => !etags.has(n));

  const sendPart = async (n: number): Promise<void> => {
    const blob = file.slice((n - 1) * t.partSize, (n - 1) * t.partSize + sizeOf(n));
    for (let attempt = 1; ; attempt++) {
      let url = urls.get(n);
      if (!url) {
        url = (await api.partUrls(t.uploadId, [n], signal))[0]!.url;
        urls.set(n, url);
      }
      try {
        const etag = await putPart(url, blob, (loaded) => {
          inFlight.set(n, loaded);
          report();
        }, signal);
        inFlight.delete(n);
        etags.set(n, etag);
        doneBytes += blob.size;
        record();
        report();
        return;
      } catch (error) {
        inFlight.delete(n);
        report();
        if ((error as Error).name === 'AbortError') throw error;
        const status = error instanceof PartUploadError ? error.status : 0;
        // 403: the presigned URL expired (or the clock is off): get a fresh one.
        if (status === 403) urls.delete(n);
        const retryable = status === 0 || status === 403 || status === 408 || status === 429 || status >= 500;
        if (!retryable || attempt >= maxAttempts) {
          throw new StemUploadError('network', `Sending "${file.name}" failed after ${attempt} attempt(s): ${(error as Error).message}`, status);
        }
        await sleep(backoffDelay(attempt), signal);
      }
    }
  };

  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) await sendPart(n);
  });
  const results = await Promise.allSettled(workers);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  // 3. The server assembles, validates, analyses and adds the track.
  emit('processing', total, resumedParts);
  try {
    const parts = [...etags].map(([partNumber, etag]) => ({ partNumber, etag })).sort((a, b) => a.partNumber - b.partNumber);
    const result = await api.complete(t.uploadId, parts, signal);
    resume.delete(room, file);
    return result;
  } catch (error) {
    // A rejected stem is gone server-side; only a network failure leaves something to resume.
    if (error instanceof StemUploadError && error.status !== 0) resume.delete(room, file);
    throw error;
  }
}

/** Cancels an upload for good: the server deletes what S3 holds, and the resume record goes. */
export async function cancelStemUpload(options: { room: string; file: File; apiBase?: string; resume?: ResumeStore }): Promise<void> {
  const resume = options.resume ?? new ResumeStore();
  const saved = resume.get(options.room, options.file);
  resume.delete(options.room, options.file);
  if (saved) await createStemUploadApi(options.apiBase ?? '', options.room).abort(saved.uploadId).catch(() => {});
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
