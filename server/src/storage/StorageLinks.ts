/** How a read link's object is handed to the browser. */
export interface ReadLinkOptions {
  /** Lifetime of the link. */
  readonly ttlSeconds: number;
  /** Served as an attachment under this name (downloads, stem sources). */
  readonly fileName?: string;
  /** The type to serve it as (the server decides; a stored type is never trusted blindly). */
  readonly contentType?: string;
}

/**
 * The short-lived URLs a browser uses to reach stored objects. Two implementations, picked
 * in the composition root (`startMixroom`):
 * - `createProxiedLinks` (embedded store): same-origin app paths carrying a token signed
 *   with the install's secret, served by `createObjectRoutes`; the browser never sees the store;
 * - `createPresignedLinks` (real S3): presigned S3 URLs, part URLs with their length signed in.
 * The client uses whatever URL it is given; it never builds one.
 */
export interface StorageLinks {
  /** 'app' links are relative paths on the app's own origin; 's3' links go to the S3 endpoint. */
  readonly kind: 'app' | 's3';
  /** A URL to GET the object at `key` from (Range requests work on it). */
  read(key: string, options: ReadLinkOptions): Promise<string>;
  /** A URL to PUT exactly `byteLength` bytes to as part `partNumber` of a multipart upload. */
  writePart(key: string, s3UploadId: string, partNumber: number, byteLength: number, ttlSeconds: number): Promise<string>;
}
