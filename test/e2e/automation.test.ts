import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { laneValueAt, type AutomationPoint } from '@mixroom/shared/model';
import { drawFaderPointsOnGrid, laneOf, lanePoint, lanePoints as lanePointsOf, plotAt as plotOf, showLane } from './lanePage.ts';
import { focusOutOfControls, meterDb, playing, position, sleep, sounding, within } from './productHarness.ts';
import { startTwoPeople, type RoomPage, type TwoPeopleRoom } from './roomHarness.ts';

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

let room: TwoPeopleRoom;
let a: RoomPage;
let b: RoomPage;
const ids: Record<string, string> = {};

/** This file's lanes are all under tracks. */
const lanePoints = (page: Page, track: string, path: string) => lanePointsOf(page, `track:${track}`, path);
const lane = (page: Page, track: string, path: string) => laneOf(page, `track:${track}`, path);
const plotAt = (page: Page, track: string, path: string) => plotOf(page, `track:${track}`, path);
const point = (page: Page, track: string, path: string, n: number) => lanePoint(page, `track:${track}`, path, n);
const valueAt = (points: readonly AutomationPoint[], t: number) => laneValueAt({ points }, t);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  // Two 24 s mono stems, steady sines at -12 dBFS, through the real upload path.
  room = await startTwoPeople(ROOM, [['Vox', 440], ['Snare', 220]], 24, FS);
  ({ a, b } = room);
  Object.assign(ids, room.ids);
});

afterAll(async () => {
  await room?.close();
});

const fader = (page: Page, track: string) => page.getByRole('slider', { name: `${track} fader`, exact: true });
const faderValue = async (page: Page, track: string) => Number(await fader(page, track).getAttribute('aria-valuenow'));

describe('automation lanes in two browsers', () => {
  it('shows and hides lanes per person', async () => {
    await showLane(a.page, 'Vox', 'fader');
    await lane(a.page, ids['Vox']!, 'gain').waitFor({ timeout: 5000 });
    expect(await lane(b.page, ids['Vox']!, 'gain').count()).toBe(0);
    await showLane(b.page, 'Vox', 'fader');
    await lane(b.page, ids['Vox']!, 'gain').waitFor({ timeout: 5000 });
    // Hidden again on A only (the picker and the lane's own hide button both do it).
    await a.page.getByRole('button', { name: 'Hide the Vox fader lane', exact: true }).click();
    await within(2000, 'A hid the lane', async () => (await lane(a.page, ids['Vox']!, 'gain').count()) === 0);
    expect(await lane(b.page, ids['Vox']!, 'gain').count()).toBe(1);
    await showLane(a.page, 'Vox', 'fader');
    await lane(a.page, ids['Vox']!, 'gain').waitFor({ timeout: 5000 });
  });

  it('A draws, drags, nudges and deletes points (snapped to the bar grid); B sees each edit', async () => {
    const vox = ids['Vox']!;
    // A tempo puts the grid on beats: 120 BPM, 0.5 s.
    const bpm = a.page.getByRole('spinbutton', { name: 'Tempo in beats per minute (empty for none)' });
    await bpm.fill('120');
    await bpm.press('Enter');
    await within(2000, 'B has the tempo', async () => (await b.page.getByRole('spinbutton', { name: 'Tempo in beats per minute (empty for none)' }).inputValue()) === '120');
    // Two clicks land on the beats at 4 and 8 s; the second, dragged two seconds later, on 10 s.
    let pts = await drawFaderPointsOnGrid(a.page, b.page, `track:${vox}`, 'gain');

    // Keyboard: the first point, a beat later and 0.5 dB up; then deleted.
    const first = point(a.page, vox, 'gain', 1);
    await first.focus();
    await a.page.keyboard.press('Enter'); // select it
    await a.page.keyboard.press('ArrowRight');
    await a.page.keyboard.press('ArrowUp');
    await within(1000, 'B sees the nudged point', async () => {
      const p = (await lanePoints(b.page, vox, 'gain'))[0];
      return p?.time === 4.5 && Math.abs(p.value - (pts[0]!.value + 0.5)) < 1e-9;
    });
    await expect(point(b.page, vox, 'gain', 1).getAttribute('aria-label')).resolves.toContain('00:04.500');
    await point(a.page, vox, 'gain', 1).focus();
    await a.page.keyboard.press('Delete');
    await within(1000, 'B sees the point deleted', async () => (await lanePoints(b.page, vox, 'gain')).length === 1);
    // Undo (A's own edit) brings it back on both sides.
    await a.page.keyboard.press('Control+z');
    await within(1000, 'the delete undone on B', async () => (await lanePoints(b.page, vox, 'gain')).length === 2);
    pts = await lanePoints(b.page, vox, 'gain');
    expect(pts[0]!.time).toBe(4.5);
    await a.page.screenshot({ path: `${artifacts}automation-points.png` });
  });

  it("A records a Write ride while playing: B sees the lane grow, B's fader and sound follow; A's undo takes back only the ride", async () => {
    const snare = ids['Snare']!;
    const vox = ids['Vox']!;
    await showLane(a.page, 'Snare', 'fader');
    await showLane(b.page, 'Snare', 'fader');
    await lane(b.page, snare, 'gain').waitFor({ timeout: 5000 });
    // B adds a point of its own (on the Vox lane): A's undo must leave it.
    const bv = await plotAt(b.page, vox, 'gain');
    await b.page.mouse.click(bv.x(15.2), bv.y(0.5));
    await within(1000, "A sees B's point", async () => (await lanePoints(a.page, vox, 'gain')).length === 3);

    await b.page.getByRole('button', { name: 'Follow Ana' }).click();
    await a.page.getByRole('combobox', { name: 'Snare fader automation mode' }).selectOption('write');
    await a.page.keyboard.press('Home');
    await a.page.getByRole('button', { name: 'Play' }).click();
    await sounding(a.page);
    await sounding(b.page);
    const strip = `track:${snare}`;
    await within(10_000, "B hears the Snare", async () => (await meterDb(b.page, strip)) > -20);
    await sleep(400);
    const before = await meterDb(b.page, strip);

    // A rides the Snare fader down: 36 px over ~1.2 s, a real pointer drag on the fader.
    const box = (await fader(a.page, 'Snare').boundingBox())!;
    const capY = box.y + 12 + (1 - 0.75) * 130;
    await a.page.mouse.move(box.x + box.width / 2, capY);
    await a.page.mouse.down();
    const counts: number[] = [];
    const bFader: number[] = [];
    for (let i = 1; i <= 12; i++) {
      await a.page.mouse.move(box.x + box.width / 2, capY + i * 3);
      await sleep(100);
      if (i % 3 === 0) {
        counts.push((await lanePoints(b.page, snare, 'gain')).length);
        bFader.push(await faderValue(b.page, 'Snare'));
      }
    }
    await a.page.mouse.up();
    const ridden = await faderValue(a.page, 'Snare');
    expect(ridden).toBeLessThan(-6);
    // The lane grew on B while A was still riding, and B's fader went down with it.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[3]).toBeGreaterThan(counts[0]!);
    expect(bFader[3]).toBeLessThan(bFader[0]! - 2);
    await sleep(800);
    // B hears the ride: its Snare level is down by what A rode (measured on B's own engine).
    const after = await meterDb(b.page, strip);
    expect(Math.abs(after - (before + ridden))).toBeLessThan(1.5);
    await within(2000, "B's fader at A's value", async () => Math.abs((await faderValue(b.page, 'Snare')) - ridden) <= 0.2);
    await a.page.getByRole('button', { name: 'Pause' }).click();
    await within(2000, 'both paused', async () => !(await playing(b.page)));

    const ride = await lanePoints(a.page, snare, 'gain');
    await within(1000, 'B has the whole ride', async () => JSON.stringify(await lanePoints(b.page, snare, 'gain')) === JSON.stringify(ride));
    console.log(`write ride: ${ride.length} points over ${(ride[ride.length - 1]!.time - ride[0]!.time).toFixed(2)} s; B's lane grew ${counts.join(' -> ')} points during it; B's fader ${bFader.join(' -> ')} dB; B's Snare ${before.toFixed(2)} -> ${after.toFixed(2)} dBFS for ${ridden} dB`);
    expect(ride[0]!.value).toBe(0);
    expect(ride[ride.length - 1]!.value).toBe(ridden);
    expect(ride.length).toBeLessThan(80);

    // A's undo (Ctrl+Z outside any control) takes back the ride, and nothing of B's.
    await a.page.getByRole('combobox', { name: 'Snare fader automation mode' }).selectOption('read');
    await focusOutOfControls(a.page);
    await a.page.keyboard.press('Control+z');
    await within(1000, "the ride undone on B", async () => (await lanePoints(b.page, snare, 'gain')).length === 0);
    expect((await lanePoints(b.page, vox, 'gain')).map((p) => p.time)).toContain(15);
    expect(await lanePoints(b.page, vox, 'gain')).toHaveLength(3);
    await b.page.getByRole('button', { name: 'Following Ana' }).click().catch(() => undefined);
  });

  it("Touch writes while A holds the fader, then the lane takes over again; B's fader returns with it", async () => {
    const snare = ids['Snare']!;
    const at = await plotAt(a.page, snare, 'gain');
    await a.page.mouse.click(at.x(0.5), at.y(0.5));
    await a.page.mouse.click(at.x(20), at.y(0.5));
    await within(1000, 'B has the two points', async () => (await lanePoints(b.page, snare, 'gain')).length === 2);
    const lane0 = (await lanePoints(a.page, snare, 'gain'))[0]!.value;
    await a.page.getByRole('combobox', { name: 'Snare fader automation mode' }).selectOption('touch');
    if ((await b.page.getByRole('button', { name: 'Follow Ana' }).getAttribute('aria-pressed')) !== 'true') await b.page.getByRole('button', { name: 'Follow Ana' }).click();
    await a.page.keyboard.press('Home');
    await a.page.getByRole('button', { name: 'Play' }).click();
    await sounding(a.page);
    await sleep(500);
    // The fader shows the lane (-10 dB): grab it there and push it up 20 px.
    expect(Math.abs((await faderValue(a.page, 'Snare')) - lane0)).toBeLessThanOrEqual(0.1);
    const box = (await fader(a.page, 'Snare').boundingBox())!;
    const capY = box.y + 12 + (1 - 0.5) * 130;
    await a.page.mouse.move(box.x + box.width / 2, capY);
    await a.page.mouse.down();
    const grabbed = await position(a.page);
    for (let i = 1; i <= 5; i++) {
      await a.page.mouse.move(box.x + box.width / 2, capY - i * 4);
      await sleep(60);
    }
    const held = await faderValue(a.page, 'Snare');
    await sleep(600);
    const released = await position(a.page);
    await a.page.mouse.up();
    await sleep(1000);
    // Back on the lane on both sides while still playing.
    expect(Math.abs((await faderValue(a.page, 'Snare')) - lane0)).toBeLessThanOrEqual(0.1);
    await within(1000, "B's fader back on the lane", async () => Math.abs((await faderValue(b.page, 'Snare')) - lane0) <= 0.1);
    await a.page.getByRole('button', { name: 'Pause' }).click();
    const pts = await lanePoints(a.page, snare, 'gain');
    await within(1000, 'B has the touch', async () => JSON.stringify(await lanePoints(b.page, snare, 'gain')) === JSON.stringify(pts));
    expect(held).toBeGreaterThan(lane0 + 3);
    expect(valueAt(pts, grabbed - 0.2)).toBe(lane0);
    expect(Math.abs(valueAt(pts, released - 0.1) - held)).toBeLessThanOrEqual(0.1);
    expect(valueAt(pts, released + 0.3)).toBe(lane0);
    expect(pts[pts.length - 1]!.time).toBe(20);
    console.log(`touch: held ${held} dB from ${grabbed.toFixed(2)} to ${released.toFixed(2)} s over a ${lane0} dB lane; ${pts.length} points`);
  });
});
