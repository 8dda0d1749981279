import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../e2e/roomHarness.ts';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startSecurityFixture, type SecurityFixture } from './securityHarness.ts';

/**
 * Cross-site request forgery against a real product: a page on another site makes the
 * victim's browser post to Mixroom with the victim's cookie (or to replace it: login CSRF).
 */
let fx: SecurityFixture;
beforeAll(async () => {
  fx = await startSecurityFixture();
});
afterAll(() => fx?.close());

const SESSION = 'mixroom_session';
const sessionValue = (cookie: string) => cookie.split('=').slice(1).join('=');

describe('a cross-site HTML form (real Chromium)', () => {
  let browser: Browser;
  let evil: Server;
  let evilUrl: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    // The attacker's site: another origin and another site (localhost vs 127.0.0.1).
    evil = createServer((req, res) => {
      const kind = new URL(req.url ?? '/', 'http://x').searchParams.get('kind');
      const target = `${fx.product.url}/api/rooms`;
      const form =
        kind === 'text'
          ? `<form method="post" enctype="text/plain" action="${target}"><input name='{"title":"Pwned","displayName":"Mallory","x":"' value='"}'></form>`
          : `<form method="post" action="${target}"><input name="title" value="Pwned"><input name="displayName" value="Mallory"></form>`;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><body>${form}<script>document.forms[0].submit()</script></body>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
  });

  for (const kind of ['urlencoded', 'text'] as const) {
    it(`a ${kind} form posted to /api/rooms neither creates a room nor replaces the victim's session (login CSRF)`, async () => {
      const context = await browser.newContext();
      try {
        const before = sessionValue(fx.owner.cookie);
        await context.addCookies([{ name: SESSION, value: before, url: fx.product.url, httpOnly: true, sameSite: 'Lax' }]);
        const page = await context.newPage();
        const posted = page.waitForResponse((r) => r.url() === `${fx.product.url}/api/rooms`);
        await page.goto(`${evilUrl}/?kind=${kind}`);
        const response = await posted;
        expect(response.status()).toBe(403);
        expect(await response.text()).toContain('cross-origin');
        const after = (await context.cookies(fx.product.url)).find((c) => c.name === SESSION);
        expect(after?.value).toBe(before);
        // The victim is still the owner of their room.
        const victim = new HttpUser(fx.product.url, 'victim');
        victim.cookie = `${SESSION}=${after?.value ?? ''}`;
        expect((await victim.json<{ member: { role: string } }>('GET', fx.api('/me'))).body.member?.role).toBe('owner');
      } finally {
        await context.close();
      }
    });
  }
});

describe('state-changing API calls carrying a foreign Origin', () => {
  const FOREIGN: Array<{ name: string; headers: Record<string, string> }> = [
    { name: 'a foreign origin', headers: { origin: 'http://evil.example' } },
    { name: 'Origin: null', headers: { origin: 'null' } },
    { name: 'another port of the same host', headers: { origin: 'http://127.0.0.1:1' } },
    { name: 'a cross-site fetch without Origin', headers: { 'sec-fetch-site': 'cross-site' } },
  ];

  it('are refused with 403 and change nothing; the same calls from our own pages pass', async () => {
    const { owner, api } = fx;
    const version = await owner.json<{ version: { id: string } }>('POST', api('/versions'), { name: 'v1' });
    expect(version.status).toBe(201);
    await fx.product.review.bakesIdle();
    const versionId = version.body.version.id;
    const calls: Array<{ name: string; method: string; path: string; body?: unknown }> = [
      { name: 'comment', method: 'POST', path: api('/comments'), body: { at: 1, text: 'forged' } },
      { name: 'invite', method: 'POST', path: api('/invites'), body: { role: 'engineer', ttlHours: 24 } },
      { name: 'version', method: 'POST', path: api('/versions'), body: { name: 'forged' } },
      { name: 'approval', method: 'POST', path: api(`/versions/${versionId}/approvals`), body: { action: 'approve' } },
      { name: 'upload', method: 'POST', path: api('/stems/uploads'), body: { fileName: 'x.wav', size: 1000 } },
      { name: 'room', method: 'POST', path: '/api/rooms', body: { title: 'forged', displayName: 'Mallory' } },
    ];
    const count = async () => {
      const review = await owner.json<{ comments: unknown[]; versions: unknown[]; approvals: unknown[] }>('GET', api('/review'));
      const invites = await owner.json<{ invites: unknown[] }>('GET', api('/invites'));
      return { comments: review.body.comments.length, versions: review.body.versions.length, approvals: review.body.approvals.length, invites: invites.body.invites.length };
    };
    const before = await count();
    const cookieBefore = owner.cookie;
    for (const foreign of FOREIGN) {
      for (const call of calls) {
        const res = await owner.request(call.method, call.path, call.body, foreign.headers);
        const text = await res.text();
        expect({ who: foreign.name, call: call.name, status: res.status, code: text.includes('cross-origin') }).toEqual({ who: foreign.name, call: call.name, status: 403, code: true });
      }
    }
    expect(await count()).toEqual(before);
    expect(owner.cookie).toBe(cookieBefore);

    // Our own pages (local mode: localhost and 127.0.0.1 on the server's port) are let in.
    const port = new URL(fx.product.url).port;
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const ok = await owner.request('POST', api('/comments'), { at: 2, text: 'mine' }, { origin, 'sec-fetch-site': 'same-origin' });
      expect(ok.status).toBe(201);
    }
    const approval = await owner.request('POST', api(`/versions/${versionId}/approvals`), { action: 'approve' }, { origin: `http://127.0.0.1:${port}` });
    expect(approval.status).toBe(201);
  });
});

describe('the invite join form', () => {
  it('needs the token of the page served to this visitor', async () => {
    const invite = await fx.owner.json<{ token: string }>('POST', fx.api('/invites'), { role: 'listener', ttlHours: 24, uses: 'multi' });
    const path = `/join/${invite.body.token}`;
    const visitor = new HttpUser(fx.product.url, 'visitor');
    const page = await visitor.request('GET', path);
    const html = await page.text();
    const formToken = /name="formToken" value="([^"]+)"/.exec(html)?.[1];
    expect(formToken).toBeTruthy();
    const formCookie = visitor.cookie;
    expect(formCookie).toMatch(/^mixroom_form=/);

    const post = (body: string, cookie: string) =>
      fetch(fx.product.url + path, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body });
    const refusals = [
      await post('displayName=Lena', formCookie), // no token
      await post(`displayName=Lena&formToken=${formToken!.slice(0, -3)}AAA`, formCookie), // wrong token
      await post(`displayName=Lena&formToken=${formToken}`, ''), // token without its visitor
      await post(`displayName=Lena&formToken=${formToken}`, 'mixroom_form=someoneelse123456789'), // another visitor
    ];
    for (const res of refusals) {
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('mixroom_session='))).toBe(false);
      expect(await res.text()).toContain('This form expired or was not sent from this page');
    }
    const ok = await post(`displayName=Lena&formToken=${formToken}`, formCookie);
    expect(ok.status).toBe(303);
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('mixroom_session='));
    expect(session).toBeTruthy();
    const lena = new HttpUser(fx.product.url, 'lena');
    lena.cookie = session!.split(';')[0]!;
    expect((await lena.json<{ member: { name: string; role: string } }>('GET', fx.api('/me'))).body.member).toMatchObject({ name: 'Lena', role: 'listener' });
  });
});
