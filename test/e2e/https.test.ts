import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { makeTempDir } from '../integration/syncHarness.ts';
import { within } from './productHarness.ts';
import { buildClient, launchBrowser, monoWav16, waitForRoomReady } from './roomHarness.ts';
import { freePort, startCaddy, type RunningCaddy } from './startCaddy.ts';

/**
 * Two people on two "machines": the product behind Debian's caddy (the repo's
 * infra/Caddyfile, local CA) at https://mixroom.test:PORT, a non-localhost name Chromium
 * maps to 127.0.0.1. The owner makes a room and an invite; the artist joins through the
 * link in another browser context; both hear the mix (their meters move), upload, comment,
 * save and bake a version, approve it and download it. Every request either page makes
 * goes to the public origin: none to 127.0.0.1, none to the store's port.
 */
const DOMAIN = 'mixroom.test';
const FS = 48_000;

let dir: { path: string; remove(): Promise<void> };
let product: TestMixroom;
let caddy: RunningCaddy;
let browser: Browser;
let roomId: string;
const requests: string[] = [];
const people: Record<'owner' | 'artist', { context: BrowserContext; page: Page; errors: string[] }> = {} as never;

interface Hook {
  engine: { meters(): Map<string, { peak: number[] }> };
  transport: { play(): void; pause(): void; seek(t: number): void };
}

/** The loudest track meter on the page's own engine (dBFS). */
const loudestTrackDb = (page: Page) =>
  page.evaluate(() => {
    const meters = (window as unknown as { __mixroom: Hook }).__mixroom.engine.meters();
    let best = -Infinity;
    for (const [strip, m] of meters) if (strip.startsWith('track:')) best = Math.max(best, m.peak[0] ?? -Infinity);
    return best;
  });

/** A browser context that records every request and socket its pages open. */
async function person(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('websocket', (ws) => requests.push(ws.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

/** Uploads a stem through the room's Upload panel, as a person picks a file. */
async function uploadThroughUi(page: Page, name: string, wav: Uint8Array): Promise<void> {
  await page.getByRole('button', { name: 'Upload stems' }).click();
  await page.locator('mr-upload-panel input[type="file"][multiple]').setInputFiles({ name, mimeType: 'audio/wav', buffer: Buffer.from(wav) });
  await page.getByRole('slider', { name: `${name.replace(/\.wav$/, '')} fader`, exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Upload stems' }).click();
}

beforeAll(async () => {
  dir = await makeTempDir('mixroom-https-e2e-');
  await buildClient(`${dir.path}/client`);
  const httpsPort = await freePort();
  product = await startTestMixroom({ clientDistDir: `${dir.path}/client`, env: { PUBLIC_URL: `https://${DOMAIN}:${httpsPort}`, OPEN_ROOMS: '' } });
  caddy = await startCaddy({ domain: DOMAIN, httpsPort, upstreamPort: product.server.port });
  browser = await launchBrowser([`--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`, '--ignore-certificate-errors']);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await caddy?.close();
  await product?.close();
  await dir?.remove();
});

describe('two people over HTTPS on a public name (caddy in front)', () => {
  it('over plain HTTP on that name, the room explains that it needs HTTPS instead of failing', async () => {
    const { context, page, errors } = await person();
    await page.goto(`http://${DOMAIN}:${product.server.port}/room/anything`);
    await page.getByRole('alert').getByText('Mixroom needs a secure (HTTPS) address').waitFor();
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
    requests.length = 0; // that visit was meant to be insecure; the rest must stay on the public origin
  });

  it('the owner creates a room and invites; the artist joins through the link', async () => {
    people.owner = await person();
    const owner = people.owner.page;
    await owner.goto(`${caddy.url}/healthz`);
    roomId = await owner.evaluate(async () => {
      const r = await fetch('/api/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Two Cities', displayName: 'Olive' }) });
      return ((await r.json()) as { room: { roomId: string } }).room.roomId;
    });
    await owner.goto(`${caddy.url}/room/${roomId}`);
    await waitForRoomReady(owner, 30_000);
    await uploadThroughUi(owner, 'Bass.wav', monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 110 * i) / FS), 8 * FS));

    await owner.getByRole('button', { name: 'Review' }).click();
    await owner.getByRole('tab', { name: 'Invite' }).click();
    await owner.getByLabel('Role').selectOption('artist');
    await owner.getByRole('button', { name: 'Create link' }).click();
    const link = await owner.getByTestId('invite-url').inputValue();
    expect(link.startsWith(`${caddy.url}/join/`)).toBe(true);

    people.artist = await person();
    const artist = people.artist.page;
    await artist.goto(link);
    await artist.getByLabel('Your name, as others in the room will see it').fill('Art');
    await artist.getByRole('button', { name: 'Join the room' }).click();
    await artist.waitForURL(`${caddy.url}/room/${roomId}`);
    await waitForRoomReady(artist, 30_000);
    const people_ = artist.getByRole('list', { name: 'People in this room' });
    await within(10_000, 'both present', async () => (await people_.getByRole('listitem').count()) === 2);
  });

  it('both hear the mix (their meters move), and the artist uploads a stem the owner then hears', async () => {
    const { owner, artist } = { owner: people.owner.page, artist: people.artist.page };
    for (const page of [owner, artist]) await page.getByRole('button', { name: 'Play' }).click();
    for (const [who, page] of [['owner', owner], ['artist', artist]] as const) {
      const ms = await within(20_000, `${who}'s meter moves`, async () => (await loudestTrackDb(page)) > -30);
      console.log(`${who} hears the mix ${ms} ms after Play (${(await loudestTrackDb(page)).toFixed(1)} dBFS)`);
    }
    for (const page of [owner, artist]) await page.getByRole('button', { name: 'Pause' }).click();

    await uploadThroughUi(artist, 'Keys.wav', monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 660 * i) / FS), 8 * FS));
    await owner.getByRole('slider', { name: 'Keys fader', exact: true }).waitFor({ timeout: 15_000 });
    // The owner plays from the top: both strips, the artist's Keys included, reach its meters.
    await owner.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.transport.seek(0));
    await owner.getByRole('button', { name: 'Play' }).click();
    await within(20_000, "the owner's Keys meter moves", async () =>
      owner.evaluate(() => {
        const meters = (window as unknown as { __mixroom: Hook }).__mixroom.engine.meters();
        const strips = [...meters.entries()].filter(([k]) => k.startsWith('track:'));
        return strips.length === 2 && strips.every(([, m]) => (m.peak[0] ?? -Infinity) > -30);
      }),
    );
    await owner.getByRole('button', { name: 'Pause' }).click();
  });

  it('the artist comments, the owner saves a version (baked), the artist approves, and both download it', async () => {
    const { owner, artist } = { owner: people.owner.page, artist: people.artist.page };
    await artist.getByRole('button', { name: 'Review' }).click();
    await artist.getByRole('tab', { name: 'Comments' }).click();
    await artist.locator('body').press('c');
    await artist.getByLabel('Comment text').fill('Keys a touch louder?');
    await artist.getByRole('button', { name: 'Post' }).click();
    await owner.getByRole('tab', { name: 'Comments' }).click();
    await owner.getByText('Keys a touch louder?').waitFor({ timeout: 10_000 });

    await owner.getByRole('tab', { name: 'Versions' }).click();
    await owner.getByLabel('Version name').fill('First pass');
    await owner.getByRole('button', { name: 'Save version' }).click();
    await product.review.bakesIdle();
    await artist.getByRole('tab', { name: 'Versions' }).click();
    const wav = (page: Page) => page.locator('[data-version-number="1"] a[data-format="wav24"]');
    await wav(artist).waitFor({ timeout: 30_000 });
    await artist.locator('[data-version-number="1"]').getByTestId('approve').click();
    await within(10_000, 'the owner sees the approval', async () => ((await owner.getByTestId('room-approval').textContent()) ?? '').includes('v1 approved by Art'));

    const approvals = await owner.evaluate(async (room) => ((await (await fetch(`/api/rooms/${room}/approvals`)).json()) as { approvals: { renderHash: string }[] }).approvals, roomId);
    for (const page of [owner, artist]) {
      await wav(page).waitFor({ timeout: 10_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), wav(page).click()]);
      expect(download.suggestedFilename()).toBe('two-cities-v1-first-pass-APPROVED-24bit.wav');
      const bytes = await readFile((await download.path())!);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(approvals[0]!.renderHash);
    }
  });

  it('no request from either page went anywhere but the public origin', async () => {
    const storePort = new URL(product.objects.endpoint!).port;
    const offOrigin = requests.filter((u) => !u.startsWith(`${caddy.url}/`) && !u.startsWith(`wss://${DOMAIN}:${caddy.httpsPort}/`) && !/^(data|blob):/.test(u));
    console.log(`${requests.length} requests and sockets recorded, ${requests.filter((u) => u.includes('/api/objects/')).length} of them object links`);
    expect(offOrigin).toEqual([]);
    expect(requests.filter((u) => u.includes('127.0.0.1') || u.includes(`:${storePort}/`))).toEqual([]);
    expect(requests.some((u) => u.includes('/api/objects/'))).toBe(true);
    expect(requests.some((u) => u.startsWith(`wss://${DOMAIN}:${caddy.httpsPort}/sync/`))).toBe(true);
    for (const who of ['owner', 'artist'] as const) expect(people[who].errors, who).toEqual([]);
  });
});
