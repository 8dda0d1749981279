import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../browser/launchChromium.ts';
import { encodeWavFixture } from '../integration/stems-fixtures/encodeWavFixture.ts';
import { testSignal } from '../integration/stems-fixtures/testSignal.ts';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';

/**
 * Attacks on stored objects, replayed against the real product (startMixroom on port 0 with
 * its embedded store): the app's object routes, where browsers fetch and upload, and the
 * store's own loopback port, which no browser and no foreign signer may use.
 */
const BUCKET = 'mixroom';
const MIB = 1024 * 1024;
let product: TestMixroom;
let clockOffset = 0;
let owner: HttpUser;
let browser: Browser;
const rooms: Record<'a' | 'b', { id: string; key: string; bytes: Uint8Array; hash: string }> = {} as never;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const abs = (path: string) => new URL(path, product.url);

/** The stems API as the browser uses it: initiate, PUT each part to its link, complete. */
async function upload(user: HttpUser, room: string, fileName: string, bytes: Uint8Array): Promise<{ key: string; hash: string }> {
  const init = await user.json<{ uploadId: string; partSize: number; parts: { partNumber: number; url: string }[] }>('POST', `/api/rooms/${room}/stems/uploads`, {
    fileName,
    size: bytes.length,
  });
  expect(init.status).toBe(201);
  const parts = [];
  for (const p of init.body.parts) {
    const r = await fetch(abs(p.url), { method: 'PUT', body: bytes.slice((p.partNumber - 1) * init.body.partSize, p.partNumber * init.body.partSize) });
    expect(r.status).toBe(200);
    parts.push({ partNumber: p.partNumber, etag: r.headers.get('etag')! });
  }
  const done = await user.json<{ stem: { key: string }; analysis: { contentHash: string } }>('POST', `/api/rooms/${room}/stems/uploads/${init.body.uploadId}/complete`, { parts });
  expect(done.status).toBe(201);
  return { key: done.body.stem.key, hash: done.body.analysis.contentHash };
}

/** A link token's signed payload, and the same token with its payload changed (the MAC kept). */
function payloadOf(url: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(url.split('/').pop()!.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
}
function retarget(url: string, change: Record<string, unknown>): string {
  const [body, mac] = url.split('/').pop()!.split('.') as [string, string];
  const payload = { ...JSON.parse(Buffer.from(body, 'base64url').toString()), ...change };
  return `/api/objects/${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
}

/** PUTs `total` bytes with a declared Content-Length, in 1 MiB writes; reports how many were written before the answer. */
function pushBytes(url: URL, total: number, headers: Record<string, string> = { 'content-length': String(total) }): Promise<{ status: number; body: string; sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'PUT', headers }, (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer });
      });
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    const chunk = new Uint8Array(MIB).fill(0x41);
    const pump = () => {
      while (sent < total && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** An S3 client aimed at the embedded store's port, with whatever key and clock it is given. */
function storeClient(credentials: { accessKeyId: string; secretAccessKey: string }, extra: { systemClockOffset?: number } = {}): S3Client {
  return new S3Client({
    endpoint: product.objects.endpoint!,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}

/** Runs `tamper` on each request after the SDK signed it. */
function afterSigning(client: S3Client, tamper: (request: { path: string; headers: Record<string, string> }) => void): S3Client {
  const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: { request: { path: string; headers: Record<string, string> } }) => {
    tamper(args.request);
    return next(args);
  };
  client.middlewareStack.addRelativeTo(middleware as never, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' });
  return client;
}

async function refusal(p: Promise<unknown>): Promise<{ status: number | undefined; code: string }> {
  const e = (await p.then(
    () => ({ name: 'accepted', $metadata: { httpStatusCode: 200 } }),
    (error: unknown) => error,
  )) as { name: string; $metadata?: { httpStatusCode?: number } };
  return { status: e.$metadata?.httpStatusCode, code: e.name };
}

beforeAll(async () => {
  product = await startTestMixroom({ now: () => Date.now() + clockOffset });
  owner = new HttpUser(product.url, 'owner');
  for (const which of ['a', 'b'] as const) {
    const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: `Room ${which}`, displayName: 'Olive' });
    const bytes = encodeWavFixture(testSignal(2, 48_000, 1), 48_000, '16');
    const id = created.body.room.roomId;
    rooms[which] = { id, bytes, ...(await upload(owner, id, `${which}.wav`, bytes)) };
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await product?.close();
});

const storedBytes = async (key: string) => product.objects.store.getBytes(key);
const sourceLink = async (room: 'a' | 'b') =>
  (await owner.json<{ url: string }>('GET', `/api/rooms/${rooms[room].id}/stems/${rooms[room].hash}/url?variant=source`)).body.url;

describe('app object routes (the only way browsers reach the embedded store)', () => {
  it('serve a stem with Range as an attachment, and never serve a stored object as a page', async () => {
    const url = await sourceLink('a');
    expect(url).toMatch(/^\/api\/objects\//);
    const ranged = await fetch(abs(url), { headers: { range: 'bytes=0-11' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 0-11/${rooms.a.bytes.length}`);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(rooms.a.bytes.subarray(0, 12));
    for (const [name, value] of [
      ['content-type', 'audio/wav'],
      ['content-disposition', `attachment; filename="a.wav"; filename*=UTF-8''a.wav`],
      ['x-content-type-options', 'nosniff'],
      ['content-security-policy', "sandbox; default-src 'none'; frame-ancestors 'none'"],
    ]) {
      expect(ranged.headers.get(name!), name).toBe(value);
    }
    expect((await fetch(abs(url), { headers: { range: `bytes=${rooms.a.bytes.length + 10}-` } })).status).toBe(416);

    // Whatever got stored as HTML is served as inert bytes, sandboxed, as a download.
    await product.objects.store.put('rooms/x/evil.html', '<html><script>alert(document.cookie)</script></html>', 'text/html');
    const html = await fetch(abs(await product.links.read('rooms/x/evil.html', { ttlSeconds: 60 })));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toBe('attachment');
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    const page = await browser.newPage();
    try {
      // In a real browser it downloads, never renders: no document with the attacker's script appears.
      const download = page.waitForEvent('download');
      await page.goto(abs(await product.links.read('rooms/x/evil.html', { ttlSeconds: 60 })).href).catch(() => undefined);
      expect((await download).suggestedFilename()).not.toMatch(/html$/);
    } finally {
      await page.close();
    }
  });

  it('refuse zeroed, missing, truncated and forged tokens', async () => {
    const url = await sourceLink('a');
    const [body] = url.split('/').pop()!.split('.') as [string];
    const zeroed = `/api/objects/${body}.${Buffer.alloc(32).toString('base64url')}`;
    const forgedExpiry = retarget(url, { exp: Date.UTC(2030, 0, 1) });
    for (const bad of [zeroed, `/api/objects/${body}`, `/api/objects/${body}.`, url.slice(0, -5), forgedExpiry, '/api/objects/x.y']) {
      const r = await fetch(abs(bad));
      expect(r.status, bad).toBe(403);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('link-invalid');
    }
    expect((await fetch(abs('/api/objects/'))).status).toBe(404);
  });

  it('refuse an expired link, and the fresh one asked for again works', async () => {
    const url = await sourceLink('a');
    expect((await fetch(abs(url))).status).toBe(200);
    clockOffset = 601_000; // the GET links live 10 minutes
    try {
      const r = await fetch(abs(url));
      expect(r.status).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('link-expired');
      expect((await fetch(abs(await sourceLink('a')))).status).toBe(200);
    } finally {
      clockOffset = 0;
    }
  });

  it("refuse a part link for room A pointed at room B's stem, or used to read; B is unchanged", async () => {
    const init = await owner.json<{ uploadId: string; parts: { url: string }[] }>('POST', `/api/rooms/${rooms.a.id}/stems/uploads`, { fileName: 'x.wav', size: 1000 });
    const part = init.body.parts[0]!.url;
    expect(payloadOf(part)).toMatchObject({ m: 'PUT', n: 1000 });
    const onB = retarget(part, { k: rooms.b.key });
    const r = await fetch(abs(onB), { method: 'PUT', body: new Uint8Array(1000).fill(0x66) });
    expect(r.status).toBe(403);
    // A GET link is not a PUT link either (and the reverse).
    expect((await fetch(abs(await sourceLink('b')), { method: 'PUT', body: new Uint8Array(1000) })).status).toBe(403);
    expect((await fetch(abs(part))).status).toBe(403);
    expect(sha((await storedBytes(rooms.b.key))!)).toBe(sha(rooms.b.bytes));
    await owner.json('DELETE', `/api/rooms/${rooms.a.id}/stems/uploads/${init.body.uploadId}`);
  });

  it('refuse a part declared as 1 byte that sends 64 MiB, before reading it; nothing is stored', async () => {
    const init = await owner.json<{ uploadId: string; parts: { url: string }[] }>('POST', `/api/rooms/${rooms.a.id}/stems/uploads`, { fileName: 'tiny.wav', size: 1 });
    const part = init.body.parts[0]!.url;
    expect(payloadOf(part)).toMatchObject({ m: 'PUT', n: 1 });
    const rssBefore = process.memoryUsage().rss;
    const big = await pushBytes(abs(part), 64 * MIB);
    expect(big.status).toBe(413);
    expect(big.body).toMatch(/must be 1 bytes; 67108864 were sent/);
    // The answer came before the body did: the server never read the 64 MiB.
    console.log(`oversized part: answered after ${big.sentBeforeAnswer / MIB} MiB of 64 written; RSS ${((process.memoryUsage().rss - rssBefore) / MIB).toFixed(1)} MiB`);
    expect(big.sentBeforeAnswer).toBeLessThan(64 * MIB);
    // Chunked (no declared length) is refused too.
    const chunked = await pushBytes(abs(part), 8 * MIB, { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(411);
    const upload = (await product.objects.store.listKeys(`uploads/${rooms.a.id}/`)).find((k) => k.endsWith(`${init.body.uploadId}.json`));
    expect(upload).toBeDefined();
    const manifest = JSON.parse(new TextDecoder().decode((await storedBytes(upload!))!)) as { s3UploadId: string };
    // s3rver has no ListParts: its upload folder holds one file per stored part.
    const partsDir = `${product.dataDir}/s3/${BUCKET}/._S3rver_uploads/${manifest.s3UploadId}`;
    expect((await readdir(partsDir)).filter((f) => /^\d+$/.test(f))).toEqual([]);
    // The exact length still goes through.
    const ok = await fetch(abs(part), { method: 'PUT', body: new Uint8Array([1]) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await readdir(partsDir)).filter((f) => /^\d+$/.test(f))).toEqual(['1']);
    await owner.json('DELETE', `/api/rooms/${rooms.a.id}/stems/uploads/${init.body.uploadId}`);
  });
});

describe("the embedded store's own port (loopback, for the server's SDK only)", () => {
  const realKey = async () =>
    JSON.parse(await readFile(`${product.dataDir}/s3/.mixroom-credentials.json`, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
  const getA = (client: S3Client) => client.send(new GetObjectCommand({ Bucket: BUCKET, Key: rooms.a.key }));

  it('refuses anonymous requests and anonymous bucket listing', async () => {
    const endpoint = product.objects.endpoint!;
    for (const path of ['/', `/${BUCKET}`, `/${BUCKET}?list-type=2`, `/${BUCKET}/${rooms.a.key}`]) {
      const r = await fetch(`${endpoint}${path}`);
      const text = await r.text();
      expect(r.status, path).toBe(403);
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(text).not.toContain(rooms.a.id);
    }
  });

  it('refuses the public S3RVER key, zeroed and missing signatures, and dates in 2030 or long past', async () => {
    const key = await realKey();
    // Control: the real key with a true clock is accepted (so each refusal below is the tamper's doing).
    expect((await refusal(getA(storeClient(key)))).status).toBe(200);
    expect(await refusal(getA(storeClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' })))).toEqual({ status: 403, code: 'InvalidAccessKeyId' });
    const zeroed = afterSigning(storeClient(key), (r) => {
      r.headers.authorization = r.headers.authorization!.replace(/Signature=[0-9a-f]+/, `Signature=${'0'.repeat(64)}`);
    });
    expect(await refusal(getA(zeroed))).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    const unsigned = afterSigning(storeClient(key), (r) => {
      delete r.headers.authorization;
    });
    expect(await refusal(getA(unsigned))).toEqual({ status: 403, code: 'AccessDenied' });
    const noSignature = afterSigning(storeClient(key), (r) => {
      r.headers.authorization = r.headers.authorization!.replace(/, ?Signature=[0-9a-f]+/, '');
    });
    expect(await refusal(getA(noSignature))).toEqual({ status: 403, code: 'AuthorizationHeaderMalformed' });
    const in2030 = Date.UTC(2030, 0, 1) - Date.now();
    expect(await refusal(getA(storeClient(key, { systemClockOffset: in2030 })))).toEqual({ status: 403, code: 'RequestTimeTooSkewed' });
    expect(await refusal(getA(storeClient(key, { systemClockOffset: -20 * 60_000 })))).toEqual({ status: 403, code: 'RequestTimeTooSkewed' });
    // A presigned URL, even one made with the real key, is not accepted by this store.
    const presigned = await product.objects.store.presignGet(rooms.a.key, 60);
    expect(presigned).toContain(`X-Amz-Credential=${key.accessKeyId}`);
    expect((await fetch(presigned)).status).toBe(403);
  });

  it("refuses a correctly signed write retargeted at room B's stem; B is unchanged", async () => {
    const retargeted = afterSigning(storeClient(await realKey()), (r) => {
      r.path = `/${BUCKET}/${rooms.b.key}`;
    });
    const put = retargeted.send(new PutObjectCommand({ Bucket: BUCKET, Key: `rooms/${rooms.a.id}/scratch.bin`, Body: new Uint8Array(64).fill(0x66) }));
    expect(await refusal(put)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    const listed = storeClient(await realKey()).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `rooms/${rooms.a.id}/scratch` }));
    expect((await listed).Contents ?? []).toEqual([]);
    expect(sha((await storedBytes(rooms.b.key))!)).toBe(sha(rooms.b.bytes));
  });

  it('refuses an unsigned 64 MiB PUT before reading it; nothing is stored', async () => {
    const r = await pushBytes(new URL(`${product.objects.endpoint}/${BUCKET}/${rooms.b.key}`), 64 * MIB);
    expect(r.status).toBe(403);
    expect(r.sentBeforeAnswer).toBeLessThan(64 * MIB);
    expect(sha((await storedBytes(rooms.b.key))!)).toBe(sha(rooms.b.bytes));
  });

  it('refuses a cross-site HTML form POST from a web page (Chromium): nothing stored, no HTML served', async () => {
    const endpoint = product.objects.endpoint!;
    const target = 'rooms/evil/index.html';
    // The attacker's page: another origin on this machine, posting an ordinary unsigned form.
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form id="f" method="post" enctype="multipart/form-data" action="${endpoint}/${BUCKET}">
        <input name="key" value="${target}"><input name="Content-Type" value="text/html">
        <input name="success_action_redirect" value="${endpoint}/${BUCKET}/${target}">
        <textarea name="file"><html><script>fetch('/${BUCKET}?list-type=2')</script></html></textarea></form>
        <script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    try {
      const posted = page.waitForResponse((r) => r.url().startsWith(endpoint) && r.request().method() === 'POST');
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const response = await posted;
      expect(response.status()).toBe(403);
      expect(response.headers()['content-type']).toBe('application/xml');
      expect(response.headers()['content-security-policy']).toContain('sandbox');
      await page.waitForLoadState();
      expect(await page.evaluate(() => document.contentType)).not.toBe('text/html');
      expect(await product.objects.store.head(target)).toBeNull();
      expect(await product.objects.store.listKeys('rooms/evil/')).toEqual([]);
    } finally {
      await page.close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });
});
