import { fileURLToPath } from 'node:url';
import type { MixPlan } from '@mixroom/shared/plan';
import type { Browser, Page } from 'playwright-core';
import type { MeterReading } from '../../client/src/audio/MixEngine.ts';
import { bundleAppWorklet } from './bundleAppWorklet.ts';
import { bundleForBrowser } from './bundleForBrowser.ts';
import type { HarnessRender, HarnessResult } from './engineHarness.ts';
import { launchChromium } from './launchChromium.ts';
import { serveStatic } from './serveStatic.ts';
import type { StaticServer } from './serveStatic.ts';

/** A planar stem: channel arrays of equal length. */
export type TestStem = Float32Array[];

export interface EngineHarness {
  /** Makes a stem available to the page's loader under `key` (the plan's StemRef.key). */
  putStem(key: string, channels: TestStem): void;
  /** Renders `plan` through the client engine in Chromium's OfflineAudioContext. */
  render(job: Omit<HarnessRender, 'workletUrl'>): Promise<{ channels: Float32Array[]; meters: MeterReading[]; applyErrors: string[] }>;
  close(): Promise<void>;
}

const WORKLET_ENTRY = fileURLToPath(new URL('../../client/src/audio/worklet/mixroomWorklet.ts', import.meta.url));
const HARNESS_ENTRY = fileURLToPath(new URL('./engineHarness.ts', import.meta.url));

/** Splits a planar float32 upload into `frames`-long channels. */
function planarChannels(bytes: Uint8Array, frames: number): Float32Array[] {
  const all = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(all.buffer).set(bytes);
  const out: Float32Array[] = [];
  for (let at = 0; at < all.length; at += frames) out.push(all.subarray(at, at + frames));
  return out;
}

/**
 * Builds the worklet bundle and the harness page from source, serves them on loopback and
 * opens them in headless Chromium. One per test file; close it in afterAll.
 */
export async function startEngineHarness(options: { appWorklet?: boolean } = {}): Promise<EngineHarness> {
  // appWorklet: load the worklet as the production app build emits it (?worker&url).
  const [worklet, harness] = await Promise.all([options.appWorklet ? bundleAppWorklet() : bundleForBrowser(WORKLET_ENTRY), bundleForBrowser(HARNESS_ENTRY)]);
  const js = 'text/javascript';
  const server: StaticServer = await serveStatic({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>engine</title><script type="module" src="/harness.js"></script>' },
    '/harness.js': { type: js, body: harness },
    '/worklet.js': { type: js, body: worklet },
    // Chromium asks for it after loading the page; a 404 would land in `errors` mid-render.
    '/favicon.ico': { type: 'image/x-icon', body: new Uint8Array(0) },
  });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page: Page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(server.origin + '/');
    await page.waitForFunction(() => 'mixroomHarness' in globalThis);
    const b = browser;
    return {
      putStem(key, channels) {
        const frames = channels[0]!.length;
        const planar = new Float32Array(frames * channels.length);
        channels.forEach((c, i) => planar.set(c, i * frames));
        server.put(`/stems/${key}.f32`, { type: 'application/octet-stream', body: new Uint8Array(planar.buffer) });
      },
      async render(job) {
        errors.length = 0;
        const result = await page.evaluate(
          (j) => (globalThis as unknown as { mixroomHarness: { render(x: HarnessRender): Promise<HarnessResult> } }).mixroomHarness.render(j),
          { ...job, workletUrl: '/worklet.js' },
        );
        if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
        const bytes = server.takeUpload(result.upload);
        if (!bytes) throw new Error(`the page uploaded nothing at ${result.upload}`);
        return { channels: planarChannels(bytes, job.frames), meters: result.meters, applyErrors: result.applyErrors };
      },
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

export type { MixPlan };
