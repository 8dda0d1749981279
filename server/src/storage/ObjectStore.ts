import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';

/** Metadata of a stored object. */
export interface ObjectInfo {
  size: number;
  contentType: string | undefined;
}

/** An object's bytes (or the requested range of them) as a stream, with what to answer about them. */
export interface ObjectRead {
  /** 200 for the whole object, 206 for a range. */
  status: 200 | 206;
  body: Readable;
  contentLength: number;
  /** `bytes a-b/size` for a range. */
  contentRange: string | undefined;
  contentType: string | undefined;
  etag: string | undefined;
  lastModified: Date | undefined;
}

/** How a presigned GET is answered: under which name and type. */
export interface PresignGetOptions {
  /** Served as an attachment under this name. */
  fileName?: string;
  /** Overrides the stored Content-Type. */
  contentType?: string;
}

/**
 * The server's whole view of S3: one bucket, reached only through @aws-sdk/client-s3.
 * Keys are always made by the server; nothing here takes a user-supplied path.
 */
export class ObjectStore {
  /**
   * @param abortFallback removes an upload's parts when the store cannot abort it (the
   *   embedded s3rver); see {@link abortMultipartUpload}.
   */
  constructor(
    readonly s3: S3Client,
    readonly bucket: string,
    private readonly abortFallback?: (s3UploadId: string) => Promise<void>,
  ) {}

  async createMultipartUpload(key: string, contentType: string): Promise<string> {
    const r = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }));
    if (!r.UploadId) throw new Error('S3 returned no UploadId');
    return r.UploadId;
  }

  /**
   * A presigned URL the browser PUTs one part to. The part's length is signed in
   * (`content-length` is a signed header), so S3 refuses a body of any other size.
   */
  presignUploadPart(key: string, uploadId: string, partNumber: number, contentLength: number, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.s3,
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, ContentLength: contentLength }),
      { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-length']) },
    );
  }

  /** Stores one part of a multipart upload from the server itself; resolves with its ETag. */
  async uploadPart(key: string, uploadId: string, partNumber: number, body: Uint8Array | Readable, contentLength: number, signal?: AbortSignal): Promise<string> {
    const r = await this.s3.send(
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: contentLength }),
      { abortSignal: signal },
    );
    if (!r.ETag) throw new Error('S3 returned no ETag for the part');
    return r.ETag;
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<void> {
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
    );
  }

  /**
   * Aborts a multipart upload. s3rver (the embedded store) does not implement aborting
   * (405): then `abortFallback` deletes the parts, or, without one, this returns false and
   * the parts stay in the store, invisible to the S3 API. Real S3/MinIO/R2 abort.
   */
  async abortMultipartUpload(key: string, uploadId: string): Promise<boolean> {
    try {
      await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return true;
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'MethodNotAllowed' || e.name === 'NotImplemented' || e.$metadata?.httpStatusCode === 405) {
        if (!this.abortFallback) return false;
        await this.abortFallback(uploadId);
        return true;
      }
      throw error;
    }
  }

  /** Presigned GET: short-lived, and S3 serves Range requests on it. */
  presignGet(key: string, expiresInSeconds: number, options: PresignGetOptions = {}): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(options.fileName ? { ResponseContentDisposition: attachment(options.fileName) } : {}),
        ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
      }),
      { expiresIn: expiresInSeconds },
    );
  }

  /**
   * Streams an object, or one byte range of it (`range` is an HTTP `Range` value such as
   * `bytes=0-65535`). Null when it does not exist; an unsatisfiable range throws S3's
   * InvalidRange error (HTTP 416).
   */
  async read(key: string, range: string | undefined, signal?: AbortSignal): Promise<ObjectRead | null> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: range } : {}) }), { abortSignal: signal });
      return {
        status: r.ContentRange ? 206 : 200,
        body: r.Body as Readable,
        contentLength: r.ContentLength ?? 0,
        contentRange: r.ContentRange,
        contentType: r.ContentType,
        etag: r.ETag,
        lastModified: r.LastModified,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Size and type, or null when the object does not exist. */
  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: r.ContentLength ?? 0, contentType: r.ContentType };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Whole object as bytes, or null when it does not exist. */
  async getBytes(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      if (!r.Body) return new Uint8Array(0);
      return await r.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /** Server-side copy (no bytes through this process). Objects above 5 GB would need UploadPartCopy. */
  async copy(fromKey: string, toKey: string, contentType: string): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: toKey,
        CopySource: `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
        ContentType: contentType,
        MetadataDirective: 'REPLACE',
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Every key under `prefix` (paginated). */
  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

/** `Content-Disposition: attachment` with a plain and an RFC 5987 name. */
export function attachment(fileName: string): string {
  const plain = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.name === 'NoSuchUpload' || e.$metadata?.httpStatusCode === 404;
}
