import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser } from './bundleForBrowser.ts';
import { launchChromium } from './launchChromium.ts';
import { serveStatic, type StaticServer } from './serveStatic.ts';

export interface HarnessPage {
  page: Page;
  close(): Promise<void>;
}

/**
 * Bundles a page-side harness `entry` (a file path), serves it on loopback and opens it in
 * headless Chromium, waiting until it has set `globalName` on the page.
 */
export async function openHarnessPage(entry: string, globalName: string): Promise<HarnessPage> {
  const js = await bundleForBrowser(entry);
  const server: StaticServer = await serveStatic({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/h.js"></script>' },
    '/h.js': { type: 'text/javascript', body: js },
  });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.origin + '/');
    await page.waitForFunction((name) => name in globalThis, globalName);
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
