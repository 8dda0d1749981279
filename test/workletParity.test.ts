/**
 * The kernels the browser runs as AudioWorklets must compute the same samples there as in
 * the Node bake. This bundles shared/src/dsp with Vite as the app build does (the kernels take
 * their ranges from the model's records), serves it from a
 * loopback HTTP server, runs each kernel inside a real AudioWorkletProcessor in headless
 * Chromium's OfflineAudioContext (128-frame quanta, a parameter change at a quantum
 * boundary), runs the same kernel in Node with 4096-frame blocks, and nulls the two.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressorProcessor } from '../shared/src/dsp/compressor.ts';
import { DeesserProcessor } from '../shared/src/dsp/deesser.ts';
import { DelayProcessor } from '../shared/src/dsp/delay.ts';
import { GateProcessor } from '../shared/src/dsp/gate.ts';
import type { DspProcessor } from '../shared/src/dsp/DspProcessor.ts';
import { LimiterProcessor } from '../shared/src/dsp/limiter.ts';
import { seededNoise } from '../shared/src/dsp/testSignals.testkit.ts';
import { bundleForBrowser } from './browser/bundleForBrowser.ts';
import { fromBase64, residualDb, toBase64 } from './browser/renderInChromium.ts';
import { makeTempDir } from './integration/syncHarness.ts';
import { ReverbProcessor } from '../shared/src/dsp/reverb.ts';
import { SaturationProcessor } from '../shared/src/dsp/saturation.ts';

const SR = 48000;
const FRAMES = SR;
const CHANGE_AT = 128 * 150; // a render-quantum boundary, mid-render
const SRC_ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '../shared/src'));

const WORKLET = `
import { CompressorProcessor } from '${SRC_ROOT}/dsp/compressor.ts';
import { SaturationProcessor } from '${SRC_ROOT}/dsp/saturation.ts';
import { LimiterProcessor } from '${SRC_ROOT}/dsp/limiter.ts';
import { ReverbProcessor } from '${SRC_ROOT}/dsp/reverb.ts';
import { DelayProcessor } from '${SRC_ROOT}/dsp/delay.ts';
import { GateProcessor } from '${SRC_ROOT}/dsp/gate.ts';
import { DeesserProcessor } from '${SRC_ROOT}/dsp/deesser.ts';
const KERNELS = { deesser: DeesserProcessor, compressor: CompressorProcessor, gate: GateProcessor, saturation: SaturationProcessor, limiter: LimiterProcessor, reverb: ReverbProcessor, delay: DelayProcessor };
class KernelParity extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    this.k = new KERNELS[o.kind](sampleRate);
    this.k.setParams(o.params);
    this.change = o.change;
    this.frame = 0;
  }
  process(inputs, outputs) {
    const out = outputs[0];
    if (this.frame === this.change.frame) this.k.setParams(this.change.params);
    const sc = inputs[1] && inputs[1].length > 0 ? inputs[1] : undefined;
    this.k.process(inputs[0], out, out[0].length, sc);
    this.frame += out[0].length;
    return true;
  }
}
registerProcessor('kernel-parity', KernelParity);
`;

interface Case {
  kind: 'compressor' | 'deesser' | 'gate' | 'saturation' | 'limiter' | 'reverb' | 'delay';
  make: () => DspProcessor<object>;
  params: object;
  change: object;
  sidechain?: boolean;
}

const CASES: Case[] = [
  { kind: 'compressor', make: () => new CompressorProcessor(SR), params: { threshold: -24, ratio: 4, attack: 0.003, release: 0.08, knee: 6, makeup: 3 }, change: { threshold: -12, ratio: 8 } },
  { kind: 'compressor', make: () => new CompressorProcessor(SR), params: { threshold: -30, ratio: 10, attack: 0.001, release: 0.05, knee: 0, detector: 'rms' }, change: { makeup: 6 }, sidechain: true },
  // The gate opens on the bursts and closes in the gaps; the change ramps the curve and moves the key filter.
  { kind: 'gate', make: () => new GateProcessor(SR), params: { threshold: -20, range: -60, ratio: 100, attack: 0.001, hold: 0.02, release: 0.05, hysteresis: 6, scHpf: 80 }, change: { threshold: -10, ratio: 3, scHpf: 300 } },
  { kind: 'gate', make: () => new GateProcessor(SR), params: { threshold: -30, range: -40, ratio: 8, hold: 0.005, release: 0.03, scHpf: 40 }, change: { range: -70, hysteresis: 2, attack: 0.004 }, sidechain: true },
  { kind: 'deesser', make: () => new DeesserProcessor(SR), params: { freq: 6000, threshold: -30, range: 9, mode: 'split' }, change: { freq: 8000, threshold: -24, mode: 'wide' } },
  { kind: 'deesser', make: () => new DeesserProcessor(SR), params: { freq: 4500, threshold: -40, range: 24, mode: 'wide' }, change: { listen: true, range: 3 } },
  { kind: 'saturation', make: () => new SaturationProcessor(SR), params: { drive: 12, mix: 0.7 }, change: { drive: 24, mix: 1 } },
  { kind: 'limiter', make: () => new LimiterProcessor(SR), params: { ceiling: -3, release: 0.05 }, change: { ceiling: -6 } },
  { kind: 'reverb', make: () => new ReverbProcessor(SR), params: { decay: 2.5, preDelay: 0.015, damping: 7000 }, change: { decay: 1, damping: 3000 } },
  { kind: 'delay', make: () => new DelayProcessor(SR), params: { time: 0.1234, feedback: 0.6, damping: 5000 }, change: { time: 0.2, feedback: 0.4 } },
];

let server: Server;
let browser: Browser;
let page: Page;
let origin = '';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  tmp = await makeTempDir('mixroom-worklet-parity-');
  await writeFile(join(tmp.path, 'parityWorklet.js'), WORKLET);
  const worklet = await bundleForBrowser(join(tmp.path, 'parityWorklet.js'));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>parity</title>');
    else if (url.pathname === '/worklet.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(worklet);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage();
  await page.goto(`${origin}/`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await tmp?.remove();
});

async function renderInWorklet(c: Case, input: Float32Array[], sidechain: Float32Array[] | null): Promise<Float32Array[]> {
  const out = await page.evaluate(
    async ({ sr, kind, params, change, input, sidechain }) => {
      const dec = (s: string) => {
        const bin = atob(s);
        const u = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
        return new Float32Array(u.buffer);
      };
      const enc = (a: Float32Array) => {
        const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        let s = '';
        for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
        return btoa(s);
      };
      const chans = input.map(dec);
      const length = chans[0]!.length;
      const ctx = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate: sr });
      await ctx.audioWorklet.addModule('/worklet.js');
      const buf = (data: Float32Array[]) => {
        const b = ctx.createBuffer(data.length, length, sr);
        data.forEach((d, i) => b.copyToChannel(d as Float32Array<ArrayBuffer>, i));
        return new AudioBufferSourceNode(ctx, { buffer: b });
      };
      const node = new AudioWorkletNode(ctx, 'kernel-parity', {
        numberOfInputs: 2,
        numberOfOutputs: 1,
        outputChannelCount: [2],
        channelCount: 2,
        channelCountMode: 'explicit',
        processorOptions: { kind, params, change },
      });
      const src = buf(chans);
      src.connect(node, 0, 0);
      src.start(0);
      if (sidechain) {
        const sc = buf(sidechain.map(dec));
        sc.connect(node, 0, 1);
        sc.start(0);
      }
      node.connect(ctx.destination);
      const r = await ctx.startRendering();
      return [enc(r.getChannelData(0)), enc(r.getChannelData(1))];
    },
    { sr: SR, kind: c.kind, params: c.params, change: { frame: CHANGE_AT, params: c.change }, input: input.map(toBase64), sidechain: sidechain ? sidechain.map(toBase64) : null },
  );
  return out.map(fromBase64);
}

function renderInNode(c: Case, input: Float32Array[], sidechain: Float32Array[] | null): Float32Array[] {
  const k = c.make();
  k.setParams(c.params);
  const outs = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
  const run = (from: number, to: number) => {
    for (let i = from; i < to; i += 4096) {
      const n = Math.min(4096, to - i);
      k.process(input.map((ch) => ch.subarray(i, i + n)), outs.map((ch) => ch.subarray(i, i + n)), n, sidechain?.map((ch) => ch.subarray(i, i + n)));
    }
  };
  run(0, CHANGE_AT);
  k.setParams(c.change);
  run(CHANGE_AT, FRAMES);
  return outs;
}

describe('kernels in a Chromium AudioWorklet null against the same kernels in Node', () => {
  const l = seededNoise(FRAMES, 0.6, 81);
  const r = seededNoise(FRAMES, 0.6, 82);
  for (let i = 0; i < FRAMES; i++) {
    // Bursts so dynamics engage and release, and silence gaps so tails show.
    const env = Math.floor(i / 6000) % 3 === 2 ? 0 : 1;
    l[i] = Math.fround(env * (l[i]! + 0.5 * Math.sin((2 * Math.PI * 110 * i) / SR)));
    r[i] = Math.fround(env * r[i]!);
  }
  const kick = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) kick[i] = i % 12000 < 1500 ? Math.fround(0.9 * Math.sin((2 * Math.PI * 55 * i) / SR)) : 0;

  for (const c of CASES) {
    it(`${c.kind}${c.sidechain ? ' (sidechain)' : ''}: worklet (128-frame quanta) vs Node (4096-frame blocks) <= -90 dBFS`, async () => {
      const sc = c.sidechain ? [kick, kick] : null;
      const browserOut = await renderInWorklet(c, [l, r], sc);
      const nodeOut = renderInNode(c, [l, r], sc);
      const res = Math.max(residualDb(browserOut[0]!, nodeOut[0]!), residualDb(browserOut[1]!, nodeOut[1]!));
      let level = 0;
      for (const ch of nodeOut) for (let i = 0; i < FRAMES; i++) level = Math.max(level, Math.abs(ch[i]!));
      console.log(`${c.kind}${c.sidechain ? ' sidechain' : ''}: output peak ${(20 * Math.log10(level)).toFixed(1)} dBFS, browser/Node residual ${res.toFixed(1)} dBFS`);
      expect(level).toBeGreaterThan(0.01);
      expect(res).toBeLessThanOrEqual(-90);
      // The gate really closed somewhere (a gate that passes everything would null trivially).
      if (c.kind === 'gate') expect(residualDb(nodeOut[1]!, r)).toBeGreaterThan(-20);
      // The de-esser's levels are deterministicLog/Exp and its filter the spec biquad: bit for bit.
      if (c.kind === 'deesser') {
        expect(res).toBe(-Infinity);
        // ... and it really de-essed (a kernel passing everything would null trivially).
        expect(residualDb(nodeOut[0]!, l)).toBeGreaterThan(-20);
      }
    });
  }
});
