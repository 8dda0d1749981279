/**
 * `pnpm dev`: vite's dev server (client/vite.config.ts) in front of the real server started with
 * PUBLIC_URL set to vite's origin. The page, its API calls, join pages and the sync socket all
 * stay on vite's origin through the config's proxy, so the server's Origin checks pass and
 * invite links point where the developer's browser is.
 */
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { launchBrowser } from '../e2e/roomHarness.ts';
import { startTestMixroom, type TestMixroom } from './startTestMixroom.ts';
import { makeTempDir } from './syncHarness.ts';

const clientRoot = fileURLToPath(new URL('../../client', import.meta.url));

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let product: TestMixroom;
let vite: ViteDevServer;
let browser: Browser;
let devOrigin: string;
let cache: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  const port = await freePort();
  devOrigin = `http://localhost:${port}`;
  product = await startTestMixroom({ env: { PUBLIC_URL: devOrigin, OPEN_ROOMS: 'demo' } });
  // The config reads where the server is when it loads, as `pnpm dev` gives it by default.
  process.env['MIXROOM_DEV_SERVER'] = product.url;
  try {
    // Its own dependency cache: other test files build the client at the same time, and a
    // shared client/node_modules/.vite changing under a running dev server fails its loads.
    cache = await makeTempDir('mixroom-vite-cache-');
    vite = await createServer({ root: clientRoot, cacheDir: cache.path, logLevel: 'warn', server: { port, strictPort: true, host: '127.0.0.1' } });
  } finally {
    delete process.env['MIXROOM_DEV_SERVER'];
  }
  await vite.listen();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await product?.close();
  await cache?.remove();
});

describe('the dev loop (vite dev server + the server, one origin)', () => {
  it('joins a room, syncs over the proxied socket and makes invite links on the dev origin', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${devOrigin}/room/demo`);
    await page.getByRole('textbox', { name: 'Display name' }).fill('Dev');
    await page.getByRole('button', { name: 'Enter the room' }).click();
    // Synced means the join POST passed the Origin check and /sync upgraded through the proxy.
    await page.locator('mr-connection-badge [data-synced="true"]').waitFor({ timeout: 60_000 });
    // The engine exists once its worklets loaded (the dev server serves them bundled).
    await page.waitForFunction(() => Boolean((window as unknown as { __mixroom?: { engine?: unknown } }).__mixroom?.engine), null, { timeout: 60_000 }).catch(() => undefined);
    const notice = page.getByText('Audio could not start');
    expect(await notice.count(), (await notice.allTextContents()).join(' | ')).toBe(0);
    expect(await page.evaluate(() => Boolean((window as unknown as { __mixroom?: { engine?: unknown } }).__mixroom?.engine))).toBe(true);
    expect(pageErrors).toEqual([]);

    // The browser's own POSTs from the dev origin (Origin: the dev origin) pass the server's
    // check through the proxy; the invite link is built on the dev origin and opening it
    // there shows the server's join page.
    const invite = await page.evaluate(async () => {
      const post = (path: string, body: unknown) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const created = await post('/api/rooms', { title: 'Dev room', displayName: 'Olive' });
      const made = await post(`/api/rooms/${created.body.room.roomId}/invites`, { role: 'artist', ttlHours: 1 });
      return { created: created.status, status: made.status, url: made.body.url as string };
    });
    expect(invite.created).toBe(201);
    expect(invite.status).toBe(201);
    expect(invite.url.startsWith(`${devOrigin}/join/`)).toBe(true);
    const joinPage = await page.goto(invite.url);
    expect(joinPage?.status()).toBe(200);
    expect(await page.content()).toContain('Dev room');
    await context.close();
  });
});
