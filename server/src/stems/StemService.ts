import { randomUUID } from 'node:crypto';
import type { StemRef } from '@mixroom/shared/model';
import type { ObjectStore } from '../storage/ObjectStore.ts';
import type { StorageLinks } from '../storage/StorageLinks.ts';
import type { ProcessedStem, StemJob } from './ProcessedStem.ts';
import { DEFAULT_STEM_WORKER_LIMITS, runStemWorker, type StemWorkerLimits } from './runStemWorker.ts';
import type { StemAnalysis } from './StemAnalysis.ts';
import { ApiError } from '../http/ApiError.ts';
import type { StemVariant } from '@mixroom/shared/protocol';
import { stemKeys } from './stemKeys.ts';
import type { StemTrackSink } from './StemTrackSink.ts';

export interface StemServiceOptions {
  store: ObjectStore;
  /** The URLs browsers get for parts and stem files (app-proxied or presigned S3). */
  links: StorageLinks;
  tracks: StemTrackSink;
  /** Largest accepted file, bytes. */
  maxStemBytes: number;
  /** Longest accepted audio, seconds. */
  maxStemSeconds: number;
  /** Preferred part size (S3 needs >= 5 MiB except the last part). Default 8 MiB. */
  partSize?: number;
  /** Lifetime of part URLs. Default 1 hour (resume after a reload re-asks anyway). */
  partUrlTtlSeconds?: number;
  /** Lifetime of GET URLs. Default 10 minutes. */
  getUrlTtlSeconds?: number;
  /**
   * Uploads decoded and analysed at once (each holds its whole file and its float samples
   * in memory); the rest wait their turn. Default 2.
   */
  maxConcurrentValidations?: number;
  /** Heap and time of the worker thread that decodes and analyses each upload. */
  workerLimits?: StemWorkerLimits;
  now?: () => Date;
}

/** Stored beside the incoming object: what the server promised when the upload started. */
interface UploadManifest {
  s3UploadId: string;
  fileName: string;
  size: number;
  partSize: number;
  partCount: number;
  createdAt: string;
}

export interface UploadTicket {
  /** The server's id of this upload (not S3's); pass it back on every later call. */
  uploadId: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string }[];
}

export interface CompletedStem {
  trackId: string;
  stem: StemRef;
  analysis: StemAnalysis;
}

const MIN_PART = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;
const HASH = /^[0-9a-f]{64}$/;
const MAX_FILE_NAME = 255;

/**
 * The stems pipeline: multipart upload (parts PUT by the browser to the URLs `links` makes:
 * through the app for the embedded store, straight to S3 otherwise), then read-back,
 * validation, decoding, analysis, storage beside the stem and a track in the room.
 * A rejected upload leaves neither a track nor any object behind.
 */
export class StemService {
  private readonly partSize: number;
  private readonly partTtl: number;
  private readonly getTtl: number;
  private readonly now: () => Date;
  private readonly maxValidations: number;
  private validations = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: StemServiceOptions) {
    this.maxValidations = Math.max(1, options.maxConcurrentValidations ?? 2);
    this.partSize = Math.max(MIN_PART, options.partSize ?? 8 * 1024 * 1024);
    this.partTtl = options.partUrlTtlSeconds ?? 3600;
    this.getTtl = options.getUrlTtlSeconds ?? 600;
    this.now = options.now ?? (() => new Date());
  }

  get limits(): { maxStemBytes: number; maxStemSeconds: number } {
    return { maxStemBytes: this.options.maxStemBytes, maxStemSeconds: this.options.maxStemSeconds };
  }

  /** Starts a multipart upload and makes a URL for every part. */
  async initiateUpload(room: string, file: { fileName: string; size: number }): Promise<UploadTicket> {
    const fileName = cleanFileName(file.fileName);
    if (!Number.isSafeInteger(file.size) || file.size < 0) throw new ApiError('bad-request', 'The file size is missing or invalid.');
    if (file.size === 0) throw new ApiError('empty', `"${fileName}" is empty (0 bytes).`);
    if (file.size > this.options.maxStemBytes) {
      throw new ApiError('too-large', `"${fileName}" is ${formatBytes(file.size)}; the limit is ${formatBytes(this.options.maxStemBytes)}.`);
    }
    const partSize = Math.max(this.partSize, Math.ceil(file.size / MAX_PARTS));
    const partCount = Math.ceil(file.size / partSize);
    const uploadId = randomUUID();
    const key = stemKeys.incoming(room, uploadId);
    const s3UploadId = await this.options.store.createMultipartUpload(key, 'application/octet-stream');
    const manifest: UploadManifest = { s3UploadId, fileName, size: file.size, partSize, partCount, createdAt: this.now().toISOString() };
    await this.options.store.put(stemKeys.manifest(room, uploadId), JSON.stringify(manifest), 'application/json');
    const parts = await this.partUrls(key, manifest, range(1, partCount));
    return { uploadId, partSize, partCount, parts };
  }

  /** Fresh URLs for some parts (expired URLs, or resuming after a page reload). */
  async refreshPartUrls(room: string, uploadId: string, partNumbers: readonly number[]): Promise<{ partNumber: number; url: string }[]> {
    const m = await this.manifest(room, uploadId);
    for (const n of partNumbers) checkPartNumber(m, n);
    return this.partUrls(stemKeys.incoming(room, uploadId), m, partNumbers);
  }

  /**
   * Stores one part from the server itself (the demo seeding); the same length rule as a
   * part URL: exactly the part's share of the declared size. Resolves with its ETag.
   */
  async writePart(room: string, uploadId: string, partNumber: number, bytes: Uint8Array, signal?: AbortSignal): Promise<string> {
    const m = await this.manifest(room, uploadId);
    checkPartNumber(m, partNumber);
    if (bytes.length !== partLength(m, partNumber)) {
      throw new ApiError('bad-request', `Part ${partNumber} must be ${partLength(m, partNumber)} bytes; it is ${bytes.length}.`);
    }
    return this.options.store.uploadPart(stemKeys.incoming(room, uploadId), m.s3UploadId, partNumber, bytes, bytes.length, signal);
  }

  /** Cancels an upload; nothing of it remains (as far as the store supports aborting). */
  async abortUpload(room: string, uploadId: string): Promise<void> {
    const m = await this.manifest(room, uploadId);
    await this.options.store.abortMultipartUpload(stemKeys.incoming(room, uploadId), m.s3UploadId);
    await this.discardIncoming(room, uploadId);
  }

  /**
   * Completes the S3 upload, then validates and analyses the object and adds the track.
   * On any rejection every object of this upload is deleted before the error is thrown.
   */
  async completeUpload(
    room: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
    signal?: AbortSignal,
  ): Promise<CompletedStem> {
    const m = await this.manifest(room, uploadId);
    const key = stemKeys.incoming(room, uploadId);
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const complete = sorted.length === m.partCount && sorted.every((p, i) => p.partNumber === i + 1 && typeof p.etag === 'string' && p.etag.length > 0);
    if (!complete) throw new ApiError('bad-request', `The upload needs all ${m.partCount} parts, each with its ETag.`);
    try {
      await this.options.store.completeMultipartUpload(key, m.s3UploadId, sorted);
    } catch (cause) {
      // A wrong or missing part: the client may re-send parts and try again, so keep the upload.
      throw new ApiError('bad-request', `Storage refused to assemble the upload: ${(cause as Error).message}`, { cause });
    }
    try {
      await this.acquireValidation(signal);
      try {
        return await this.validateAndStore(room, uploadId, m, signal);
      } finally {
        this.releaseValidation();
      }
    } finally {
      await this.discardIncoming(room, uploadId);
    }
  }

  private async acquireValidation(signal?: AbortSignal): Promise<void> {
    while (this.validations >= this.maxValidations) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.validations++;
  }

  private releaseValidation(): void {
    this.validations--;
    this.waiting.shift()?.();
  }

  private async validateAndStore(room: string, uploadId: string, m: UploadManifest, signal?: AbortSignal): Promise<CompletedStem> {
    const { store } = this.options;
    const head = await store.head(stemKeys.incoming(room, uploadId));
    if (!head) throw new ApiError('not-found', 'The uploaded object is missing from storage.');
    if (head.size === 0) throw new ApiError('empty', `"${m.fileName}" is empty (0 bytes).`);
    if (head.size > this.options.maxStemBytes) {
      throw new ApiError('too-large', `"${m.fileName}" is ${formatBytes(head.size)}; the limit is ${formatBytes(this.options.maxStemBytes)}.`);
    }
    const bytes = await store.getBytes(stemKeys.incoming(room, uploadId), signal);
    if (!bytes) throw new ApiError('not-found', 'The uploaded object is missing from storage.');
    signal?.throwIfAborted();
    const sessionRate = await this.options.tracks.sessionSampleRate(room);
    const job: StemJob = { fileName: m.fileName, maxSeconds: this.options.maxStemSeconds, sessionRate };
    // Decoding, analysis and the playback copy run in a worker thread under a budget: a
    // hostile file costs that thread, never the main one (sockets, health checks, requests).
    const stem: ProcessedStem = await runStemWorker(bytes, job, this.options.workerLimits ?? DEFAULT_STEM_WORKER_LIMITS, signal);
    signal?.throwIfAborted();
    const hash = stem.contentHash;
    const sourceKey = stemKeys.source(room, hash, stem.format);
    const playbackKey = stem.format === 'wav' ? sourceKey : stemKeys.playbackCopy(room, hash);
    const analysis: StemAnalysis = {
      version: 1,
      key: sourceKey,
      contentHash: hash,
      fileName: m.fileName,
      byteLength: stem.byteLength,
      format: stem.format,
      encoding: stem.encoding,
      bitDepth: stem.bitDepth,
      sampleRate: stem.sampleRate,
      channels: stem.channels,
      frames: stem.frames,
      durationSeconds: stem.frames / stem.sampleRate,
      playbackKey,
      peaksKey: stemKeys.peaks(room, hash),
      loudness: stem.loudness,
      createdAt: this.now().toISOString(),
    };
    // The same bytes uploaded twice share one stored stem (content addressed); only a new
    // stem's objects are written, and only those are removed if a later step fails.
    const existed = (await store.head(sourceKey)) !== null;
    const written: string[] = [];
    try {
      if (!existed) {
        await store.copy(stemKeys.incoming(room, uploadId), sourceKey, contentTypeOf(stem.format));
        written.push(sourceKey);
        if (playbackKey !== sourceKey && stem.playbackWav) {
          await store.put(playbackKey, stem.playbackWav, 'audio/wav');
          written.push(playbackKey);
        }
        await store.put(stemKeys.peaks(room, hash), stem.peaks, 'application/octet-stream');
        written.push(stemKeys.peaks(room, hash));
        await store.put(stemKeys.analysis(room, hash), JSON.stringify(analysis), 'application/json');
        written.push(stemKeys.analysis(room, hash));
      }
      const ref: StemRef = {
        key: sourceKey,
        fileName: m.fileName,
        sampleRate: stem.sampleRate,
        channels: stem.channels,
        frames: stem.frames,
      };
      const trackId = await this.options.tracks.addTrack(room, { name: trackName(m.fileName), stem: ref });
      return { trackId, stem: ref, analysis };
    } catch (error) {
      await Promise.allSettled(written.map((k) => store.delete(k)));
      throw error;
    }
  }

  /**
   * Aborts and deletes uploads started more than `olderThanMs` ago and never completed
   * (a tab closed for good). Returns how many were removed.
   */
  async sweepStaleUploads(olderThanMs: number, signal?: AbortSignal): Promise<number> {
    const { store } = this.options;
    const manifests = (await store.listKeys(stemKeys.uploadsPrefix)).filter((k) => k.endsWith('.json'));
    let removed = 0;
    for (const key of manifests) {
      signal?.throwIfAborted();
      const m = /^uploads\/([A-Za-z0-9_-]{1,64})\/([0-9a-f-]{36})\.json$/.exec(key);
      if (!m) continue;
      const [, room, uploadId] = m as unknown as [string, string, string];
      const bytes = await store.getBytes(key);
      if (!bytes) continue;
      let manifest: UploadManifest;
      try {
        manifest = JSON.parse(new TextDecoder().decode(bytes)) as UploadManifest;
      } catch {
        await this.discardIncoming(room, uploadId);
        removed++;
        continue;
      }
      if (this.now().getTime() - Date.parse(manifest.createdAt) < olderThanMs) continue;
      await store.abortMultipartUpload(stemKeys.incoming(room, uploadId), manifest.s3UploadId);
      await this.discardIncoming(room, uploadId);
      removed++;
    }
    return removed;
  }

  /** Short-lived URL of a stem's source, playback copy or peaks (Range requests work on it). */
  async stemUrl(room: string, hash: string, variant: StemVariant): Promise<{ url: string; expiresAt: string }> {
    const analysis = await this.analysis(room, hash);
    const url =
      variant === 'source'
        ? await this.options.links.read(analysis.key, { ttlSeconds: this.getTtl, fileName: analysis.fileName, contentType: contentTypeOf(analysis.format) })
        : variant === 'playback'
          ? await this.options.links.read(analysis.playbackKey, { ttlSeconds: this.getTtl, contentType: 'audio/wav' })
          : await this.options.links.read(analysis.peaksKey, { ttlSeconds: this.getTtl, contentType: 'application/octet-stream' });
    return { url, expiresAt: new Date(this.now().getTime() + this.getTtl * 1000).toISOString() };
  }

  /** The stored analysis of a stem. */
  async analysis(room: string, hash: string): Promise<StemAnalysis> {
    if (!HASH.test(hash)) throw new ApiError('not-found', 'No such stem.');
    const bytes = await this.options.store.getBytes(stemKeys.analysis(room, hash));
    if (!bytes) throw new ApiError('not-found', 'No such stem in this room.');
    return JSON.parse(new TextDecoder().decode(bytes)) as StemAnalysis;
  }

  private async manifest(room: string, uploadId: string): Promise<UploadManifest> {
    if (!UPLOAD_ID.test(uploadId)) throw new ApiError('not-found', 'No such upload.');
    const bytes = await this.options.store.getBytes(stemKeys.manifest(room, uploadId));
    if (!bytes) throw new ApiError('not-found', 'This upload does not exist (it finished, was cancelled or expired). Start it again.');
    return JSON.parse(new TextDecoder().decode(bytes)) as UploadManifest;
  }

  private async discardIncoming(room: string, uploadId: string): Promise<void> {
    await Promise.allSettled([
      this.options.store.delete(stemKeys.incoming(room, uploadId)),
      this.options.store.delete(stemKeys.manifest(room, uploadId)),
    ]);
  }

  private partUrls(key: string, m: UploadManifest, partNumbers: readonly number[]) {
    return Promise.all(
      partNumbers.map(async (partNumber) => ({
        partNumber,
        url: await this.options.links.writePart(key, m.s3UploadId, partNumber, partLength(m, partNumber), this.partTtl),
      })),
    );
  }
}

function checkPartNumber(m: UploadManifest, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > m.partCount) throw new ApiError('bad-request', `Part ${n} is not part of this upload.`);
}

/** Every part is `partSize` bytes but the last, which holds the rest of the declared size. */
function partLength(m: UploadManifest, partNumber: number): number {
  return partNumber < m.partCount ? m.partSize : m.size - (m.partCount - 1) * m.partSize;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** File names are metadata only: strip any path, control characters, and cap the length. */
function cleanFileName(name: unknown): string {
  if (typeof name !== 'string') throw new ApiError('bad-request', 'The file name is missing.');
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!base) throw new ApiError('bad-request', 'The file name is empty.');
  return base.slice(0, MAX_FILE_NAME);
}

function trackName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const base = (dot > 0 ? fileName.slice(0, dot) : fileName).trim();
  return (base || fileName).slice(0, 100);
}

function contentTypeOf(format: string): string {
  switch (format) {
    case 'wav':
      return 'audio/wav';
    case 'aiff':
      return 'audio/aiff';
    case 'flac':
      return 'audio/flac';
    case 'mp3':
      return 'audio/mpeg';
    default:
      return 'audio/ogg';
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${n} bytes`;
}
