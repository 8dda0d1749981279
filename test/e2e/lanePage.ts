import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { AutomationPoint, MixState } from '@mixroom/shared/model';
import { within } from './productHarness.ts';

/**
 * Automation lanes on a room page, for browser tests: a strip is named as the lanes' data
 * attribute names it (`track:<id>`, `bus:<id>`, `master:master`). Lanes are shown through the
 * strip's picker, found by their data attribute, and drawn on through the plot's geometry.
 */

/** The lane element of `path` under `strip`. */
export function laneOf(page: Page, strip: string, path: string): Locator {
  return page.locator(`mr-automation-lane[data-lane="${strip}:${path}"]`);
}

/** The lane's `n`th point (1-based), a button named with its time and value. */
export function lanePoint(page: Page, strip: string, path: string, n: number): Locator {
  return laneOf(page, strip, path).getByRole('button', { name: new RegExp(`point ${n} of`) });
}

/** Shows a lane from the strip's picker (`stripName automation lanes`), by its label (`fader`). */
export async function showLane(page: Page, stripName: string, label: string): Promise<void> {
  await page.getByRole('button', { name: `${stripName} automation lanes`, exact: true }).click();
  await page.getByRole('menuitemcheckbox', { name: label, exact: true }).click();
  await page.keyboard.press('Escape');
}

/** The lane's points as this page's document holds them. */
export function lanePoints(page: Page, strip: string, path: string): Promise<AutomationPoint[]> {
  return page.evaluate(
    ([key, p]) => {
      const state = (window as unknown as { __mixroom: { heard: { document: MixState } } }).__mixroom.heard.document;
      const [scope, id] = key!.split(':');
      const s = scope === 'master' ? state.master : (scope === 'bus' ? state.buses : state.tracks).find((x) => x.id === id);
      return [...(s?.automation[p!]?.points ?? [])];
    },
    [strip, path] as const,
  );
}

/** The lane plot's geometry on the page (scrolled into view): where song time `t` and lane height `pos` (0..1) are. */
export async function plotAt(page: Page, strip: string, path: string) {
  const el = laneOf(page, strip, path);
  await el.scrollIntoViewIfNeeded();
  const box = (await el.locator('.plot').boundingBox())!;
  const { start, pps } = await el.evaluate((e) => ({ start: (e as unknown as { start: number }).start, pps: (e as unknown as { pxPerSecond: number }).pxPerSecond }));
  const PAD = 5;
  return {
    x: (t: number) => box.x + (t - start) * pps,
    y: (pos: number) => box.y + PAD + (1 - pos) * (box.height - 2 * PAD),
    pps,
  };
}

/**
 * The grid edit both lane tests start with, on a fader lane with the tempo at 120 BPM: the
 * editor clicks twice off the grid (points land on the beats at 4 s, -10 dB, and 8 s, 0 dB),
 * then drags the second two seconds later (it lands on 10 s); the viewer sees each edit.
 * Returns the lane as the viewer holds it.
 */
export async function drawFaderPointsOnGrid(editor: Page, viewer: Page, strip: string, path: string): Promise<AutomationPoint[]> {
  const at = await plotAt(editor, strip, path);
  expect(at.pps * 0.5).toBeGreaterThan(8); // beats are on the grid at this zoom
  await editor.mouse.click(at.x(4.1), at.y(0.5)); // -10 dB on the fader's law
  await editor.mouse.click(at.x(7.9), at.y(0.75)); // 0 dB
  await within(2000, 'the viewer sees two points', async () => (await lanePoints(viewer, strip, path)).length === 2);
  const pts = await lanePoints(viewer, strip, path);
  expect(pts.map((p) => p.time)).toEqual([4, 8]);
  expect(pts[0]!.value).toBeCloseTo(-10, 0);
  expect(Math.abs(pts[1]!.value)).toBeLessThanOrEqual(0.3);
  const from = { x: at.x(8), y: at.y(0.75) };
  await editor.mouse.move(from.x, from.y);
  await editor.mouse.down();
  for (let i = 1; i <= 8; i++) await editor.mouse.move(from.x + (i * 2.05 * at.pps) / 8, from.y);
  await editor.mouse.up();
  await within(2000, 'the viewer sees the dragged point at 10 s', async () => (await lanePoints(viewer, strip, path))[1]?.time === 10);
  return lanePoints(viewer, strip, path);
}
