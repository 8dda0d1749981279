import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4, type SigV4Request } from './verifySigV4.ts';

const credentials = { accessKeyId: 'MIXRTESTKEY000000001', secretAccessKey: 'a'.repeat(40) };
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const options = { credentials, region: 'us-east-1', now: NOW, maxSkewMs: 15 * 60_000, presigned: false };

class Sha256 {
  private readonly h;
  constructor(secret?: string | Uint8Array) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(d: string | Uint8Array) {
    this.h.update(d);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

/** Signs a request as the S3 client does (no second path encoding, payload hash header). */
async function headerSigned(
  init: { method: string; path: string; query?: Record<string, string>; body?: string; at?: number; key?: typeof credentials },
): Promise<SigV4Request> {
  const signer = new SignatureV4({ credentials: init.key ?? credentials, region: 'us-east-1', service: 's3', sha256: Sha256 as never, uriEscapePath: false });
  const payload = init.body === undefined ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(init.body).digest('hex');
  const signed = await signer.sign(
    {
      method: init.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4569,
      path: init.path,
      query: init.query ?? {},
      headers: { host: '127.0.0.1:4569', 'x-amz-content-sha256': payload, 'content-type': 'application/octet-stream' },
    } as never,
    { signingDate: new Date(init.at ?? NOW) },
  );
  const query = new URLSearchParams(init.query ?? {}).toString();
  return { method: init.method, path: init.path, query, headers: Object.fromEntries(Object.entries((signed as unknown as { headers: Record<string, string> }).headers).map(([k, v]) => [k.toLowerCase(), v])) };
}

/** What S3 receives for a presigned URL used with `headers`. */
function fromUrl(method: string, url: string, headers: Record<string, string> = {}): SigV4Request {
  const u = new URL(url);
  return { method, path: u.pathname, query: u.search.slice(1), headers: { host: u.host, ...headers } };
}

const client = new S3Client({ endpoint: 'http://127.0.0.1:4569', region: 'us-east-1', forcePathStyle: true, credentials });

describe('verifySigV4', () => {
  it("accepts what the SDK's signer makes, and nothing it did not sign", async () => {
    const req = await headerSigned({ method: 'PUT', path: '/mixroom/rooms/a/stems/x%20y/source.wav', query: { partNumber: '1', uploadId: 'abc' } });
    expect(await verifySigV4(req, options)).toEqual({ ok: true });
    const variants: [string, SigV4Request][] = [
      ['method', { ...req, method: 'POST' }],
      ['path', { ...req, path: '/mixroom/rooms/b/stems/x%20y/source.wav' }],
      ['query', { ...req, query: 'partNumber=2&uploadId=abc' }],
      ['signed header', { ...req, headers: { ...req.headers, 'content-type': 'text/html' } }],
      ['host', { ...req, headers: { ...req.headers, host: 'evil.example' } }],
      ['signature', { ...req, headers: { ...req.headers, authorization: String(req.headers.authorization).replace(/Signature=\w+/, `Signature=${'0'.repeat(64)}`) } }],
    ];
    for (const [what, changed] of variants) expect((await verifySigV4(changed, options)).ok, what).toBe(false);
  });

  it('refuses anonymous requests, foreign keys and requests outside 15 minutes of the clock', async () => {
    expect(await verifySigV4({ method: 'GET', path: '/mixroom', query: 'list-type=2', headers: { host: 'x' } }, options)).toMatchObject({ ok: false, code: 'AccessDenied' });
    const foreign = await headerSigned({ method: 'GET', path: '/mixroom/k', key: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    expect(await verifySigV4(foreign, options)).toMatchObject({ ok: false, code: 'InvalidAccessKeyId' });
    const wrongSecret = await headerSigned({ method: 'GET', path: '/mixroom/k', key: { ...credentials, secretAccessKey: 'b'.repeat(40) } });
    expect(await verifySigV4(wrongSecret, options)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    expect((await verifySigV4(await headerSigned({ method: 'GET', path: '/k', at: NOW + 14 * 60_000 }), options)).ok).toBe(true);
    expect(await verifySigV4(await headerSigned({ method: 'GET', path: '/k', at: NOW + 16 * 60_000 }), options)).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed' });
    expect(await verifySigV4(await headerSigned({ method: 'GET', path: '/k', at: Date.UTC(2030, 0, 1) }), options)).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed' });
    expect(await verifySigV4(await headerSigned({ method: 'GET', path: '/k', at: NOW - 16 * 60_000 }), options)).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed' });
  });

  it('refuses presigned URLs unless asked to accept them (as real S3 does)', async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'mixroom', Key: 'rooms/a/x.wav' }), { expiresIn: 600, signingDate: new Date(NOW) });
    expect(await verifySigV4(fromUrl('GET', url), options)).toMatchObject({ ok: false, code: 'AccessDenied' });
    expect(await verifySigV4(fromUrl('GET', url), { ...options, presigned: true })).toEqual({ ok: true });
    expect(await verifySigV4(fromUrl('GET', url), { ...options, presigned: true, now: NOW + 601_000 })).toMatchObject({ ok: false, code: 'AccessDenied' });
    expect((await verifySigV4(fromUrl('GET', url.replace('rooms/a/', 'rooms/b/')), { ...options, presigned: true })).ok).toBe(false);
  });

  it("signs a part URL's length in: S3 refuses any other length", async () => {
    const url = await getSignedUrl(
      client,
      new UploadPartCommand({ Bucket: 'mixroom', Key: 'uploads/r/u', UploadId: 'abc', PartNumber: 1, ContentLength: 1 }),
      { expiresIn: 600, signableHeaders: new Set(['content-length']), signingDate: new Date(NOW) },
    );
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    const presigned = { ...options, presigned: true };
    expect(await verifySigV4(fromUrl('PUT', url, { 'content-length': '1' }), presigned)).toEqual({ ok: true });
    expect(await verifySigV4(fromUrl('PUT', url, { 'content-length': String(64 * 1024 * 1024) }), presigned)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    expect(await verifySigV4(fromUrl('PUT', url), presigned)).toMatchObject({ ok: false, code: 'AuthorizationHeaderMalformed' });
  });
});
