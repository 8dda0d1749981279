/**
 * Renders a signal through real native Web Audio nodes in headless Chromium's
 * OfflineAudioContext, so the shared/dsp kernels can be nulled against the browser. Lives in
 * test/, not shared/: it needs Node and playwright-core.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

/** A native node the kernels must reproduce. */
export type NativeNodeSpec =
  | { kind: 'biquad'; type: BiquadFilterType; frequency: number; Q: number; gain: number }
  | { kind: 'gain'; gain: number }
  | { kind: 'panner'; pan: number };

/**
 * A parameter change as the browser engine applies it: `setValueAtTime(from, frame/sr)`
 * then `linearRampToValueAtTime(to, (frame + rampFrames)/sr)` on the named AudioParam.
 */
export interface NativeRamp {
  param: 'gain' | 'frequency' | 'Q' | 'pan';
  frame: number;
  from: number;
  to: number;
  rampFrames: number;
}

export interface ChromiumRenderer {
  render(sampleRate: number, input: Float32Array[], node: NativeNodeSpec, ramp?: NativeRamp): Promise<Float32Array[]>;
  /** `BiquadFilterNode.getFrequencyResponse` in Chromium: magnitude and phase per frequency. */
  frequencyResponse(sampleRate: number, node: Extract<NativeNodeSpec, { kind: 'biquad' }>, freqs: number[]): Promise<{ magnitude: number[]; phase: number[] }>;
  close(): Promise<void>;
}

/** Samples as base64, to cross into `page.evaluate`. */
export function toBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Samples back from a page's base64. */
export function fromBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** Starts headless Chromium (the system one, never a download). */
export async function startChromiumRenderer(): Promise<ChromiumRenderer> {
  const browser: Browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page: Page = await browser.newPage();
  await page.setContent('<!doctype html><title>dsp</title>');
  return {
    async render(sampleRate, input, node, ramp) {
      const out = await page.evaluate(
        async ({ sampleRate, channels, node, ramp }) => {
          const dec = (s: string): Float32Array => {
            const bin = atob(s);
            const u = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
            return new Float32Array(u.buffer);
          };
          const enc = (a: Float32Array): string => {
            const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
            let s = '';
            for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
            return btoa(s);
          };
          const data = channels.map(dec);
          const length = data[0]!.length;
          const ctx = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate });
          const buffer = ctx.createBuffer(data.length, length, sampleRate);
          data.forEach((d, i) => buffer.copyToChannel(d as Float32Array<ArrayBuffer>, i));
          const src = new AudioBufferSourceNode(ctx, { buffer });
          let n: AudioNode;
          if (node.kind === 'biquad') n = new BiquadFilterNode(ctx, { type: node.type, frequency: node.frequency, Q: node.Q, gain: node.gain });
          else if (node.kind === 'gain') n = new GainNode(ctx, { gain: node.gain });
          else n = new StereoPannerNode(ctx, { pan: node.pan });
          if (ramp) {
            const param = (n as unknown as Record<string, AudioParam>)[ramp.param]!;
            param.setValueAtTime(ramp.from, ramp.frame / sampleRate);
            param.linearRampToValueAtTime(ramp.to, (ramp.frame + ramp.rampFrames) / sampleRate);
          }
          src.connect(n).connect(ctx.destination);
          src.start(0);
          const rendered = await ctx.startRendering();
          const outs: string[] = [];
          for (let c = 0; c < rendered.numberOfChannels; c++) outs.push(enc(rendered.getChannelData(c)));
          return outs;
        },
        { sampleRate, channels: input.map(toBase64), node, ramp: ramp ?? null },
      );
      return out.map(fromBase64);
    },
    async frequencyResponse(sampleRate, node, freqs) {
      return page.evaluate(
        ({ sampleRate, node, freqs }) => {
          const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: 128, sampleRate });
          const f = new BiquadFilterNode(ctx, { type: node.type, frequency: node.frequency, Q: node.Q, gain: node.gain });
          const mag = new Float32Array(freqs.length);
          const phase = new Float32Array(freqs.length);
          f.getFrequencyResponse(new Float32Array(freqs), mag, phase);
          return { magnitude: Array.from(mag), phase: Array.from(phase) };
        },
        { sampleRate, node, freqs },
      );
    },
    async close() {
      await browser.close();
    },
  };
}

/** Peak of |a - b| in dBFS over the common length (-Infinity when identical). */
export function residualDb(a: Float32Array, b: Float32Array, from = 0): number {
  let peak = 0;
  const n = Math.min(a.length, b.length);
  for (let i = from; i < n; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > peak) peak = d;
  }
  return 20 * Math.log10(peak);
}
