import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { uploadStem } from '../integration/stems-fixtures/stemApi.ts';
import { meterDb, within } from './productHarness.ts';
import { launchBrowser, monoWav16, openRoom, startRoomServer, type RoomPage, type RoomServer } from './roomHarness.ts';
import type { Browser } from 'playwright-core';

/**
 * The de-esser between two people, through the real server, S3 stems and the built client:
 * B listens to the Vox de-esser's band alone (private monitoring), which changes what B hears
 * and nothing else (not A's audio, not the shared mix); A switches the de-esser on, B sees it,
 * and A's gain-reduction meter reads the reduction the worklet reports.
 */
const ROOM = 'e2e-deess';
const FS = 48000;

let server: RoomServer;
let browser: Browser;
let a: RoomPage;
let b: RoomPage;

interface Hook {
  heard: { document: { tracks: { name: string; deess: Record<string, unknown> }[] } };
}

/** Peak (dBFS, first channel) of the page's own master meter. */
const masterDb = (page: Page): Promise<number> => meterDb(page, 'master:');

/** The Vox track's de-esser as the page's copy of the shared document has it. */
function voxDeesser(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() => (window as unknown as { __mixroom: Hook }).__mixroom.heard.document.tracks.find((t) => t.name === 'Vox')!.deess);
}

/** Averages a few meter reads a report apart (a single report can catch a peak between cycles). */
async function steadyMasterDb(page: Page): Promise<number> {
  let sum = 0;
  for (let i = 0; i < 5; i++) {
    sum += await masterDb(page);
    await page.waitForTimeout(60);
  }
  return sum / 5;
}

beforeAll(async () => {
  server = await startRoomServer([ROOM]);
  // A "vocal": a 200 Hz tone at -12 dBFS with a steady 7 kHz "s" at -26 dBFS, 20 s.
  const wav = monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * 200 * i) / FS) + 0.05 * Math.sin((2 * Math.PI * 7000 * i) / FS), 20 * FS);
  const r = await uploadStem(server.server.url, ROOM, 'Vox.wav', wav);
  expect(r.status).toBe(201);
  browser = await launchBrowser();
  a = await openRoom(browser, server.server.url, ROOM, 'Ana');
  b = await openRoom(browser, server.server.url, ROOM, 'Ben');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('de-esser with two people in a room', () => {
  it("B hears the band alone; A's audio and the shared mix do not change; A's de-esser reduces and both see it", async () => {
    for (const p of [a, b]) {
      await p.page.getByRole('button', { name: 'Play' }).click();
      await within(15_000, 'master sounding', async () => (await masterDb(p.page)) > -30);
      await p.page.getByRole('button', { name: 'Vox EQ and dynamics editor' }).click();
    }
    await b.page.waitForTimeout(500);
    const aBefore = await steadyMasterDb(a.page);
    const bBefore = await steadyMasterDb(b.page);

    // B: the band alone. The 200 Hz tone is ~30 dB down in a 6 kHz band, so B's master falls to the "s".
    await b.page.getByRole('button', { name: 'Vox de-esser band listen (only you hear this)' }).click();
    await within(2000, "B's master carries the band only", async () => (await masterDb(b.page)) < bBefore - 10);
    const bBand = await steadyMasterDb(b.page);
    const aDuring = await steadyMasterDb(a.page);
    console.log(`master: A ${aBefore.toFixed(2)} -> ${aDuring.toFixed(2)} dBFS while B listens to the band; B ${bBefore.toFixed(2)} -> ${bBand.toFixed(2)} dBFS`);
    expect(Math.abs(aDuring - aBefore)).toBeLessThan(0.5);
    // The band's peak is the "s" (-26 dBFS) through the band-pass near its centre, give or take the tone's leak.
    expect(bBand).toBeGreaterThan(-30);
    expect(bBand).toBeLessThan(-22);
    // Listening is nowhere in the shared mix, on either side.
    for (const p of [a, b]) expect(await voxDeesser(p.page)).toEqual({ on: false, mode: 'split', freq: 6000, threshold: -30, range: 6 });
    expect(await a.page.getByRole('button', { name: 'Vox de-esser band listen (only you hear this)' }).getAttribute('aria-pressed')).toBe('false');

    // A switches the de-esser on: B's switch follows, and A's meter shows the worklet's reduction:
    // the band peaks 4.8 dB over the -30 dB threshold (the 7 kHz "s" plus the 200 Hz tone's leak
    // through the band), 3.6 dB at ratio 4: the detector reads each 16-frame sub-block's peak.
    // A uses the strip's DS switch; B's inspector switch follows.
    await a.page.locator('mr-channel-strip').getByRole('button', { name: 'Vox de-esser on' }).click();
    const bSwitch = b.page.locator('mr-deess-panel').getByRole('button', { name: 'Vox de-esser on' });
    await within(2000, "B sees A's de-esser on", async () => (await bSwitch.getAttribute('aria-pressed')) === 'true');
    const gr = a.page.getByRole('meter', { name: 'Vox de-esser gain reduction' });
    await within(3000, "A's gain-reduction meter moves", async () => Number(await gr.getAttribute('aria-valuenow')) > 1);
    const reading = Number(await gr.getAttribute('aria-valuenow'));
    console.log(`A's de-esser gain-reduction meter: ${reading} dB`);
    expect(reading).toBeGreaterThan(3);
    expect(reading).toBeLessThan(4);

    // B leaves the band: B hears what A hears again.
    await b.page.getByRole('button', { name: 'Vox de-esser band listen (only you hear this)' }).click();
    await within(2000, "B's full mix back", async () => (await masterDb(b.page)) > bBand + 10);
    const [aAfter, bAfter] = [await steadyMasterDb(a.page), await steadyMasterDb(b.page)];
    console.log(`master with the de-esser on: A ${aAfter.toFixed(2)} dBFS, B ${bAfter.toFixed(2)} dBFS`);
    expect(Math.abs(aAfter - bAfter)).toBeLessThan(0.5);
    for (const p of [a, b]) await p.page.getByRole('button', { name: 'Pause' }).click();
    expect([...a.errors, ...b.errors].filter((e) => /de-?ess|worklet/i.test(e))).toEqual([]);
  }, 90_000);
});
