import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readMixState } from '@mixroom/shared/model';
import { setMasterParam, setTrackParam } from '@mixroom/shared/ops';
import type { RoomId } from '@mixroom/shared/protocol';
import { deliverableWarnings, readReview, reviewDocName } from '@mixroom/shared/review';
import type { RunningServer } from '../../server/src/createServer.ts';
import type { ReviewModule } from '../../server/src/review/createReviewModule.ts';
import { HttpUser } from '../integration/reviewHarness.ts';
import { joinThroughInvite as join, meterDb, uploadStemAs, within } from './productHarness.ts';
import { launchBrowser, monoWav16, startRoomServer, type RoomServer } from './roomHarness.ts';

/**
 * Review in real Chromium with two people, through the real server (auth, sync, stems,
 * review, bake on embedded S3) and a fresh build of the client: the engineer saves v1 and
 * v2; the artist comments at 0:42 on v1, A/B's v1 vs v2 loudness-matched (measured on the
 * artist's own engine meter), approves v2 and downloads its WAV, whose SHA-256 equals the
 * approved render's; the engineer sees the approval live.
 */
const FS = 48_000;

let room: RoomServer;
let server: RunningServer;
let review: ReviewModule;
let browser: Browser;
let roomId: string;
let owner: HttpUser;
let vox: string;
const pages: Record<'engineer' | 'artist', Page> = {} as never;

interface Hook {
  transport: { seek(t: number): void; position(): number; play(): void; pause(): void; snapshot(): { playing: boolean } };
  engine: { meters(): Map<string, { peak: number[] }> };
  review: { ab: { gainDb(): number } };
}
const hook = <T>(page: Page, fn: (h: Hook) => T) => page.evaluate(fn as never) as Promise<T>;
const serverReview = () => server.services.rooms.withRoom(reviewDocName(roomId) as RoomId, (doc) => readReview(doc));

/** Average master peak (dBFS) over ~0.6 s on the page's own engine. */
async function masterDb(page: Page): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < 12; i++) {
    values.push(await meterDb(page, 'master:'));
    await page.waitForTimeout(50);
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Opens an invite link in a fresh context, enters a name on the join page, lands in the room with the Review panel open. */
async function joinThroughInvite(url: string, name: string): Promise<Page> {
  const page = await join(browser, url, roomId, name, { viewport: { width: 1400, height: 800 }, onError: (m) => console.log(`[${name}] ${m}`) });
  await page.getByRole('button', { name: 'Review' }).click();
  return page;
}

beforeAll(async () => {
  // A fresh client build (a stale dist/ could predate the review UI); uploads authorized by session.
  room = await startRoomServer([], undefined, { review: true, sessionStemAuth: true, minify: false });
  server = room.server;
  review = room.review!;
  owner = new HttpUser(server.url, 'owner');
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' });
  roomId = created.body.room.roomId;
  // 60 s mono stem: a steady 440 Hz sine at -12 dBFS.
  vox = await uploadStemAs(owner, roomId, 'Vox.wav', monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 440 * i) / FS), 60 * FS));
  const links: Record<string, string> = {};
  for (const role of ['engineer', 'artist'] as const) {
    links[role] = (await owner.json<{ url: string }>('POST', `/api/rooms/${roomId}/invites`, { role, ttlHours: 24 })).body.url;
  }
  browser = await launchBrowser();
  pages.engineer = await joinThroughInvite(links['engineer']!, 'Eve');
  pages.artist = await joinThroughInvite(links['artist']!, 'Art');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await room?.close();
});

describe('review in two browsers', () => {
  it('engineer saves v1 and v2 (Vox 6 dB down); both bake, progress and results live for everyone', async () => {
    const eng = pages.engineer;
    await eng.getByRole('tab', { name: 'Versions' }).click();
    await eng.getByLabel('Version name').fill('Rough');
    await eng.getByRole('button', { name: 'Save version' }).click();
    await eng.locator('[data-version-number="1"]').waitFor();
    const fader = eng.getByRole('slider', { name: 'Vox fader', exact: true });
    await fader.focus();
    await fader.press('PageDown');
    await fader.press('PageDown');
    await within(5000, 'Vox at -6 dB on the server', async () =>
      (await server.services.rooms.withRoom(roomId as RoomId, (doc) => readMixState(doc).tracks.find((t) => t.id === vox)?.gain)) === -6,
    );
    await eng.getByLabel('Version name').fill('Vox down');
    await eng.getByRole('button', { name: 'Save version' }).click();
    await review.bakesIdle();
    const snap = await serverReview();
    expect(snap.versions.map((v) => [v.number, v.name, v.state.tracks.find((t) => t.id === vox)?.gain])).toEqual([
      [1, 'Rough', 0],
      [2, 'Vox down', -6],
    ]);
    for (const v of snap.versions) expect({ status: snap.bakes.get(v.id)?.status, error: snap.bakes.get(v.id)?.error }).toEqual({ status: 'done', error: null });
    const [l1, l2] = snap.versions.map((v) => snap.bakes.get(v.id)!.loudness!.integratedLufs!);
    console.log(`stored loudness: v1 ${l1!.toFixed(2)} LUFS, v2 ${l2!.toFixed(2)} LUFS`);
    expect(l1! - l2!).toBeCloseTo(6, 0);
    // Everyone in the room was told v2 is ready.
    await pages.artist.getByTestId('bake-notice').filter({ hasText: 'v2 “Vox down” is ready' }).waitFor({ timeout: 10_000 });
    // The artist's panel shows both baked versions with their downloads, live.
    await pages.artist.getByRole('tab', { name: 'Versions' }).click();
    await within(10_000, "artist sees v2's downloads", async () => (await pages.artist.locator('[data-version-number="2"] a[data-format="wav24"]').count()) === 1);
  });

  it('artist comments at 0:42 while hearing v1; the comment is live on the engineer side with its marker time', async () => {
    const art = pages.artist;
    await art.locator('[data-version-number="1"]').getByRole('button', { name: 'Play' }).click();
    await hook(art, () => (window as unknown as { __mixroom: Hook }).__mixroom.transport.seek(42));
    await art.getByRole('tab', { name: 'Comments' }).click();
    await art.locator('body').press('c');
    await art.getByLabel('Comment text').fill('Vocal too loud here');
    await art.getByRole('button', { name: 'Post' }).click();
    const snap = await (async () => {
      await within(5000, 'comment stored', async () => (await serverReview()).comments.length === 1);
      return serverReview();
    })();
    const comment = snap.comments[0]!;
    expect(comment).toMatchObject({ at: 42, text: 'Vocal too loud here', versionId: snap.versions[0]!.id, author: { name: 'Art', role: 'artist' } });
    const eng = pages.engineer;
    await eng.getByRole('tab', { name: 'Comments' }).click();
    await within(5000, 'engineer sees the comment', async () => (await eng.locator(`[data-comment="${comment.id}"]`).textContent())?.includes('0:42.0') ?? false);
  });

  it('artist A/Bs v1 vs v2 loudness-matched: the indicator names what plays and the measured level matches', async () => {
    const art = pages.artist;
    await art.getByRole('tab', { name: 'Versions' }).click();
    await hook(art, () => {
      const h = (window as unknown as { __mixroom: Hook }).__mixroom;
      h.transport.seek(10);
      h.transport.play();
    });
    await art.locator('[data-version-number="1"]').getByRole('button', { name: 'Play' }).click();
    await within(15_000, 'v1 audible', async () => (await masterDb(art)) > -40);
    const matchBox = art.getByLabel('Match loudness');
    await matchBox.uncheck();
    const v1Raw = await masterDb(art);
    await art.locator('[data-version-number="2"]').getByRole('button', { name: 'Play' }).click();
    await art.waitForTimeout(200);
    const v2Raw = await masterDb(art);
    await matchBox.check();
    await expect(art.getByTestId('ab-indicator').textContent()).resolves.toMatch(/^Playing: v2 Vox down at -?\d+\.\d LUFS, reference level/);
    const v2Matched = await masterDb(art);
    await art.getByRole('button', { name: 'A/B' }).click();
    await expect(art.getByTestId('ab-indicator').textContent()).resolves.toMatch(/^Playing: v1 Rough at -?\d+\.\d LUFS, -\d+\.\d dB to match v2 Vox down/);
    await art.waitForTimeout(200);
    const v1Matched = await masterDb(art);
    const gain = await hook(art, () => (window as unknown as { __mixroom: Hook }).__mixroom.review.ab.gainDb());
    console.log(`A/B on the artist's engine: raw v1 ${v1Raw.toFixed(2)} / v2 ${v2Raw.toFixed(2)} dBFS; matched v1 ${v1Matched.toFixed(2)} / v2 ${v2Matched.toFixed(2)} dBFS (v1 gain ${gain.toFixed(2)} dB)`);
    expect(v1Raw - v2Raw).toBeGreaterThan(5);
    expect(Math.abs(v1Matched - v2Matched)).toBeLessThan(0.5);
    await hook(art, () => (window as unknown as { __mixroom: Hook }).__mixroom.transport.pause());
  });

  it('artist approves v2 and downloads its WAV: the file hashes to the approved render; the engineer sees the approval live', async () => {
    const art = pages.artist;
    await art.locator('[data-version-number="2"]').getByTestId('approve').click();
    await within(5000, 'approval stored', async () => (await serverReview()).approvals.length === 1);
    const approval = (await serverReview()).approvals[0]!;
    const v2 = (await serverReview()).versions[1]!;
    expect(approval).toMatchObject({ action: 'approve', versionId: v2.id, versionHash: v2.stateHash, by: { name: 'Art', role: 'artist' } });
    const seenMs = await within(3000, 'engineer header shows the approval', async () =>
      ((await pages.engineer.getByTestId('room-approval').textContent()) ?? '').includes('v2 approved by Art'),
    );
    console.log(`engineer saw the approval ${seenMs} ms after it was stored`);
    // The status lives in the room header (mr-room's `status` slot), not only in the review panel.
    const placement = await pages.engineer.evaluate(() => {
      const badge = document.querySelector('mr-room > mr-approval-badge');
      const header = document.querySelector('mr-room')?.shadowRoot?.querySelector('header');
      return { slot: badge?.assignedSlot?.name ?? null, inHeader: !!badge?.assignedSlot && header?.contains(badge.assignedSlot) === true };
    });
    expect(placement).toEqual({ slot: 'status', inHeader: true });

    const [download] = await Promise.all([art.waitForEvent('download'), art.locator('[data-version-number="2"] a[data-format="wav24"]').click()]);
    expect(download.suggestedFilename()).toBe('night-drive-v2-vox-down-APPROVED-24bit.wav');
    const path = await download.path();
    const bytes = await readFile(path);
    const hash = createHash('sha256').update(bytes).digest('hex');
    console.log(`downloaded ${bytes.length} bytes, sha256 ${hash.slice(0, 16)}…, approved render ${approval.renderHash.slice(0, 16)}…`);
    expect(hash).toBe(approval.renderHash);
  });

  it('engineer restores v1 as the live mix for everyone, and undoes it as one change', async () => {
    const eng = pages.engineer;
    const serverVox = () => server.services.rooms.withRoom(roomId as RoomId, (doc) => readMixState(doc).tracks.find((t) => t.id === vox)?.gain);
    expect(await serverVox()).toBe(-6);
    await eng.getByRole('tab', { name: 'Versions' }).click();
    await eng.locator('[data-version-number="1"]').getByRole('button', { name: 'Restore' }).click();
    await within(5000, 'v1 restored on the server', async () => (await serverVox()) === 0);
    await within(5000, "artist's fader shows the restore", async () => Number(await pages.artist.getByRole('slider', { name: 'Vox fader', exact: true }).getAttribute('aria-valuenow')) === 0);
    await eng.getByRole('button', { name: 'Undo my last change' }).click();
    await within(5000, 'restore undone on the server', async () => (await serverVox()) === -6);
  });

  it('a clipping version warns at Approve and at Download; the approval records the warnings and shows them', async () => {
    // Push the mix 24 dB up with the limiter off: the master clips at full scale.
    await server.services.rooms.withRoom(roomId as RoomId, (doc, origin) => {
      setTrackParam(doc, { trackId: vox, param: 'gain', value: 12 }, origin);
      setMasterParam(doc, { param: 'gain', value: 12 }, origin);
      setMasterParam(doc, { param: 'limiter.on', value: false }, origin);
    });
    const eng = pages.engineer;
    await eng.getByRole('tab', { name: 'Versions' }).click();
    await eng.getByLabel('Version name').fill('Hot');
    await eng.getByRole('button', { name: 'Save version' }).click();
    await eng.locator('[data-version-number="3"]').waitFor();
    await review.bakesIdle();
    const v3 = (await serverReview()).versions.find((v) => v.number === 3)!;
    const bake = (await serverReview()).bakes.get(v3.id)!;
    const warnings = deliverableWarnings(bake);
    expect(warnings.map((w) => `${w.format}:${w.problem}`)).toEqual(expect.arrayContaining(['wav24:clipped', 'wav16:clipped', 'flac:clipped']));

    const art = pages.artist;
    const row = art.locator('[data-version-number="3"]');
    // Per-format measurements and the warning, before anything is clicked.
    await row.getByTestId('measurements').waitFor({ timeout: 10_000 });
    const wav16Clipped = await row.locator('[data-testid="measurements"] tr[data-format="wav16"] td').nth(3).textContent();
    expect(Number(wav16Clipped!.replace(/,/g, ''))).toBe(bake.formats.wav16!.clippedSamples);
    const shown = await row.getByTestId('deliverable-warnings').textContent();
    for (const w of warnings) expect(shown).toContain(w.message);

    // Approve asks first, naming the problem; only "Approve anyway" approves.
    const approvalsBefore = (await serverReview()).approvals.length;
    await row.getByTestId('approve').click();
    await row.getByTestId('approve-anyway').waitFor();
    expect(await row.locator('.warn').first().textContent()).toContain('not a clean deliverable');
    expect((await serverReview()).approvals).toHaveLength(approvalsBefore);
    await row.getByTestId('approve-anyway').click();
    await within(5000, 'approval stored', async () => (await serverReview()).approvals.length === approvalsBefore + 1);
    const approval = (await serverReview()).approvals.at(-1)!;
    expect(approval).toMatchObject({ action: 'approve', versionId: v3.id, by: { name: 'Art' } });
    expect(approval.warnings).toEqual(warnings);
    await within(5000, 'engineer header shows the approval with warnings', async () =>
      ((await eng.getByTestId('room-approval').textContent()) ?? '').includes('v3 approved by Art with warnings'),
    );
    expect(await row.getByTestId('approved-badge').textContent()).toContain('WITH WARNINGS');

    // A flagged file's download names its problem first, then downloads the stored render.
    await row.locator('button[data-download="wav24"]').click();
    const note = await row.getByTestId('download-warning').textContent();
    expect(note).toContain('WAV 24-bit clips');
    const [download] = await Promise.all([art.waitForEvent('download'), row.getByTestId('download-anyway').click()]);
    const bytes = await readFile(await download.path());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(bake.renders.wav24!.hash);
  });
});
