import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/** Memory exhaustion by request body: a huge chunked body to routes that read JSON. */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

const MIB = 1024 * 1024;

/**
 * Streams up to `totalBytes` of JSON-looking filler in 64 KiB chunks (Transfer-Encoding:
 * chunked, no Content-Length) and stops as soon as the server answers or drops the socket.
 */
function sendChunked(url: string, path: string, totalBytes: number, headers: Record<string, string> = {}): Promise<{ status: number | null; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (status: number | null) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, sent });
    };
    const req = request(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      finish(res.statusCode ?? null);
    });
    req.on('error', () => finish(null));
    const chunk = Buffer.alloc(64 * 1024, 0x20); // whitespace: valid JSON padding, never ends
    req.write('{"title":"');
    const pump = () => {
      while (!done && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe('request bodies', () => {
  it('a chunked 256 MiB body to /api/rooms is refused early with 413, without memory growth', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const result = await sendChunked(fx.product.url, '/api/rooms', 256 * MIB);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`chunked 256 MiB to /api/rooms: status ${result.status}, ${(result.sent / MIB).toFixed(1)} MiB sent before the answer, RSS ${(before / MIB).toFixed(0)} -> peak ${(peak / MIB).toFixed(0)} MiB`);
    expect(result.status).toBe(413);
    // The server answers after the first 64 KiB; what the client got out before reading the
    // answer is socket buffering, far below the 256 MiB it meant to send.
    expect(result.sent).toBeLessThan(32 * MIB);
    expect(peak - before).toBeLessThan(48 * MIB);
    // The server is fine afterwards.
    expect((await fetch(`${fx.product.url}/healthz`)).status).toBe(200);
  });

  it('every route has the limit: review, stems, join, unknown paths; a declared huge length is refused unread', async () => {
    const paths = [fx.api('/comments'), fx.api('/stems/uploads'), '/api/invites/x/join', '/join/x', '/api/nothing-here', '/'];
    for (const path of paths) {
      const result = await sendChunked(fx.product.url, path, 8 * MIB, { cookie: fx.owner.cookie });
      expect({ path, status: result.status }).toEqual({ path, status: 413 });
    }
    // Declared 100 MiB, 12 bytes sent: the answer comes from the header alone.
    const raw = await new Promise<number | undefined>((resolve) => {
      const req = request(`${fx.product.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(100 * MIB) } }, (res) => {
        res.resume();
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', () => resolve(undefined));
      req.write('{"title":"x"');
    });
    expect(raw).toBe(413);
  });
});
