/**
 * The dynamics panels of the channel editor, in real Chromium with a real mouse and keyboard,
 * writing a real mix document through the app's MixActions: the gate's switch, key source, a
 * knob drag, a reset and its gain-reduction meter following the engine's reading; and every
 * compressor, saturation and de-esser knob resetting to its parameter's model default.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from './browser/bundleForBrowser.ts';
import { launchChromium } from './browser/launchChromium.ts';

interface GateView {
  on: boolean;
  threshold: number;
  range: number;
  hold: number;
  sidechain: string | null;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const script = await bundleForBrowser('test/browser/dynamicsPanelPage.ts');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 400 } });
  await page.setContent(`<!doctype html><meta charset="utf-8"><body><script type="module">${script.replaceAll('</script', '<\\/script')}</script></body>`);
  await page.waitForFunction(() => 'harness' in window);
});
afterAll(async () => {
  await browser?.close();
});

type Harness = Record<string, (x?: unknown) => unknown>;
const call = <T>(fn: string, arg?: unknown) => page.evaluate(([f, a]) => (window as unknown as { harness: Harness }).harness[f as string]!(a) as T, [fn, arg] as const);
const gate = () => call<GateView>('gate');

describe('the gate panel', () => {
  it('switches the gate on and picks another track as its key', async () => {
    expect((await gate()).on).toBe(false);
    await page.getByRole('button', { name: 'Snare bottom gate on' }).click();
    await page.getByRole('combobox', { name: 'Snare bottom gate key source' }).selectOption({ label: 'Snare top' });
    await expect.poll(async () => (await gate()).sidechain).toBe('top');
    expect((await gate()).on).toBe(true);
    await page.getByRole('combobox', { name: 'Snare bottom gate key source' }).selectOption({ label: 'self' });
    await expect.poll(async () => (await gate()).sidechain).toBeNull();
  });

  it('a knob drag moves the threshold within its range and a double-click resets it', async () => {
    const knob = page.getByRole('slider', { name: 'Snare bottom gate threshold', exact: true });
    const box = (await knob.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 6 * i);
    await page.mouse.up();
    await expect.poll(async () => (await gate()).threshold).toBeGreaterThan(-40);
    const raised = (await gate()).threshold;
    expect(raised).toBeLessThanOrEqual(0);
    expect(Number(await knob.getAttribute('aria-valuenow'))).toBeCloseTo(raised, 5);
    await knob.dblclick();
    await expect.poll(async () => (await gate()).threshold).toBe(-40);
    expect(await call<string[]>('errors')).toEqual([]);
  });

  it('the meter shows the reading: the depth against the range, OPEN at none', async () => {
    await call('setReduction', 40);
    await expect.poll(async () => (await call<{ bar: string; text: string }>('meter')).text).toBe('GR 40.0 dB');
    // Range -80 by default: 40 dB is half way down the meter.
    expect((await call<{ bar: string }>('meter')).bar).toBe('50%');
    await call('setReduction', 0);
    await expect.poll(async () => (await call<{ text: string }>('meter')).text).toBe('OPEN');
  });
});

describe('the compressor, saturation and de-esser panels', () => {
  /** A parameter of the edited track by its path (`comp.release`). */
  const valueAt = async (path: string) => {
    const t = await call<Record<string, Record<string, number>>>('track');
    const [section, key] = path.split('.');
    return t[section!]![key!]!;
  };

  it("a double-click resets each knob to its parameter's default in the model (what a new track has)", async () => {
    const knobs = [
      ['compressor threshold', 'comp.threshold'],
      ['compressor ratio', 'comp.ratio'],
      ['compressor knee', 'comp.knee'],
      ['compressor attack', 'comp.attack'],
      ['compressor release', 'comp.release'],
      ['compressor makeup gain', 'comp.makeup'],
      ['saturation drive', 'sat.drive'],
      ['saturation mix', 'sat.mix'],
      ['de-esser frequency', 'deess.freq'],
      ['de-esser threshold', 'deess.threshold'],
      ['de-esser range', 'deess.range'],
    ] as const;
    for (const [word, path] of knobs) {
      const fresh = await valueAt(path);
      const knob = page.getByRole('slider', { name: `Snare bottom ${word}`, exact: true });
      await knob.focus();
      await page.keyboard.press(fresh > 0 && word.endsWith('mix') ? 'PageDown' : 'PageUp');
      await expect.poll(() => valueAt(path), { message: `${path} moved` }).not.toBe(fresh);
      await knob.dblclick();
      await expect.poll(() => valueAt(path), { message: `${path} reset` }).toBe(fresh);
    }
    expect(await call<string[]>('errors')).toEqual([]);
  });
});
