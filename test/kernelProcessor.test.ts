/**
 * The kernel worklet (client/src/audio/worklet/KernelProcessor.ts, from the app's worklet
 * bundle) in real Chromium, driven with plain Web Audio nodes so its inputs can really go
 * inactive: a keyed compressor whose key input ends, or was never connected, must hear a
 * silent key (as the bake does), never its own signal. Nulled against the same plan node
 * run in Node through createPlanProcessor, in 128-frame quanta, with a zero key.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanProcessor } from '@mixroom/shared/plan';
import type { ProcessorPlanNode } from '@mixroom/shared/plan';
import { bundleForBrowser } from './browser/bundleForBrowser.ts';
import { launchChromium } from './browser/launchChromium.ts';
import { serveStatic } from './browser/serveStatic.ts';
import type { StaticServer } from './browser/serveStatic.ts';
import { bassStem, kickStem, residualDb, rmsDb } from './browser/testStems.ts';

const RATE = 48000;
const FRAMES = 2 * RATE;
const KEY_FRAMES = RATE / 2;

/** Page script: the kernel node with the signal on input 0 and, when asked, a shorter key on input 1. */
const PAGE = `
window.renderKernel = async (job) => {
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: job.frames, sampleRate: ${RATE} });
  await ctx.audioWorklet.addModule('/worklet.js');
  const load = async (name) => new Float32Array(await (await fetch('/stems/' + name + '.f32')).arrayBuffer());
  const play = async (name, input) => {
    const data = await load(name);
    const buffer = ctx.createBuffer(1, data.length, ${RATE});
    buffer.copyToChannel(data, 0);
    const src = new AudioBufferSourceNode(ctx, { buffer });
    src.connect(node, 0, input);
    src.start(0);
  };
  const node = new AudioWorkletNode(ctx, 'mixroom-kernel', {
    numberOfInputs: 2, numberOfOutputs: 1, outputChannelCount: [1], channelCount: 1,
    channelCountMode: 'explicit', channelInterpretation: 'speakers',
    processorOptions: { node: job.node, reportFrames: 0 },
  });
  node.connect(ctx.destination);
  await play('signal', 0);
  if (job.key) await play('key', 1);
  const out = await ctx.startRendering();
  const r = await fetch('/uploads/out.f32', { method: 'PUT', body: out.getChannelData(0) });
  if (!r.ok) throw new Error('upload failed: ' + r.status);
};
`;

const node: ProcessorPlanNode = {
  kind: 'compressor',
  id: 'track:bass:comp',
  owner: { kind: 'track', id: 'bass' },
  role: 'comp',
  channels: 1,
  params: { threshold: -30, ratio: 10, attack: 0.001, release: 0.08, knee: 6, makeup: 0 },
  bypass: false,
  sidechain: true,
};

let server: StaticServer;
let browser: Browser;
let page: Page;
const signal = bassStem(FRAMES, RATE);
const key = kickStem(KEY_FRAMES, RATE, 0.25);

beforeAll(async () => {
  const worklet = await bundleForBrowser(fileURLToPath(new URL('../client/src/audio/worklet/mixroomWorklet.ts', import.meta.url)));
  server = await serveStatic({
    '/': { type: 'text/html', body: `<!doctype html><meta charset="utf-8"><script>${PAGE}</script>` },
    '/worklet.js': { type: 'text/javascript', body: worklet },
    '/favicon.ico': { type: 'image/x-icon', body: new Uint8Array(0) },
    '/stems/signal.f32': { type: 'application/octet-stream', body: new Uint8Array(signal.buffer) },
    '/stems/key.f32': { type: 'application/octet-stream', body: new Uint8Array(key.buffer) },
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(server.origin + '/');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function renderInChromium(withKey: boolean): Promise<Float32Array> {
  await page.evaluate((job) => (window as unknown as { renderKernel(j: unknown): Promise<void> }).renderKernel(job), { frames: FRAMES, node, key: withKey });
  const bytes = server.takeUpload('/uploads/out.f32')!;
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The same node in Node, quantum by quantum, with the key (zeros after its end, or none at all). */
function renderInNode(withKey: boolean): Float32Array {
  const p = createPlanProcessor(node, RATE);
  const out = new Float32Array(FRAMES);
  const keyBlock = new Float32Array(128);
  for (let at = 0; at < FRAMES; at += 128) {
    keyBlock.fill(0);
    if (withKey && at < KEY_FRAMES) keyBlock.set(key.subarray(at, Math.min(KEY_FRAMES, at + 128)));
    p.process([signal.subarray(at, at + 128)], [out.subarray(at, at + 128)], 128, [keyBlock]);
  }
  return out;
}

describe('a keyed compressor worklet whose key input goes inactive', () => {
  it('hears silence once the key source has ended (0.5 s key, 2 s signal)', async () => {
    const browserOut = await renderInChromium(true);
    const nodeOut = renderInNode(true);
    const after = Math.round(0.7 * RATE);
    console.log(`key ended: after 0.7 s Chromium RMS ${rmsDb(browserOut, after).toFixed(1)} dBFS, Node ${rmsDb(nodeOut, after).toFixed(1)} dBFS; residual ${residualDb(browserOut, nodeOut).toFixed(1)} dBFS`);
    expect(rmsDb(nodeOut, after)).toBeGreaterThan(rmsDb(nodeOut, 0, KEY_FRAMES) + 3); // the ducking really stops
    expect(residualDb(browserOut, nodeOut)).toBeLessThanOrEqual(-120);
  });

  it('hears silence when the key input was never connected', async () => {
    const browserOut = await renderInChromium(false);
    const nodeOut = renderInNode(false);
    console.log(`no key: Chromium RMS ${rmsDb(browserOut).toFixed(1)} dBFS, Node ${rmsDb(nodeOut).toFixed(1)} dBFS (signal ${rmsDb(signal).toFixed(1)}); residual ${residualDb(browserOut, nodeOut).toFixed(1)} dBFS`);
    expect(residualDb(browserOut, nodeOut)).toBeLessThanOrEqual(-120);
  });
});
