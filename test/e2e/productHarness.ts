import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { HttpUser } from '../integration/reviewHarness.ts';
import { waitForRoomReady } from './roomHarness.ts';

/**
 * Helpers for browser tests: polling, reading a page's own engine and transport through its
 * debug hook (`window.__mixroom`, e2e builds only), and, against the whole product
 * (`startTestMixroom`), people who join through invite links and stems uploaded by the owner
 * through the real API.
 */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` passes; returns the milliseconds it took. Fails after `timeoutMs`. */
export async function within(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The part of the page's debug hook these helpers read. */
interface TransportHook {
  transport: { position(): number; snapshot(): { playing: boolean; buffering: boolean } };
  engine: { meters(): Map<string, { peak: number[] }> };
}

/**
 * Takes keyboard focus out of every control (into the page body), so the room's shortcuts
 * get the next key. A click at a fixed spot could land in a field (the tempo input).
 */
export async function focusOutOfControls(page: Page): Promise<void> {
  await page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    (el as HTMLElement | null)?.blur?.();
  });
}

/** Peak (dBFS, first channel) of a strip's meter (`track:<id>`, `master:`) on the page's own engine. */
export function meterDb(page: Page, strip: string): Promise<number> {
  return page.evaluate((s) => (window as unknown as { __mixroom: TransportHook }).__mixroom.engine.meters().get(s)?.peak[0] ?? -Infinity, strip);
}

/** The page's song position (seconds). */
export function position(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __mixroom: TransportHook }).__mixroom.transport.position());
}

/** Whether the page's transport is playing. */
export function playing(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __mixroom: TransportHook }).__mixroom.transport.snapshot().playing);
}

/**
 * Waits until the page's playback really runs: Play holds (buffering) until every stem's
 * audio at the playhead is read, and a follower starts when its leader does, not at the click.
 */
export async function sounding(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = (window as unknown as { __mixroom: TransportHook }).__mixroom.transport.snapshot();
      return s.playing && !s.buffering;
    },
    null,
    { timeout: timeoutMs, polling: 10 },
  );
}

/** Waits until the page's song position reaches `t` seconds. */
export async function untilPosition(page: Page, t: number): Promise<void> {
  await page.waitForFunction((s) => (window as unknown as { __mixroom: TransportHook }).__mixroom.transport.position() >= s, t, { timeout: 60_000, polling: 10 });
}

/** Uploads a stem as `user` through the multipart API (parts PUT to their links); returns the new track's id. */
export async function uploadStemAs(user: HttpUser, roomId: string, fileName: string, bytes: Uint8Array): Promise<string> {
  const init = await user.json<{ uploadId: string; partSize: number; parts: Array<{ partNumber: number; url: string }> }>('POST', `/api/rooms/${roomId}/stems/uploads`, { fileName, size: bytes.length });
  expect(init.status).toBe(201);
  const parts = [];
  for (const p of init.body.parts) {
    const r = await fetch(new URL(p.url, user.base), { method: 'PUT', body: bytes.slice((p.partNumber - 1) * init.body.partSize, p.partNumber * init.body.partSize) });
    parts.push({ partNumber: p.partNumber, etag: r.headers.get('etag')! });
  }
  const done = await user.json<{ trackId: string }>('POST', `/api/rooms/${roomId}/stems/uploads/${init.body.uploadId}/complete`, { parts });
  expect(done.status).toBe(201);
  return done.body.trackId;
}

export interface JoinOptions {
  viewport?: { width: number; height: number };
  /** Runs in the page before the app (e.g. to hide the browser's offline event). */
  initScript?: string;
  /** Told of every page error and console error. */
  onError?: (message: string) => void;
}

/** Opens an invite link in a fresh context, enters a name on the join page, and waits in the room until it synced and has sound. */
export async function joinThroughInvite(browser: Browser, url: string, roomId: string, name: string, options: JoinOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, acceptDownloads: true });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  const onError = options.onError;
  if (onError) {
    page.on('pageerror', (e) => onError(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') onError(m.text());
    });
  }
  await page.goto(url);
  await page.getByLabel('Your name, as others in the room will see it').fill(name);
  await page.getByRole('button', { name: 'Join the room' }).click();
  await page.waitForURL(`**/room/${roomId}`);
  await waitForRoomReady(page);
  return page;
}
