import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser } from './bundleForBrowser.ts';
import { launchChromium } from './launchChromium.ts';
import { serveStatic, type StaticServer } from './serveStatic.ts';

export interface HarnessPage {
  page: Page;
  close(): Promise<void>;
}

export interface HarnessPageOptions {
  /** Also serve the app's AudioWorklet bundle at `/worklet.js`. */
  readonly worklet?: boolean;
  /** Click a Play button once the harness is up: a live AudioContext runs only after a gesture. */
  readonly liveAudio?: boolean;
}

const WORKLET_ENTRY = fileURLToPath(new URL('../../client/src/audio/worklet/mixroomWorklet.ts', import.meta.url));

/**
 * Bundles a page-side harness `entry` (a file path), serves it on loopback and opens it in
 * headless Chromium, waiting until it has set `globalName` on the page.
 */
export async function openHarnessPage(entry: string, globalName: string, options: HarnessPageOptions = {}): Promise<HarnessPage> {
  const [js, worklet] = await Promise.all([bundleForBrowser(entry), options.worklet ? bundleForBrowser(WORKLET_ENTRY) : null]);
  const play = options.liveAudio ? '<button id="play">Play</button>' : '';
  const server: StaticServer = await serveStatic({
    '/': { type: 'text/html', body: `<!doctype html><meta charset="utf-8">${play}<script type="module" src="/h.js"></script>` },
    '/h.js': { type: 'text/javascript', body: js },
    ...(worklet !== null ? { '/worklet.js': { type: 'text/javascript', body: worklet } } : {}),
    '/favicon.ico': { type: 'image/x-icon', body: new Uint8Array(0) },
  });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.origin + '/');
    await page.waitForFunction((name) => name in globalThis, globalName);
    if (options.liveAudio) await page.click('#play');
    const b = browser;
    return {
      page,
      async close() {
        await b.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}
