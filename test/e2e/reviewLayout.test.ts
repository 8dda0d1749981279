import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { makeTempDir } from '../integration/syncHarness.ts';
import { uploadStemAs } from './productHarness.ts';
import { buildClient, launchBrowser, monoWav16 } from './roomHarness.ts';

/**
 * The room at the sizes people open it on (issue 17): a 1440×900 laptop, a 1024×700 small
 * window (everything reachable, the master in view, the mixer scrolling) and a 390×844 phone,
 * where the artist's review view (play a version, comment, approve) works. Screenshots of the
 * review view at each size go to test-artifacts/ to be looked at.
 */
const FS = 48_000;
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let product: TestMixroom;
let browser: Browser;
let roomId: string;
let owner: HttpUser;
const contexts: BrowserContext[] = [];

/** The artist, through the invite link, in a fresh context of the given size. */
async function artistAt(width: number, height: number, mobile = false): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  contexts.push(context);
  const page = await context.newPage();
  // One link each: an invite admits one person.
  const link = (await owner.json<{ url: string }>('POST', `/api/rooms/${roomId}/invites`, { role: 'artist', ttlHours: 24 })).body.url;
  await page.goto(link);
  await page.getByLabel('Your name, as others in the room will see it').fill('Art');
  await page.getByRole('button', { name: 'Join the room' }).click();
  await page.waitForURL(`**/room/${roomId}`);
  await page.locator('mr-connection-badge [data-synced="true"]').waitFor({ timeout: 20_000 });
  return page;
}

/** True when the element's box is wholly inside the viewport (reachable without scrolling the page). */
async function inView(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await locator.boundingBox();
  const vp = page.viewportSize()!;
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width + 0.5 && box.y + box.height <= vp.height + 0.5;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = await makeTempDir('mixroom-layout-');
  await buildClient(`${dir.path}/client`);
  product = await startTestMixroom({ clientDistDir: `${dir.path}/client` });
  owner = new HttpUser(product.url, 'owner');
  roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' })).body.room.roomId;
  const names = ['Kick', 'Bass', 'Lead vocal double', 'Pad', 'Hats', 'Snare', 'Keys', 'Strings'];
  for (const [i, name] of names.entries()) await uploadStemAs(owner, roomId, `${name}.wav`, monoWav16((n) => 0.1 * Math.sin((2 * Math.PI * (110 + 55 * i) * n) / FS), 8 * FS));
  expect((await owner.json('POST', `/api/rooms/${roomId}/versions`, { name: 'Rough', note: 'first balance' })).status).toBe(201);
  await product.review.bakesIdle();
  expect((await owner.json('POST', `/api/rooms/${roomId}/comments`, { at: 2.5, text: 'Kick a touch louder in the intro?' })).status).toBe(201);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await product?.close();
  await dir?.remove();
});

describe('the room at three sizes', () => {
  it('1440×900: the review view beside the console (screenshot)', async () => {
    const page = await artistAt(1440, 900);
    await page.getByRole('button', { name: /^Review/ }).click();
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.locator('[data-version-number="1"]').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${artifacts}review-1440x900.png` });
    expect(await inView(page, page.getByRole('slider', { name: 'Master fader', exact: true }))).toBe(true);
  });

  it('1024×700: everything reachable, the master in view, strip names whole, the mixer scrolls (screenshot)', async () => {
    const page = await artistAt(1024, 700);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${artifacts}room-1024x700.png` });
    await page.getByRole('button', { name: /^Review/ }).click();
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.locator('[data-version-number="1"]').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${artifacts}review-1024x700.png` });
    // The page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    for (const name of ['Master fader']) expect(await inView(page, page.getByRole('slider', { name, exact: true })), name).toBe(true);
    for (const name of ['Show the mixer', 'Upload stems', /^Review/, 'Undo my last change']) {
      expect(await inView(page, page.getByRole('button', { name }).first()), String(name)).toBe(true);
    }
    expect(await inView(page, page.getByRole('slider', { name: 'Monitor mix: my volume (only you hear this)' }))).toBe(true);
    // Strip names are whole (not cut by the strip width).
    const cut = await page.evaluate(() => {
      const out: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (el.matches('.name, input.name') && el instanceof HTMLElement && el.offsetWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
            out.push((el as HTMLInputElement).value ?? el.textContent ?? '');
          }
        }
      };
      walk(document);
      return out;
    });
    expect(cut).toEqual([]);
    // The mixer scrolls to its last strip while the master stays where it was.
    const master = page.getByRole('slider', { name: 'Master fader', exact: true });
    const before = await master.boundingBox();
    const last = page.getByRole('slider', { name: 'Strings fader', exact: true });
    await last.scrollIntoViewIfNeeded();
    expect(await inView(page, last)).toBe(true);
    expect(await master.boundingBox()).toEqual(before);
  });

  it('390×844 phone: the artist plays a version, comments and approves (screenshot)', async () => {
    const page = await artistAt(390, 844, true);
    const toggle = page.getByRole('button', { name: /^Review/ });
    expect(await inView(page, toggle)).toBe(true);
    await toggle.click();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const v1 = page.locator('[data-version-number="1"]');
    await v1.waitFor();
    expect(await inView(page, page.getByRole('tab', { name: 'Comments' }))).toBe(true);
    const play = v1.getByTestId('play-version');
    await play.scrollIntoViewIfNeeded();
    await play.tap();
    const banner = page.getByTestId('heard-banner');
    await banner.waitFor({ timeout: 3000 });
    // A notice arrives while the banner is up (someone comments): it never covers the banner.
    expect((await owner.json('POST', `/api/rooms/${roomId}/comments`, { at: 4, text: 'Snare fill at 0:04?' })).status).toBe(201);
    const notice = page.getByTestId('room-notice').filter({ hasText: 'Snare fill at 0:04?' });
    await notice.waitFor({ timeout: 5000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${artifacts}review-390x844.png` });
    // Nor the transport (Play is what a phone user reaches for).
    const bannerBox = (await banner.boundingBox())!;
    const playBox = (await page.locator('mr-transport').getByRole('button', { name: /^(Play|Pause)$/ }).boundingBox())!;
    for (const n of await page.getByTestId('room-notice').all()) {
      const b = await n.boundingBox();
      if (!b) continue; // an older notice waiting behind the newest two
      for (const [what, box] of [['banner', bannerBox], ['Play', playBox]] as const) {
        expect(b.y >= box.y + box.height || b.y + b.height <= box.y, `a notice overlaps the ${what}`).toBe(true);
      }
    }
    expect(await inView(page, banner.getByRole('button', { name: 'Back to live' }))).toBe(true);
    // Approve, reachable and working.
    const approve = v1.getByTestId('approve');
    await approve.scrollIntoViewIfNeeded();
    expect(await inView(page, approve)).toBe(true);
    await approve.tap();
    const anyway = v1.getByTestId('approve-anyway');
    if (await anyway.count()) await anyway.tap();
    await page.locator('mr-approval-badge').filter({ hasText: /v1/ }).waitFor({ timeout: 5000 });
    // The approval label sits on one line inside the header.
    const label = page.getByTestId('room-approval');
    const lb = (await label.boundingBox())!;
    const hb = (await page.locator('mr-room header').boundingBox())!;
    const lineHeight = await label.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.3);
    console.log(`phone approval label: ${lb.width.toFixed(0)}×${lb.height.toFixed(0)} px (line ${lineHeight.toFixed(1)} px), header ${hb.height.toFixed(0)} px tall`);
    expect(lb.height).toBeLessThan(lineHeight * 1.9);
    expect(lb.y).toBeGreaterThanOrEqual(hb.y);
    expect(lb.y + lb.height).toBeLessThanOrEqual(hb.y + hb.height);
    // Comment on what plays.
    await page.getByRole('tab', { name: 'Comments' }).tap();
    await page.getByTestId('comment-at-playhead').tap();
    const text = page.getByLabel('Comment text');
    expect(await inView(page, text)).toBe(true);
    await text.fill('Love it on the phone too');
    await page.getByRole('button', { name: 'Post', exact: true }).tap();
    await page.locator('li[data-comment]').filter({ hasText: 'Love it on the phone too' }).waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${artifacts}review-390x844-comment.png` });
  });
});
