import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestMixroom, type TestMixroom } from './startTestMixroom.ts';
import { makeTempDir } from './syncHarness.ts';

/**
 * Built-in TLS (TLS_CERT_FILE / TLS_KEY_FILE): the product serves HTTPS and WSS itself, its
 * public URL defaults to https://localhost:PORT, and session cookies are Secure without
 * SECURE_COOKIES. The certificate is a fresh self-signed one, trusted by these requests only.
 */
let dir: { path: string; remove(): Promise<void> };
let product: TestMixroom;
let ca: Buffer;

function https(method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; body: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, product.url),
      { method, ca, servername: 'localhost', headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, setCookie: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  dir = await makeTempDir('mixroom-tls-');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', `${dir.path}/key.pem`, '-out', `${dir.path}/cert.pem`,
  ]);
  ca = await readFile(`${dir.path}/cert.pem`);
  product = await startTestMixroom({ env: { TLS_CERT_FILE: `${dir.path}/cert.pem`, TLS_KEY_FILE: `${dir.path}/key.pem` } });
});
afterAll(async () => {
  await product?.close();
  await dir?.remove();
});

describe('built-in TLS', () => {
  it('serves HTTPS with Secure cookies and https invite links, and the sync socket over WSS', async () => {
    expect(product.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await https('GET', '/healthz')).status).toBe(200);
    const created = await https('POST', '/api/rooms', { title: 'Over TLS', displayName: 'Olive' });
    expect(created.status).toBe(201);
    expect(created.setCookie.join()).toMatch(/;\s*Secure/i);
    const cookie = created.setCookie[0]!.split(';')[0]!;
    const roomId = (JSON.parse(created.body) as { room: { roomId: string } }).room.roomId;
    const invite = await https('POST', `/api/rooms/${roomId}/invites`, { role: 'artist', ttlHours: 1 }, cookie);
    expect((JSON.parse(invite.body) as { url: string }).url).toMatch(new RegExp(`^https://localhost:${product.server.port}/join/`));

    // The owner's socket upgrades over TLS and receives the server's first sync message.
    const socket = new WebSocket(`${product.url.replace(/^https/, 'wss')}/sync/${roomId}`, { ca, headers: { cookie } });
    try {
      const first = await new Promise<Buffer>((resolve, reject) => {
        socket.once('message', (data) => resolve(data as Buffer));
        socket.once('error', reject);
        socket.once('close', (code) => reject(new Error(`closed ${code}`)));
      });
      expect(first.length).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
    // A plain-HTTP request to the TLS port gets no page.
    await expect(fetch(product.url.replace(/^https/, 'http') + '/healthz')).rejects.toThrow();
  });
});
