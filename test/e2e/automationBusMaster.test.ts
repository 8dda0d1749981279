import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { laneValueAt, type MixState } from '@mixroom/shared/model';
import { buildMixPlan } from '@mixroom/shared/plan';
import { bakeInNode } from '../browser/bakeInNode.ts';
import { rmsDb } from '../browser/testStems.ts';
import { drawFaderPointsOnGrid, laneOf, lanePoint, lanePoints, plotAt, showLane } from './lanePage.ts';
import { meterDb, playing, position, sleep, sounding, untilPosition, within } from './productHarness.ts';
import { startTwoPeople, type RoomPage, type TwoPeopleRoom } from './roomHarness.ts';

/**
 * Bus and master lanes in the browser, two people through the real server and the built
 * client: a group bus's fader lane drawn, dragged, selected, nudged and deleted on the bar grid
 * by one person while the other sees every edit and hears the bus follow it; and a Latch pass
 * on the master fader that keeps writing the released value until the song stops, seen growing
 * by the other person, heard on their engine, and rendered by the server bake from their
 * document (buildMixPlan + bakeMix, the same kernels the version bake runs).
 */
const ROOM = 'e2e-automation-bus-master';
const FS = 48000;
/** Long enough that a pass on a loaded machine never reaches the end of the song. */
const SECONDS = 40;
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let room: TwoPeopleRoom;
let a: RoomPage;
let b: RoomPage;
let vox = '';
/** The vocal stem as the server decodes it: startTwoPeople's -12 dBFS 440 Hz sine in 16 bits. */
const AMP = 0.25;
const voxSamples = new Float32Array(SECONDS * FS).map((_, i) => Math.round(AMP * Math.sin((2 * Math.PI * 440 * i) / FS) * 32767) / 32768);

function doc(page: Page): Promise<MixState> {
  return page.evaluate(() => (window as unknown as { __mixroom: { heard: { document: MixState } } }).__mixroom.heard.document);
}

/** The server bake of `state` (first `seconds`), master left channel. */
async function bake(state: MixState, seconds: number): Promise<Float32Array> {
  const key = state.tracks.find((t) => t.id === vox)!.stem!.key;
  const out = await bakeInNode(buildMixPlan(state), new Map([[key, [voxSamples]]]), seconds * FS);
  return out[0]!;
}
const windowDb = (x: Float32Array, from: number, to: number) => rmsDb(x, Math.round(from * FS), Math.round(to * FS));

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  room = await startTwoPeople(ROOM, [['Vox', 440]], SECONDS, FS);
  ({ a, b } = room);
  vox = room.ids['Vox']!;
});

afterAll(async () => {
  await room?.close();
});

describe('bus and master automation lanes in two browsers', () => {
  let bus = '';

  it("a group bus lane: A draws, drags, selects, nudges and deletes on the grid; B sees each edit and hears and bakes the bus follow", async () => {
    // A makes a group bus and routes the vocal into it, from the console.
    await a.page.getByRole('button', { name: 'Add a group bus' }).click();
    await within(5000, 'B has the group bus', async () => (await doc(b.page)).buses.some((x) => x.kind === 'group'));
    bus = (await doc(a.page)).buses.find((x) => x.kind === 'group')!.id;
    const busName = (await doc(a.page)).buses.find((x) => x.id === bus)!.name;
    await a.page.getByRole('combobox', { name: 'Vox output', exact: true }).selectOption({ label: busName });
    await within(5000, 'B has the vocal routed', async () => (await doc(b.page)).tracks[0]?.output === bus);
    const strip = `bus:${bus}`;

    const bpm = a.page.getByRole('spinbutton', { name: 'Tempo in beats per minute (empty for none)' });
    await bpm.fill('120');
    await bpm.press('Enter');
    await showLane(a.page, busName, 'fader');
    await showLane(b.page, busName, 'fader');
    await laneOf(a.page, strip, 'gain').waitFor({ timeout: 5000 });
    await laneOf(b.page, strip, 'gain').waitFor({ timeout: 5000 });
    // Two clicks land on the beats at 4 and 8 s; the second, dragged two seconds later, on 10 s.
    let pts = await drawFaderPointsOnGrid(a.page, b.page, strip, 'gain');

    // Shift-click selects the first point too; ArrowDown nudges both by 0.5 dB.
    const before = await lanePoints(a.page, strip, 'gain');
    await lanePoint(a.page, strip, 'gain', 1).click({ modifiers: ['Shift'] });
    await expect(lanePoint(a.page, strip, 'gain', 1).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(lanePoint(a.page, strip, 'gain', 2).getAttribute('aria-pressed')).resolves.toBe('true');
    await a.page.keyboard.press('ArrowDown');
    await within(2000, 'B sees both points nudged', async () => {
      const p = await lanePoints(b.page, strip, 'gain');
      return p.length === 2 && p.every((q, i) => Math.abs(q.value - (before[i]!.value - 0.5)) < 1e-9 && q.time === before[i]!.time);
    });
    pts = await lanePoints(b.page, strip, 'gain');
    const [low, high] = [pts[0]!.value, pts[1]!.value];

    // B plays the song itself: the bus is at the first point's level before 4 s, at the second's after 10 s.
    await b.page.keyboard.press('Home');
    await b.page.getByRole('button', { name: 'Play' }).click();
    await sounding(b.page, 30_000);
    await untilPosition(b.page, 0.8);
    const early = await meterDb(b.page, strip);
    const early_t = await position(b.page);
    const ruler = (await b.page.locator('mr-track-list mr-timeline').boundingBox())!;
    const bx = await plotAt(b.page, strip, 'gain');
    await b.page.mouse.click(bx.x(11), ruler.y + ruler.height - 8);
    await within(5000, 'B seeked to 11 s', async () => (await position(b.page)) >= 11);
    await sounding(b.page, 30_000);
    await sleep(700);
    const late = await meterDb(b.page, strip);
    const late_t = await position(b.page);
    await b.page.getByRole('button', { name: 'Pause' }).click();
    console.log(`bus lane ${low} dB -> ${high} dB: B's bus meter ${early.toFixed(2)} dBFS at ${early_t.toFixed(2)} s, ${late.toFixed(2)} dBFS at ${late_t.toFixed(2)} s`);
    expect(early_t).toBeLessThan(4);
    expect(late_t).toBeGreaterThan(10);
    expect(Math.abs(late - early - (high - low))).toBeLessThan(1.5);

    // The bake of B's document follows the lane: held, ramped 4..10 s, held (the tone through the centre pan's -3 dB).
    const baked = await bake(await doc(b.page), 12);
    const tone = 20 * Math.log10(AMP / Math.SQRT2) - 3.0103;
    const bakedAt = (t: number) => windowDb(baked, t - 0.1, t + 0.1);
    console.log(`bake of B's document: ${bakedAt(1).toFixed(2)} dB at 1 s, ${bakedAt(7).toFixed(2)} dB at 7 s, ${bakedAt(11).toFixed(2)} dB at 11 s (tone ${tone.toFixed(2)} dB per side)`);
    expect(Math.abs(bakedAt(1) - (tone + low))).toBeLessThan(0.05);
    expect(Math.abs(bakedAt(11) - (tone + high))).toBeLessThan(0.05);
    expect(Math.abs(bakedAt(7) - (tone + (low + high) / 2))).toBeLessThan(0.05);

    // Delete the first point from the keyboard: B's lane keeps only the second.
    await lanePoint(a.page, strip, 'gain', 1).focus();
    await a.page.keyboard.press('Escape');
    await a.page.keyboard.press('Delete');
    await within(2000, 'B sees the point deleted', async () => {
      const p = await lanePoints(b.page, strip, 'gain');
      return p.length === 1 && p[0]!.time === 10;
    });
    await a.page.screenshot({ path: `${artifacts}automation-bus.png` });
  });

  it("Latch on the master fader keeps writing the released value until stop; B sees it grow, hears it, and the bake plays it", async () => {
    const strip = 'master:master';
    // A clears the bus lane (its Clr button): the bus plays its static 0 dB again for B.
    const busName = (await doc(a.page)).buses.find((x) => x.id === bus)!.name;
    await a.page.getByRole('button', { name: `Clear the ${busName} fader automation`, exact: true }).click();
    await within(2000, 'B sees the bus lane cleared', async () => (await lanePoints(b.page, `bus:${bus}`, 'gain')).length === 0);
    await showLane(a.page, 'Master', 'fader');
    await showLane(b.page, 'Master', 'fader');
    await laneOf(b.page, strip, 'gain').waitFor({ timeout: 5000 });
    await a.page.getByRole('combobox', { name: 'Master fader automation mode' }).selectOption('latch');
    await b.page.getByRole('button', { name: 'Follow Ana' }).click();
    await a.page.keyboard.press('Home');
    await a.page.getByRole('button', { name: 'Play' }).click();
    await sounding(a.page, 30_000);
    await sounding(b.page, 30_000);
    await untilPosition(b.page, 1);
    const before = await meterDb(b.page, 'master:');

    // A grabs the master fader and pulls it down 30 px, then lets go.
    const fader = a.page.getByRole('slider', { name: 'Master fader', exact: true });
    const box = (await fader.boundingBox())!;
    const capY = box.y + 12 + (1 - 0.75) * 130;
    await a.page.mouse.move(box.x + box.width / 2, capY);
    await a.page.mouse.down();
    const grabbed = await position(a.page);
    for (let i = 1; i <= 6; i++) {
      await a.page.mouse.move(box.x + box.width / 2, capY + i * 5);
      await sleep(60);
    }
    await sleep(300);
    await a.page.mouse.up();
    const released = await position(a.page);
    const latched = Number(await fader.getAttribute('aria-valuenow'));
    expect(latched).toBeLessThan(-4);

    // Released, the pass goes on: B's lane keeps growing at the latched value while the song plays.
    await untilPosition(a.page, released + 1.5);
    const midEnd = (await lanePoints(b.page, strip, 'gain')).at(-1)!;
    await untilPosition(a.page, released + 3);
    const held = await meterDb(b.page, 'master:');
    const lateEnd = (await lanePoints(b.page, strip, 'gain')).at(-1)!;
    await a.page.getByRole('button', { name: 'Pause' }).click();
    const stopped = await position(a.page);
    await within(2000, 'both paused', async () => !(await playing(b.page)));

    const pts = await lanePoints(a.page, strip, 'gain');
    await within(2000, 'B has the whole pass', async () => JSON.stringify(await lanePoints(b.page, strip, 'gain')) === JSON.stringify(pts));
    console.log(
      `latch: grabbed ${grabbed.toFixed(2)} s, released ${released.toFixed(2)} s at ${latched} dB, stopped ${stopped.toFixed(2)} s; ${pts.length} points; ` +
        `B's lane end ${midEnd.time.toFixed(2)} s then ${lateEnd.time.toFixed(2)} s after release, ${pts.at(-1)!.time.toFixed(2)} s after stop; B's master ${before.toFixed(2)} -> ${held.toFixed(2)} dBFS`,
    );
    expect(midEnd.value).toBeCloseTo(latched, 6);
    expect(lateEnd.time).toBeGreaterThan(midEnd.time + 1);
    expect(lateEnd.value).toBeCloseTo(latched, 6);
    // The lane: unity before the grab, the latched value from the release to the stop.
    expect(laneValueAt({ points: pts }, grabbed - 0.2)).toBe(0);
    for (let t = released + 0.2; t < stopped - 0.1; t += 0.25) expect(laneValueAt({ points: pts }, t)).toBeCloseTo(latched, 6);
    // Written up to the stop: at least as far as B saw it grow (a starved main thread may sample the last stretch late).
    expect(pts.at(-1)!.time).toBeGreaterThanOrEqual(lateEnd.time);
    expect(pts.at(-1)!.time).toBeGreaterThan(stopped - 1.5);
    expect(Math.abs(held - (before + latched))).toBeLessThan(1.5);

    // The bake of B's document: unity before the grab, the latched level from release to stop.
    const baked = await bake(await doc(b.page), Math.ceil(stopped) + 1);
    const early = windowDb(baked, 0.2, Math.max(0.4, grabbed - 0.2));
    const hold = windowDb(baked, released + 0.2, stopped - 0.1);
    console.log(`bake of B's document: ${early.toFixed(2)} dB before the grab, ${hold.toFixed(2)} dB while latched (${(hold - early).toFixed(2)} dB for ${latched} dB)`);
    expect(Math.abs(hold - early - latched)).toBeLessThan(0.05);
    await b.page.getByRole('button', { name: 'Following Ana' }).click().catch(() => undefined);
  });
});
