import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readMixState, type MixState } from '@mixroom/shared/model';
import { ROLE_SUMMARY, type RoomId } from '@mixroom/shared/protocol';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { makeTempDir } from '../integration/syncHarness.ts';
import { joinThroughInvite, uploadStemAs, within } from './productHarness.ts';
import { buildClient, launchBrowser, monoWav16 } from './roomHarness.ts';

/**
 * First-run help and readable history (issue 17), in the whole product with a fresh client
 * build: an engineer and an artist who joined through invite links, each in their own
 * Chromium context, on a room with three 8 s stems and a saved v1. The "?" sheet, the
 * private listen and monitor controls, the per-user undo list, version diffs, the join
 * prompts, and what a screen reader and a keyboard user get.
 */
const FS = 48_000;
const STEM_SECONDS = 8;
/** Screenshots to look at: the sheet, the undo list, and the first control found without a focus mark. */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let product: TestMixroom;
let browser: Browser;
let roomId: string;
let owner: HttpUser;
let eng: Page;
let art: Page;

interface Hook {
  transport: { seek(t: number): void; play(): void; stop(): void; snapshot(): { playing: boolean; buffering: boolean; loopEnabled: boolean } };
}
const hook = <T, A = undefined>(page: Page, fn: (h: Hook, arg: A) => T, arg?: A): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.__mixroom, ${JSON.stringify(arg ?? null)})`) as Promise<T>;
const mixState = () => product.server.services.rooms.withRoom(roomId as RoomId, (doc) => readMixState(doc)) as Promise<MixState>;
const fader = (page: Page, track: string) => page.getByRole('slider', { name: `${track} fader`, exact: true });
const valueOf = async (page: Page, name: string) => Number(await page.getByRole('slider', { name, exact: true }).getAttribute('aria-valuenow'));

/** The focused element's accessible label (or text), looking inside shadow roots; `inDialog` when inside an open dialog. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? null, inDialog: Boolean(el?.closest('dialog[open]')) };
  });

/** Opens or closes the review drawer (its toggle in the header says whether it is open). */
async function setReview(page: Page, open: boolean): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Review/ });
  if ((await toggle.getAttribute('aria-expanded')) !== String(open)) await toggle.click();
}

const uploadAsOwner = (fileName: string, bytes: Uint8Array) => uploadStemAs(owner, roomId, fileName, bytes);
const invite = async (role: 'engineer' | 'artist' | 'reviewer') =>
  (await owner.json<{ url: string }>('POST', `/api/rooms/${roomId}/invites`, { role, ttlHours: 24 })).body.url;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = await makeTempDir('mixroom-help-');
  await buildClient(`${dir.path}/client`);
  product = await startTestMixroom({ clientDistDir: `${dir.path}/client`, env: { OPEN_ROOMS: 'e2e-open' } });
  owner = new HttpUser(product.url, 'owner');
  roomId = (await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' })).body.room.roomId;
  for (const [name, freq] of [['Kick', 110], ['Bass', 220], ['Vox', 440]] as const) {
    await uploadAsOwner(`${name}.wav`, monoWav16((i) => 0.25 * Math.sin((2 * Math.PI * freq * i) / FS), STEM_SECONDS * FS));
  }
  expect((await owner.json('POST', `/api/rooms/${roomId}/versions`, { name: 'Rough', note: 'first balance' })).status).toBe(201);
  browser = await launchBrowser();
  eng = await joinThroughInvite(browser, await invite('engineer'), roomId, 'Eve');
  art = await joinThroughInvite(browser, await invite('artist'), roomId, 'Art');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await product?.close();
  await dir?.remove();
});

describe('first-run help and readable history', () => {
  it('"?" opens a sheet of every shortcut; focus stays in it; Esc gives focus back; shortcuts wait meanwhile', async () => {
    await fader(eng, 'Vox').focus();
    await eng.keyboard.press('?');
    const sheet = eng.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor({ timeout: 2000 });
    await eng.screenshot({ path: `${artifacts}shortcut-sheet-1440x900.png` });
    const keys = await sheet.locator('kbd').allTextContents();
    for (const k of ['Space', 'Home', 'L', 'Esc', 'M', 'S', 'Ctrl+Z', 'Ctrl+Shift+Z', 'R', 'C', 'Shift+C', '?', 'Delete', 'Page Up']) expect(keys, k).toContain(k);
    const text = (await sheet.textContent()) ?? '';
    for (const words of ['Play or pause', 'Loop on or off', 'Comment at the playhead', 'Comment on the loop range', 'Undo your last change', 'Open or close the review drawer'])
      expect(text).toContain(words);
    // Focus moved in, and Tab / Shift+Tab never leave the sheet.
    expect((await focused(eng)).inDialog).toBe(true);
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await eng.keyboard.press(key);
      expect((await focused(eng)).inDialog, key).toBe(true);
    }
    // Room shortcuts wait while it is open: L does not loop, R does not open review.
    await eng.keyboard.press('l');
    await eng.keyboard.press('r');
    expect(await hook(eng, (h) => h.transport.snapshot().loopEnabled)).toBe(false);
    expect(await eng.getByRole('button', { name: /^Review/ }).getAttribute('aria-expanded')).toBe('false');
    // Esc closes it, and focus is back on the fader it came from.
    await eng.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden', timeout: 2000 });
    expect((await focused(eng)).label).toBe('Vox fader');

    // The visible help button opens it too; closing gives focus back to the button.
    const help = eng.getByRole('button', { name: 'Keyboard shortcuts' });
    expect(await help.isVisible()).toBe(true);
    await help.click();
    await sheet.waitFor({ timeout: 2000 });
    await eng.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden', timeout: 2000 });
    expect((await focused(eng)).label).toBe('Keyboard shortcuts');

    // Typing "?" into a comment is text, not a shortcut.
    await eng.locator('body').press('c');
    const comment = eng.getByLabel('Comment text');
    await comment.fill('');
    await comment.pressSequentially('why?');
    expect(await comment.inputValue()).toBe('why?');
    expect(await sheet.isVisible()).toBe(false);
    await comment.press('Escape');
    await setReview(eng, false);
  });

  it('the private listen and the monitor mix say what they are, and L is only the loop key', async () => {
    for (const where of ['mr-mixer', 'mr-track-list']) {
      const listen = eng.locator(where).getByRole('button', { name: 'Kick: Listen privately (only you hear this)', exact: true });
      await listen.waitFor({ timeout: 2000 });
      // No letter L on it (L is the loop key); a headphones icon, and a tooltip in words.
      expect((await listen.innerText()).trim()).toBe('');
      expect(await listen.getAttribute('title')).toMatch(/^Listen privately \(only you hear this\)/);
    }
    const monitor = eng.getByRole('group', { name: 'Monitor mix (only you hear this)' });
    expect(await monitor.getAttribute('title')).toMatch(/^Monitor mix: .*Only you hear/);
    await monitor.getByRole('slider', { name: 'Monitor mix: my volume (only you hear this)', exact: true }).waitFor();
    expect(await monitor.getByText('My volume').isVisible()).toBe(true);
    expect(await monitor.getByText('MON', { exact: true }).count()).toBe(0);

    const loop = eng.getByRole('button', { name: 'Loop', exact: true });
    const listen = eng.locator('mr-mixer').getByRole('button', { name: 'Kick: Listen privately (only you hear this)' });
    await eng.locator('body').press('l');
    await within(1000, 'L turns the loop on', async () => (await loop.getAttribute('aria-pressed')) === 'true');
    expect(await listen.getAttribute('aria-pressed')).toBe('false');
    await listen.click();
    expect(await listen.getAttribute('aria-pressed')).toBe('true');
    await eng.locator('body').press('l');
    await within(1000, 'L turns the loop off', async () => (await loop.getAttribute('aria-pressed')) === 'false');
    expect(await listen.getAttribute('aria-pressed')).toBe('true');
    await eng.getByRole('button', { name: /^Stop my private listens/ }).click();
    expect(await listen.getAttribute('aria-pressed')).toBe('false');
  });

  it('my undo list names my own steps in words, newest first, and only mine', async () => {
    await fader(eng, 'Bass').focus();
    await eng.keyboard.press('PageDown');
    await eng.keyboard.press('PageDown');
    await fader(art, 'Kick').focus();
    await art.keyboard.press('PageUp');
    await within(3000, 'both edits on the server', async () => {
      const s = await mixState();
      return s.tracks.find((t) => t.name === 'Bass')!.gain === -6 && s.tracks.find((t) => t.name === 'Kick')!.gain === 3;
    });
    const steps = async (page: Page) => {
      const toggle = page.getByRole('button', { name: 'My undo history' });
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      return page.getByRole('list', { name: 'My undoable changes, newest first' }).locator('li > span').allTextContents();
    };
    expect(await steps(eng)).toEqual(['Bass: fader 0.0 dB → -6.0 dB']);
    await eng.screenshot({ path: `${artifacts}undo-history-1440x900.png` });
    expect(await steps(art)).toEqual(['Kick: fader 0.0 dB → +3.0 dB']);
    expect(await eng.getByRole('button', { name: 'Undo my last change' }).getAttribute('title')).toMatch(/^Undo Bass: fader 0\.0 dB → -6\.0 dB/);
    // Undo from the list: the Bass goes back for both; the step moves to "Undone", with Redo.
    await eng.getByRole('button', { name: 'Undo back to: Bass: fader 0.0 dB → -6.0 dB' }).click();
    await within(2000, 'Art hears the Bass back at 0 dB', async () => (await valueOf(art, 'Bass fader')) === 0);
    expect(await valueOf(art, 'Kick fader')).toBe(3);
    expect(await eng.getByText('Nothing of yours to undo.').isVisible()).toBe(true);
    await eng.getByRole('button', { name: 'Redo: Bass: fader 0.0 dB → -6.0 dB' }).click();
    await within(2000, 'Art hears the Bass down again', async () => (await valueOf(art, 'Bass fader')) === -6);
    expect(await steps(eng)).toEqual(['Bass: fader 0.0 dB → -6.0 dB']);
    // Esc closes the list and gives focus back to its button.
    await eng.getByRole('button', { name: 'Undo back to: Bass: fader 0.0 dB → -6.0 dB' }).focus();
    await eng.keyboard.press('Escape');
    expect((await focused(eng)).label).toBe('My undo history');
    await art.getByRole('button', { name: 'My undo history' }).click();
  });

  it('a version diff reads from → to, and a version card shows no hash until Details opens', async () => {
    await setReview(eng, true);
    await eng.getByRole('tab', { name: 'Versions' }).click();
    const card = eng.locator('[data-version-number="1"]');
    await card.waitFor();
    expect(await card.innerText()).not.toMatch(/[0-9a-f]{12,}/);
    const hash = card.getByTestId('version-hash');
    expect(await hash.isVisible()).toBe(false);
    await card.getByText('Details').click();
    expect(await hash.isVisible()).toBe(true);
    expect(await hash.textContent()).toMatch(/^[0-9a-f]{64}$/);
    await eng.getByRole('button', { name: 'Diff', exact: true }).click();
    const diff = eng.getByTestId('diff');
    await diff.waitFor({ timeout: 5000 });
    const lines = ((await diff.textContent()) ?? '').split('\n');
    console.log(`diff v1 → live: ${lines.join(' | ')}`);
    expect(lines).toContain('Bass: fader 0.0 dB → -6.0 dB');
    expect(lines).toContain('Kick: fader 0.0 dB → +3.0 dB');
  });

  it('the join prompts explain every role in a line', async () => {
    // The invite page says what the invited role does.
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    await page.goto(await invite('reviewer'));
    const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(main).toContain(`You are invited as reviewer. ${ROLE_SUMMARY.reviewer}`);
    // An open room asks for a role, each one explained.
    await page.goto(`${product.url}/room/e2e-open`);
    for (const [role, name] of [['engineer', 'Engineer'], ['artist', 'Artist'], ['reviewer', 'Reviewer'], ['listener', 'Listener']] as const) {
      const radio = page.getByRole('radio', { name, exact: true });
      await radio.waitFor({ timeout: 5000 });
      expect(await page.getByText(ROLE_SUMMARY[role], { exact: true }).isVisible(), role).toBe(true);
      expect(await radio.getAttribute('aria-describedby')).toBe(`role-${role}`);
    }
    await page.getByRole('radio', { name: 'Listener', exact: true }).check();
    await page.getByRole('textbox', { name: 'Display name' }).fill('Lee');
    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.locator('mr-connection-badge [data-synced="true"]').waitFor({ timeout: 20_000 });
    // Joined as a listener: nothing to edit.
    expect(await page.getByRole('button', { name: 'Upload stems' }).isDisabled()).toBe(true);
    await context.close();
  });

  it('meters and the clock can be read by a screen reader, a few times a second', async () => {
    await hook(art, (h) => h.transport.seek(0));
    await art.getByRole('button', { name: 'Play' }).click();
    await art.waitForFunction(
      () => {
        const s = (window as unknown as { __mixroom: Hook }).__mixroom.transport.snapshot();
        return s.playing && !s.buffering;
      },
      null,
      { timeout: 20_000 },
    );
    // Count every change a screen reader would be told of, for two seconds.
    const seen = await art.evaluate(async () => {
      const find = (pred: (el: Element) => boolean): Element | null => {
        const walk = (root: Document | ShadowRoot): Element | null => {
          for (const el of root.querySelectorAll('*')) {
            if (pred(el)) return el;
            if (el.shadowRoot) {
              const hit = walk(el.shadowRoot);
              if (hit) return hit;
            }
          }
          return null;
        };
        return walk(document);
      };
      const meter = find((el) => el.getAttribute('role') === 'meter' && el.getAttribute('aria-label') === 'Kick level')!;
      const lufs = find((el) => el.getAttribute('role') === 'meter' && el.getAttribute('aria-label') === 'Momentary loudness')!;
      const clock = find((el) => el.getAttribute('role') === 'timer')!;
      const log = { meter: [] as string[], meterText: [] as string[], clock: [] as string[], lufs: [] as string[] };
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as Element;
          const value = el.getAttribute(r.attributeName!) ?? '';
          if (el === meter && r.attributeName === 'aria-valuenow') log.meter.push(value);
          if (el === meter && r.attributeName === 'aria-valuetext') log.meterText.push(value);
          if (el === lufs && r.attributeName === 'aria-valuetext') log.lufs.push(value);
          if (el === clock && r.attributeName === 'aria-label') log.clock.push(value);
        }
      });
      for (const el of [meter, lufs, clock]) observer.observe(el, { attributes: true });
      // The value as it stood when the count started counts too (a steady tone may not change it).
      log.meter.push(meter.getAttribute('aria-valuenow') ?? '');
      log.meterText.push(meter.getAttribute('aria-valuetext') ?? '');
      const before = { meter: log.meter.length, clock: log.clock.length, lufs: log.lufs.length };
      await new Promise((r) => setTimeout(r, 2000));
      observer.disconnect();
      log.meter.push(meter.getAttribute('aria-valuenow') ?? '');
      log.meterText.push(meter.getAttribute('aria-valuetext') ?? '');
      return { ...log, updates: { meter: log.meter.length - before.meter - 1, clock: log.clock.length - before.clock, lufs: log.lufs.length - before.lufs }, digitsHidden: clock.querySelector('[aria-hidden="true"]')?.textContent ?? null };
    });
    await art.getByRole('button', { name: 'Pause' }).click();
    console.log(`in 2 s: meter ${seen.updates.meter} updates (read ${seen.meter.join(', ')}), clock ${seen.updates.clock} (${seen.clock.join(' | ')}), LUFS ${seen.updates.lufs} (${seen.lufs.at(-1)})`);
    // The level is there: a -12 dBFS sine reads above -30 dB; updated at most ~4 times a second.
    expect(Math.max(...seen.meter.map(Number))).toBeGreaterThan(-30);
    expect(seen.meterText.at(-1)).toMatch(/^-?\d+ dB/);
    expect(seen.updates.meter).toBeLessThanOrEqual(10);
    expect(seen.lufs.at(-1)).toMatch(/^-?\d+\.\d LUFS$/);
    expect(seen.updates.lufs).toBeLessThanOrEqual(10);
    // The clock's name says the time in whole seconds, changing about once a second.
    expect(seen.updates.clock).toBeGreaterThanOrEqual(1);
    expect(seen.updates.clock).toBeLessThanOrEqual(4);
    for (const c of seen.clock) expect(c).toMatch(/^Song position 0:0\d of 0:08$/);
    expect(seen.digitsHidden).toMatch(/^\d\d:\d\d\.\d{3}$/);
  });

  it('every control shows where keyboard focus is', async () => {
    // The review drawer and a channel editor open too: their controls are walked as well.
    await setReview(eng, true);
    await eng.getByRole('button', { name: 'Kick EQ and dynamics editor' }).click();
    await eng.locator('body').click({ position: { x: 700, y: 20 } });
    await eng.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const unmarked: string[] = [];
    const seen = new Set<string>();
    let stops = 0;
    for (let i = 0; i < 400; i++) {
      await eng.keyboard.press('Tab');
      const handle = await eng.evaluateHandle(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el;
      });
      const el = handle.asElement();
      if (!el || (await el.evaluate((e) => e === document.body))) continue;
      const id = await el.evaluate((e) => {
        const path: string[] = [];
        for (let n: Node | null = e; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) if (n instanceof Element) path.push(`${n.tagName}${n.id ? `#${n.id}` : ''}:${[...(n.parentNode?.children ?? [])].indexOf(n)}`);
        return `${e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 30) ?? e.tagName} @ ${path.join('<')}`;
      });
      if (seen.has(id)) break; // round the whole page once
      seen.add(id);
      const box = await el.boundingBox();
      const vp = eng.viewportSize()!;
      if (!box || box.width === 0 || box.x < 0 || box.y < 0 || box.x + box.width > vp.width || box.y + box.height > vp.height) continue;
      stops++;
      const clip = { x: Math.max(0, box.x - 5), y: Math.max(0, box.y - 5), width: Math.min(vp.width - Math.max(0, box.x - 5), box.width + 10), height: Math.min(vp.height - Math.max(0, box.y - 5), box.height + 10) };
      const withFocus = await eng.screenshot({ clip, animations: 'disabled', caret: 'hide' });
      await el.evaluate((e) => (e as HTMLElement).blur());
      const without = await eng.screenshot({ clip, animations: 'disabled', caret: 'hide' });
      if (withFocus.equals(without)) {
        // The first unmarked control, in its page, for whoever mends it.
        if (unmarked.length === 0) await eng.screenshot({ path: `${artifacts}focus-unmarked.png` });
        unmarked.push(id.split(' @ ')[0]!);
      }
      await el.evaluate((e) => (e as HTMLElement).focus());
    }
    console.log(`focus: ${stops} controls in view walked with Tab, ${unmarked.length} without a visible mark${unmarked.length ? `: ${unmarked.join(', ')}` : ''}`);
    expect(stops).toBeGreaterThan(80);
    expect(unmarked).toEqual([]);
    await eng.getByRole('button', { name: 'Close Kick editor' }).click();
    await setReview(eng, false);
  }, 300_000); // two screenshots a control, about 150 controls: minutes on two busy cores
});
