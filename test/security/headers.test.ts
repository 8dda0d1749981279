import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../browser/launchChromium.ts';
import { buildClient } from '../e2e/roomHarness.ts';
import { encodeWavFixture } from '../integration/stems-fixtures/encodeWavFixture.ts';
import { testSignal } from '../integration/stems-fixtures/testSignal.ts';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { makeTempDir } from '../integration/syncHarness.ts';

/**
 * Security headers on every response (pages, API, objects, errors), and the built client
 * still working under that CSP in real Chromium: the room page starts its audio engine (its
 * AudioWorklet modules load) and the join page is styled, with no CSP violation reported.
 */
let dir: { path: string; remove(): Promise<void> };
let product: TestMixroom;
let browser: Browser;
let owner: HttpUser;
let roomId: string;
let inviteUrl: string;
let objectUrl: string;

beforeAll(async () => {
  dir = await makeTempDir('mixroom-headers-');
  await buildClient(`${dir.path}/client`);
  product = await startTestMixroom({ clientDistDir: `${dir.path}/client` });
  owner = new HttpUser(product.url, 'owner');
  roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Headers', displayName: 'Olive' })).body.room.roomId;
  inviteUrl = (await owner.json<{ url: string }>('POST', `/api/rooms/${roomId}/invites`, { role: 'artist', ttlHours: 1 })).body.url;
  const wav = encodeWavFixture(testSignal(1, 48_000, 1), 48_000, '16');
  const init = await owner.json<{ uploadId: string; parts: { url: string }[] }>('POST', `/api/rooms/${roomId}/stems/uploads`, { fileName: 'a.wav', size: wav.length });
  const put = await fetch(new URL(init.body.parts[0]!.url, product.url), { method: 'PUT', body: wav.slice() });
  const done = await owner.json<{ analysis: { contentHash: string } }>('POST', `/api/rooms/${roomId}/stems/uploads/${init.body.uploadId}/complete`, {
    parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
  });
  objectUrl = (await owner.json<{ url: string }>('GET', `/api/rooms/${roomId}/stems/${done.body.analysis.contentHash}/url?variant=playback`)).body.url;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await product?.close();
  await dir?.remove();
});

const cspOf = (r: Response) => Object.fromEntries((r.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('security headers', () => {
  it('are on pages, assets, API answers, errors and objects', async () => {
    const room = await fetch(`${product.url}/room/${roomId}`);
    const html = await room.text();
    const script = /<script[^>]+src="([^"]+)"/.exec(html)![1]!;
    const responses: [string, Response][] = [
      ['room page', room],
      ['client script', await fetch(new URL(script, product.url))],
      ['health', await fetch(`${product.url}/healthz`)],
      ['API 401', await fetch(`${product.url}/api/rooms/${roomId}/me`)],
      ['API 200', await owner.request('GET', `/api/rooms/${roomId}/me`)],
      ['404', await fetch(`${product.url}/nothing-here`)],
      ['join page', await fetch(inviteUrl.replace(/^http:\/\/localhost/, 'http://127.0.0.1'))],
      ['object', await fetch(new URL(objectUrl, product.url), { headers: { range: 'bytes=0-3' } })],
    ];
    for (const [what, r] of responses) {
      expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), what).toBe('same-origin');
      expect(r.headers.get('x-frame-options'), what).toBe('DENY');
      expect(cspOf(r)['frame-ancestors'], what).toEqual(["'none'"]);
    }
    // The app's policy: its own origin, blob: scripts (worklet modules), no plugins, no framing.
    const page = cspOf(room);
    expect(page['default-src']).toEqual(["'self'"]);
    expect(page['script-src']).toEqual(["'self'", 'blob:']);
    expect(page['connect-src']).toEqual(["'self'"]);
    expect(page['object-src']).toEqual(["'none'"]);
    // The join page keeps its own, stricter policy: no script at all, its style by hash.
    const join = cspOf(responses[6]![1]);
    expect(join['default-src']).toEqual(["'none'"]);
    expect(join['style-src']![0]).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    // An object keeps its sandbox.
    expect(responses[7]![1].headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
    // HSTS only for an https public URL on a real host name (none here).
    expect(room.headers.get('strict-transport-security')).toBeNull();
  });

  it('leave the built client working in Chromium: worklets load, the join page is styled, no CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(inviteUrl);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 28)');
    await page.getByLabel('Your name, as others in the room will see it').fill('Art');
    await page.getByRole('button', { name: 'Join the room' }).click();
    await page.waitForURL(`**/room/${roomId}`);
    await page.waitForFunction(() => Boolean((window as unknown as { __mixroom?: { engine?: unknown } }).__mixroom?.engine), null, { timeout: 30_000 });
    // The waveform of the uploaded stem came through the object route (connect-src 'self').
    await page.locator('mr-waveform').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    expect(problems).toEqual([]);
    await context.close();
  });
});
