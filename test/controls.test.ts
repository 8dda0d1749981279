/**
 * The app's drag and per-frame controls in real Chromium, driven by a real mouse: a drag is
 * one gesture (control-start, control-input on every change, control-end with the value
 * shown last), Shift makes it fine, double-click resets, the ruler seeks and drags loops;
 * an element removed mid-drag or mid-meter stops listening and stops drawing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from './browser/bundleForBrowser.ts';
import { launchChromium } from './browser/launchChromium.ts';

interface Recorded {
  from: string;
  type: string;
  detail: { value?: number; time?: number; range?: { start: number; end: number } };
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const script = await bundleForBrowser('test/browser/controlsPage.ts');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 500 } });
  await page.setContent(`<!doctype html><meta charset="utf-8"><body><script type="module">${script.replaceAll('</script', '<\\/script')}</script></body>`);
  await page.waitForFunction(() => 'harness' in window);
});
afterAll(async () => {
  await browser?.close();
});

const events = (): Promise<Recorded[]> => page.evaluate(() => (window as unknown as { harness: { events(): Recorded[] } }).harness.events());
const valueNow = async (name: string) => Number(await page.getByRole('slider', { name, exact: true }).getAttribute('aria-valuenow'));
type Harness = Record<string, (x?: string) => unknown>;
const harness = (fn: string, arg?: string) => page.evaluate(([f, a]) => (window as unknown as { harness: Harness }).harness[f]!(a), [fn, arg] as const);

/** Presses on the centre of `name`'s slider, moves `steps` times by `dy` px, and releases. */
async function drag(name: string, dy: number, steps: number, options: { shift?: boolean; release?: boolean } = {}): Promise<number[]> {
  const box = (await page.getByRole('slider', { name, exact: true }).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  if (options.shift) await page.keyboard.down('Shift');
  await page.mouse.down();
  const shown: number[] = [];
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x, y + i * dy);
    shown.push(await valueNow(name));
  }
  if (options.release !== false) await page.mouse.up();
  if (options.shift) await page.keyboard.up('Shift');
  return shown;
}

describe('drag controls (fader, knob)', () => {
  for (const name of ['Test fader', 'Test knob']) {
    it(`${name}: a drag is one gesture ending on the value it showed last`, async () => {
      await events();
      const shown = await drag(name, -4, 8);
      const got = (await events()).filter((e) => e.from !== 'mr-timeline');
      expect(got[0]).toEqual({ from: expect.any(String), type: 'control-start', detail: { value: 0 } });
      const inputs = got.filter((e) => e.type === 'control-input').map((e) => e.detail.value!);
      expect(inputs.length).toBeGreaterThan(3);
      // Upward drag: strictly rising values, each one shown while dragging.
      for (let i = 1; i < inputs.length; i++) expect(inputs[i]!).toBeGreaterThan(inputs[i - 1]!);
      expect(shown.at(-1)).toBe(inputs.at(-1));
      expect(got.at(-1)).toEqual({ from: expect.any(String), type: 'control-end', detail: { value: inputs.at(-1) } });
      expect(got.filter((e) => e.type === 'control-start' || e.type === 'control-end')).toHaveLength(2);
      // The element shows its (unchanged) committed value again once released.
      expect(await valueNow(name)).toBe(0);
    });

    it(`${name}: Shift drags finer, double-click resets as one set`, async () => {
      await events();
      const coarse = (await drag(name, -10, 5)).at(-1)!;
      const fine = (await drag(name, -10, 5, { shift: true })).at(-1)!;
      expect(fine).toBeGreaterThan(0);
      expect(fine).toBeLessThan(coarse / 3);
      await events();
      await page.getByRole('slider', { name, exact: true }).dblclick();
      const got = await events();
      // Presses start and end gestures of their own; the double-click then resets, once.
      expect(got.at(-1)).toEqual({ from: expect.any(String), type: 'control-set', detail: { value: 0 } });
      expect(got.filter((e) => e.type === 'control-set')).toHaveLength(1);
      const presses = got.filter((e) => e.type !== 'control-set').map((e) => e.type);
      expect(presses.join(' ')).toMatch(/^(control-start control-end ?)+$/);
    });
  }

  it('an element removed mid-drag stops listening: no more events, no drag when it returns', async () => {
    await events();
    await drag('Test knob', -4, 3, { release: false });
    expect((await events()).map((e) => e.type)).toContain('control-input');
    await harness('detach', 'mr-knob');
    await page.mouse.move(140, 0);
    await page.mouse.up();
    expect(await events()).toEqual([]);
    await harness('attach', 'mr-knob');
    expect(await valueNow('Test knob')).toBe(0);
    const again = await drag('Test knob', -4, 3);
    expect(again.at(-1)).toBeGreaterThan(0);
    expect((await events()).map((e) => e.type)[0]).toBe('control-start');
  });
});

describe('timeline (ruler)', () => {
  const ruler = async () => (await page.locator('mr-timeline').boundingBox())!;

  it('a click seeks; a drag on the loop strip and a Shift-drag on the ruler set the loop', async () => {
    const r = await ruler();
    await events();
    await page.mouse.click(r.x + 200, r.y + 25);
    expect(await events()).toEqual([{ from: 'mr-timeline', type: 'seek', detail: { time: 10 } }]);

    for (const [y, shift] of [[r.y + 5, false], [r.y + 25, true]] as const) {
      await page.mouse.move(r.x + 100, y);
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.down();
      await page.mouse.move(r.x + 150, y);
      await page.mouse.move(r.x + 300, y);
      await page.mouse.up();
      if (shift) await page.keyboard.up('Shift');
      expect(await events()).toEqual([{ from: 'mr-timeline', type: 'loop-change', detail: { range: { start: 5, end: 15 } } }]);
    }
    // A press without movement on the loop strip is no loop.
    await page.mouse.click(r.x + 100, r.y + 5);
    expect(await events()).toEqual([]);
  });
});

describe('per-frame drawing (peak meter)', () => {
  it('reads its source every frame while connected, never after removal, again once back', async () => {
    const reads = () => harness('meterReads') as Promise<number>;
    const a = await reads();
    await page.waitForTimeout(200);
    const b = await reads();
    expect(b - a).toBeGreaterThan(3);
    await harness('detach', 'mr-meter');
    const c = await reads();
    await page.waitForTimeout(200);
    expect(await reads()).toBe(c);
    await harness('attach', 'mr-meter');
    await page.waitForTimeout(200);
    expect((await reads()) - c).toBeGreaterThan(3);
  });
});
