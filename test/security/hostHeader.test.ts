import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWavFixture } from '../integration/stems-fixtures/encodeWavFixture.ts';
import { testSignal } from '../integration/stems-fixtures/testSignal.ts';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';

/**
 * Host-header injection: the server behind a proxy (plain HTTP, PUBLIC_URL=https://...) gets
 * requests whose Host and forwarding headers name an attacker's site. Invite links and
 * download links must still point at PUBLIC_URL, and redirects stay on the origin used.
 */
const PUBLIC = 'https://mix.example.com';
const EVIL = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'http',
  forwarded: 'host=evil.example;proto=http',
};
let product: TestMixroom;
let owner: HttpUser;
let roomId: string;

/** A request with exactly these headers (fetch would not send our own Host). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, base),
      { method, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  product = await startTestMixroom({ env: { PUBLIC_URL: PUBLIC } });
  owner = new HttpUser(product.url, 'owner');
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Host test', displayName: 'Olive' });
  roomId = created.body.room.roomId;
});
afterAll(() => product?.close());

describe('absolute URLs come from PUBLIC_URL only', () => {
  it('an invite made through a forged Host / X-Forwarded-Host still points at PUBLIC_URL', async () => {
    const r = await raw(product.url, 'POST', `/api/rooms/${roomId}/invites`, { ...EVIL, cookie: owner.cookie }, { role: 'artist', ttlHours: 1 });
    expect(r.status).toBe(201);
    const { url, token } = JSON.parse(r.body) as { url: string; token: string };
    expect(url).toBe(`${PUBLIC}/join/${token}`);
    expect(r.body).not.toContain('evil.example');
  });

  it('a download link made through a forged Host points at PUBLIC_URL, and the redirect carries no host', async () => {
    const wav = encodeWavFixture(testSignal(2, 48_000, 1), 48_000, '16');
    const init = await owner.json<{ uploadId: string; partSize: number; parts: { partNumber: number; url: string }[] }>('POST', `/api/rooms/${roomId}/stems/uploads`, {
      fileName: 'tone.wav',
      size: wav.length,
    });
    const put = await fetch(new URL(init.body.parts[0]!.url, product.url), { method: 'PUT', body: wav.slice() });
    const done = await owner.json('POST', `/api/rooms/${roomId}/stems/uploads/${init.body.uploadId}/complete`, { parts: [{ partNumber: 1, etag: put.headers.get('etag') }] });
    expect(done.status).toBe(201);
    const saved = await owner.json<{ version: { id: string } }>('POST', `/api/rooms/${roomId}/versions`, { name: 'v1', note: '' });
    expect(saved.status).toBe(201);
    await product.review.bakesIdle();
    const path = `/api/rooms/${roomId}/versions/${saved.body.version.id}/download/wav24`;
    const json = await raw(product.url, 'GET', path, { ...EVIL, cookie: owner.cookie, accept: 'application/json' });
    expect(json.status).toBe(200);
    const { download } = JSON.parse(json.body) as { download: { url: string } };
    expect(download.url.startsWith(`${PUBLIC}/api/objects/`)).toBe(true);
    const redirect = await raw(product.url, 'GET', path, { ...EVIL, cookie: owner.cookie });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toMatch(/^\/api\/objects\//);
    // The link works on the origin the browser used.
    const file = await fetch(new URL(String(redirect.headers.location), product.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="host-test-v1-v1-24bit\.wav"/);
  });

  it('cookies are Secure because PUBLIC_URL is https (behind a TLS proxy the app itself sees http)', async () => {
    const r = await raw(product.url, 'POST', '/api/rooms', { ...EVIL }, { title: 'x', displayName: 'y' });
    expect(r.status).toBe(201);
    expect(String(r.headers['set-cookie'])).toMatch(/;\s*Secure/i);
  });
});

describe('without PUBLIC_URL (local mode)', () => {
  it('invites point at http://localhost:PORT whatever the Host header says; cookies are not Secure over http', async () => {
    const local = await startTestMixroom();
    try {
      const r = await raw(local.url, 'POST', '/api/rooms', EVIL, { title: 'Local', displayName: 'Olive' });
      expect(r.status).toBe(201);
      expect(String(r.headers['set-cookie'])).not.toMatch(/Secure/i);
      const room = (JSON.parse(r.body) as { room: { roomId: string } }).room.roomId;
      const cookie = String(r.headers['set-cookie']).split(';')[0]!;
      const invite = await raw(local.url, 'POST', `/api/rooms/${room}/invites`, { ...EVIL, cookie }, { role: 'listener', ttlHours: 1 });
      expect(invite.status).toBe(201);
      expect((JSON.parse(invite.body) as { url: string }).url).toMatch(new RegExp(`^http://localhost:${local.server.port}/join/`));
    } finally {
      await local.close();
    }
  });
});
