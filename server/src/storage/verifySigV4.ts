import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createScope, getCanonicalHeaders, getCanonicalQuery, getSigningKey } from '@smithy/signature-v4';
import type { StoreCredentials } from './loadStoreCredentials.ts';

/** An HTTP request as it arrived, before anything decoded it. */
export interface SigV4Request {
  readonly method: string;
  /** The path exactly as sent (still percent-encoded), without the query. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  /** Header names in lower case (Node's `IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SigV4Options {
  readonly credentials: StoreCredentials;
  readonly region: string;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** How far `X-Amz-Date` may be from `now` (S3 allows 15 minutes). */
  readonly maxSkewMs: number;
  /** Accept query-signed (presigned) URLs too; header-signed requests are always accepted. */
  readonly presigned: boolean;
}

export type SigV4Refusal =
  | 'MissingSecurityHeader'
  | 'AuthorizationHeaderMalformed'
  | 'InvalidAccessKeyId'
  | 'RequestTimeTooSkewed'
  | 'AccessDenied'
  | 'SignatureDoesNotMatch';

export type SigV4Verdict = { ok: true } | { ok: false; code: SigV4Refusal; message: string };

const AUTH_HEADER =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const CREDENTIAL = /^([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/**
 * Verifies an AWS Signature Version 4 request the way S3 does: the access key, the scope
 * (day, region, `s3`), the request time against the clock (and a presigned URL's expiry),
 * and the HMAC over the canonical request, rebuilt with @smithy/signature-v4's own
 * canonicalisation and key derivation (the code our SDK signs with). Header-signed requests
 * must sign `host`, `x-amz-date` and `x-amz-content-sha256`; a presigned URL signs its
 * payload as `UNSIGNED-PAYLOAD`. The body itself is not hashed here: the signature binds the
 * method, path, query and every signed header (content length included when signed).
 */
export async function verifySigV4(request: SigV4Request, options: SigV4Options): Promise<SigV4Verdict> {
  const header = one(request.headers.authorization);
  const query = new URLSearchParams(request.query);
  const byQuery = query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm');
  if (header === undefined && !byQuery) return refuse('AccessDenied', 'Anonymous requests are refused: sign them with the store key.');
  if (header !== undefined && byQuery) return refuse('AuthorizationHeaderMalformed', 'Only one way of signing is allowed.');
  if (byQuery && !options.presigned) return refuse('AccessDenied', 'Presigned URLs are not accepted by this store.');

  let keyId: string, day: string, region: string, service: string, signedHeaders: string, signature: string, amzDate: string | undefined;
  let payloadHash: string;
  let expiresSeconds: number | null = null;
  if (header !== undefined) {
    const m = AUTH_HEADER.exec(header);
    if (!m) return refuse('AuthorizationHeaderMalformed', 'The Authorization header is not a SigV4 header.');
    [, keyId, day, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
    amzDate = one(request.headers['x-amz-date']);
    const hash = one(request.headers['x-amz-content-sha256']);
    if (hash === undefined || !/^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/.test(hash)) return refuse('MissingSecurityHeader', 'x-amz-content-sha256 is missing or invalid.');
    payloadHash = hash;
  } else {
    const credential = CREDENTIAL.exec(query.get('X-Amz-Credential') ?? '');
    const expires = Number(query.get('X-Amz-Expires'));
    signature = query.get('X-Amz-Signature') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !credential || !/^[0-9a-f]{64}$/.test(signature) || !/^[a-z0-9;-]+$/.test(signedHeaders)) {
      return refuse('AuthorizationHeaderMalformed', 'The presigned URL is missing or has malformed X-Amz-* parameters.');
    }
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) return refuse('AuthorizationHeaderMalformed', 'X-Amz-Expires is invalid.');
    [, keyId, day, region, service] = credential as unknown as [string, string, string, string, string];
    amzDate = query.get('X-Amz-Date') ?? undefined;
    expiresSeconds = expires;
    payloadHash = 'UNSIGNED-PAYLOAD';
  }

  if (keyId !== options.credentials.accessKeyId) return refuse('InvalidAccessKeyId', 'The access key is not known to this store.');
  const at = parseAmzDate(amzDate);
  if (at === null || amzDate!.slice(0, 8) !== day) return refuse('AuthorizationHeaderMalformed', 'X-Amz-Date is missing, malformed or outside the credential scope.');
  if (region !== options.region || service !== 's3') return refuse('AuthorizationHeaderMalformed', 'The credential scope names another region or service.');
  if (at > options.now + options.maxSkewMs) return refuse('RequestTimeTooSkewed', 'The request time is too far in the future.');
  const notAfter = expiresSeconds === null ? at + options.maxSkewMs : at + expiresSeconds * 1000;
  if (options.now > notAfter) return refuse(expiresSeconds === null ? 'RequestTimeTooSkewed' : 'AccessDenied', expiresSeconds === null ? 'The request time is too old.' : 'The presigned URL has expired.');

  const names = signedHeaders.split(';');
  const required = expiresSeconds === null ? ['host', 'x-amz-content-sha256', 'x-amz-date'] : ['host'];
  if (required.some((n) => !names.includes(n))) return refuse('AuthorizationHeaderMalformed', `The signature must cover ${required.join(', ')}.`);
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value === undefined) return refuse('AuthorizationHeaderMalformed', `Signed header ${name} is missing.`);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const canonicalHeaders = getCanonicalHeaders({ headers } as never, undefined, new Set(names));
  const sortedNames = Object.keys(canonicalHeaders).sort();
  if (sortedNames.join(';') !== signedHeaders) return refuse('AuthorizationHeaderMalformed', 'SignedHeaders is not in canonical form.');

  const queryBag: Record<string, string | string[]> = {};
  for (const [k, v] of query) {
    const prev = queryBag[k];
    queryBag[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  // The canonical request of the SigV4 spec; S3 keeps the path as sent (no second encoding).
  const canonicalRequest = [
    request.method,
    request.path,
    getCanonicalQuery({ query: queryBag } as never),
    ...sortedNames.map((n) => `${n}:${canonicalHeaders[n]}`),
    '',
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = createScope(day, region, service);
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = await getSigningKey(Sha256, options.credentials, day, region, service);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse('SignatureDoesNotMatch', 'The request signature does not match.');
  }
  return { ok: true };
}

function refuse(code: SigV4Refusal, message: string): SigV4Verdict {
  return { ok: false, code, message };
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseAmzDate(value: string | undefined): number | null {
  const m = AMZ_DATE.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isFinite(t) ? t : null;
}

/** The hash constructor @smithy/signature-v4 derives keys with, on node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
