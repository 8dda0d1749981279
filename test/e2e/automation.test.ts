import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { uploadStem } from '../integration/stems-fixtures/stemApi.ts';
import { launchBrowser, monoWav16, openRoom, startRoomServer, type RoomPage, type RoomServer } from './roomHarness.ts';

/**
 * Automation in the browser, two people in one room through the real server, real S3 stems
 * and the built client: lanes shown and hidden per person, points drawn, dragged, nudged and
 * deleted from the mouse and the keyboard, a fader ride recorded in Write and Touch while
 * playing that the other person sees grow and hears (their fader follows the lane), and undo
 * that takes back only the rider's own lane edits.
 */
const ROOM = 'e2e-automation';
const FS = 48000;
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let server: RoomServer;
let browser: Browser;
let a: RoomPage;
let b: RoomPage;
const ids: Record<string, string> = {};

interface LanePoint {
  id: string;
  time: number;
  value: number;
  curve: string;
}
interface Hook {
  heard: { document: { tracks: { id: string; automation: Record<string, { points: LanePoint[] }> }[] } };
  transport: { position(): number; snapshot(): { playing: boolean; buffering: boolean } };
  engine: { meters(): Map<string, { peak: number[] }> };
}

/** The lane's points as this page's document holds them. */
function lanePoints(page: Page, track: string, path: string): Promise<LanePoint[]> {
  return page.evaluate(
    ([id, p]) => (window as unknown as { __mixroom: Hook }).__mixroom.heard.document.tracks.find((t) => t.id === id)?.automation[p!]?.points ?? [],
    [track, path] as const,
  );
}

/** Polls until `check` passes; returns the milliseconds it took. Fails after `timeoutMs`. */
async function within(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const lane = (page: Page, track: string, path: string) => page.locator(`mr-automation-lane[data-lane="track:${track}:${path}"]`);

async function showLane(page: Page, trackName: string, label: string): Promise<void> {
  await page.getByRole('button', { name: `${trackName} automation lanes`, exact: true }).click();
  await page.getByRole('menuitemcheckbox', { name: label, exact: true }).click();
  await page.keyboard.press('Escape');
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startRoomServer([ROOM]);
  // Two 24 s mono stems, steady sines at -12 dBFS, through the real upload path.
  for (const [name, freq] of [['Vox', 440], ['Snare', 220]] as const) {
    const wav = monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * freq * i) / FS), 24 * FS);
    const r = await uploadStem(server.server.url, ROOM, `${name}.wav`, wav);
    expect(r.status).toBe(201);
    ids[name] = r.body.trackId;
  }
  browser = await launchBrowser();
  a = await openRoom(browser, server.server.url, ROOM, 'Ana');
  b = await openRoom(browser, server.server.url, ROOM, 'Ben');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('automation lanes in two browsers', () => {
  it('shows and hides lanes per person', async () => {
    await showLane(a.page, 'Vox', 'fader');
    await lane(a.page, ids['Vox']!, 'gain').waitFor({ timeout: 5000 });
    expect(await lane(b.page, ids['Vox']!, 'gain').count()).toBe(0);
    await a.page.screenshot({ path: `${artifacts}automation-lane-shown.png` });
  });
});
