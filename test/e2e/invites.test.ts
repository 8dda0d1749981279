import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HttpUser } from '../integration/reviewHarness.ts';
import { makeTempDir } from '../integration/syncHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { buildClient, launchBrowser } from './roomHarness.ts';

/**
 * The owner's invite dialog in real Chromium against the whole product: a one-person link is
 * made in the dialog, the artist joins through its page, a second person with the same link
 * is refused, and the owner's role change reaches the artist's open room at once.
 */
let dir: Awaited<ReturnType<typeof makeTempDir>>;
let product: TestMixroom;
let browser: Browser;
let roomId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dir = await makeTempDir('mixroom-invites-e2e-');
  await buildClient(`${dir.path}/client`);
  product = await startTestMixroom({ clientDistDir: `${dir.path}/client` });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await product?.close();
  await dir?.remove();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

describe('invite dialog', () => {
  it('one-person link: the artist joins, a second person is refused, a role change reaches the open room', async () => {
    const owner = new HttpUser(product.url, 'owner');
    roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' })).body.room.roomId;
    const ownerPage = await newPage();
    await ownerPage.context().addCookies([{ name: 'mixroom_session', value: owner.cookie.split('=')[1]!, url: product.url }]);
    await ownerPage.goto(`${product.url}/room/${roomId}`);
    await ownerPage.locator('mr-connection-badge [data-synced="true"]').waitFor({ timeout: 30_000 });
    await ownerPage.getByRole('button', { name: 'Review' }).click();
    await ownerPage.getByRole('tab', { name: 'Invite' }).click();
    await ownerPage.getByLabel('Role').selectOption('artist');
    await expect.poll(() => ownerPage.getByLabel('Who can use it').inputValue()).toBe('single'); // the default
    await ownerPage.getByRole('button', { name: 'Create link' }).click();
    const url = await ownerPage.getByTestId('invite-url').inputValue();
    expect(url).toMatch(/\/join\//);

    const artist = await newPage();
    await artist.goto(url);
    await artist.getByLabel('Your name, as others in the room will see it').fill('Art');
    await artist.getByRole('button', { name: 'Join the room' }).click();
    await artist.waitForURL(`**/room/${roomId}`);
    await artist.locator('mr-connection-badge [data-synced="true"]').waitFor({ timeout: 30_000 });

    const forwarded = await newPage();
    const refused = await forwarded.goto(url);
    expect(refused?.status()).toBe(410);
    await expect.poll(() => forwarded.locator('h1').textContent()).toBe('This invite link was already used');

    // The owner sees who used the link and the new member; turning them into a listener
    // makes the artist's open room read-only without a reload.
    await ownerPage.getByRole('tab', { name: 'Versions' }).click();
    await ownerPage.getByRole('tab', { name: 'Invite' }).click();
    await expect.poll(() => ownerPage.getByRole('list', { name: 'Invite links' }).textContent()).toContain('used by Art');
    await ownerPage.getByLabel('Role of Art').selectOption('listener');
    await artist.locator('mr-connection-badge .ro').waitFor({ timeout: 10_000 });
    expect(await artist.locator('mr-connection-badge .ro').textContent()).toBe('Read-only (listener)');
    expect((await owner.json<{ members: Array<{ name: string; role: string }> }>('GET', `/api/rooms/${roomId}/members`)).body.members).toEqual([
      expect.objectContaining({ name: 'Olive', role: 'owner' }),
      expect.objectContaining({ name: 'Art', role: 'listener' }),
    ]);
  });
});
