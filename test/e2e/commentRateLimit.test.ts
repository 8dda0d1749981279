import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readReview, reviewDocName } from '@mixroom/shared/review';
import type { RoomId } from '@mixroom/shared/protocol';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { makeTempDir } from '../integration/syncHarness.ts';
import { joinThroughInvite, uploadStemAs, within } from './productHarness.ts';
import { buildClient, launchBrowser, monoWav16 } from './roomHarness.ts';

/**
 * The comments rate limit as a reviewer meets it, in the whole product (startTestMixroom with
 * RATE_COMMENTS at 2 a minute per user) and a fresh client build in real Chromium: the third
 * comment in a minute is refused (429) and the review drawer says why and when to try again,
 * with the draft kept, instead of the comment silently not appearing.
 */
const FS = 48_000;
const PER_MINUTE = 2;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let product: TestMixroom;
let browser: Browser;
let roomId: string;
let reviewer: Page;

const storedComments = () => product.server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc) => readReview(doc).comments.map((c) => c.text));

beforeAll(async () => {
  dir = await makeTempDir('mixroom-comment-rate-');
  await buildClient(`${dir.path}/client`);
  product = await startTestMixroom({ clientDistDir: `${dir.path}/client`, env: { RATE_COMMENTS: `${PER_MINUTE}/1m,300/1m` } });
  const owner = new HttpUser(product.url, 'owner');
  roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' })).body.room.roomId;
  await uploadStemAs(owner, roomId, 'Vox.wav', monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 440 * i) / FS), 4 * FS));
  const link = (await owner.json<{ url: string }>('POST', `/api/rooms/${roomId}/invites`, { role: 'reviewer', ttlHours: 24 })).body.url;
  browser = await launchBrowser();
  reviewer = await joinThroughInvite(browser, link, roomId, 'Rex');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await product?.close();
  await dir?.remove();
});

/** Opens a comment at the playhead (C), types `text` and posts it. */
async function comment(page: Page, text: string): Promise<void> {
  await page.locator('body').press('c');
  await page.getByLabel('Comment text').fill(text);
  await page.getByRole('button', { name: 'Post' }).click();
}

describe('the comments rate limit in the browser', () => {
  it('a comment past the limit is refused with a message saying why and when to retry; the draft is kept', async () => {
    await reviewer.getByRole('button', { name: /^Review/ }).click();
    await reviewer.getByRole('tab', { name: 'Comments' }).click();
    for (let i = 1; i <= PER_MINUTE; i++) {
      await comment(reviewer, `note ${i}`);
      await within(5000, `comment ${i} stored`, async () => (await storedComments()).length === i);
    }
    expect(await reviewer.getByRole('alert').filter({ hasText: 'Too many' }).count()).toBe(0);

    await comment(reviewer, 'one too many');
    const alert = reviewer.getByRole('alert').filter({ hasText: 'Too many' });
    await alert.waitFor({ timeout: 5000 });
    const message = (await alert.textContent())?.trim() ?? '';
    expect(message).toMatch(/^Too many comments and replies from your account; try again in \d+ s\.$/);
    const seconds = Number(/in (\d+) s/.exec(message)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    // Nothing stored, and what the reviewer wrote is still there to post later.
    expect(await storedComments()).toEqual(['note 1', 'note 2']);
    expect(await reviewer.getByLabel('Comment text').inputValue()).toBe('one too many');
  });
});
