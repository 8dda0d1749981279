import { ReverbProcessor, type ReverbParams } from '@mixroom/shared/dsp';
import type { ProcessorPlanNode } from '@mixroom/shared/plan';
import { describe, expect, it } from 'vitest';
import { renderBlocks } from '../../../../shared/src/dsp/testSignals.testkit.ts';
import { noise } from '../../../../test/renderFixtures.ts';
import { createProcessorKernel } from '../runtime/createProcessorKernel.ts';
import { WasmReverb } from './WasmReverb.ts';

/**
 * A send's material: drum-like bursts with decays, then 0.4 s of digital silence (the tail
 * alone, where the lines' float32 rounding matters most), then quiet noise; and a variant
 * with NaN and infinities, which the JavaScript carries through its lines forever.
 */
function material(frames: number, sampleRate: number, seed: number, bad = false): Float32Array[] {
  const hiss = [noise(frames, 0.02, seed), noise(frames, 0.02, seed + 1)];
  return [0, 1].map((c) => {
    const out = new Float32Array(frames);
    const silentFrom = Math.floor(frames * 0.4);
    const silentTo = silentFrom + Math.floor(0.4 * sampleRate);
    for (let i = 0; i < frames; i++) {
      if (i >= silentFrom && i < silentTo) continue;
      const beat = (i % Math.floor(0.3 * sampleRate)) / sampleRate;
      out[i] = 0.9 * Math.exp(-beat * 25) * Math.sin(2 * Math.PI * (180 + 70 * c) * beat) + hiss[c]![i]!;
    }
    if (bad) {
      out[frames >> 3] = NaN;
      out[(frames >> 2) + c] = Infinity;
      out[frames >> 1] = -0;
    }
    return out;
  });
}

const firstDifference = (a: Float32Array[], b: Float32Array[]): number => {
  for (let c = 0; c < a.length; c++) {
    const i = a[c]!.findIndex((v, k) => !Object.is(v, b[c]![k]));
    if (i >= 0) return c * 1e9 + i;
  }
  return -1;
};

describe('WasmReverb', () => {
  const cases: { params: ReverbParams; sampleRate: number }[] = [
    { params: { decay: 1.8, preDelay: 0.02, damping: 7000 }, sampleRate: 48000 },
    { params: { decay: 0.1, preDelay: 0, damping: 500 }, sampleRate: 48000 },
    { params: { decay: 20, preDelay: 0.5, damping: 0.45 * 44100 }, sampleRate: 44100 },
    { params: { decay: 3.3, preDelay: 0.137, damping: 12000 }, sampleRate: 96000 },
  ];

  it('is bit-identical to ReverbProcessor: stereo, mono in, mono out, any block size, any parameters and rate', () => {
    for (const [k, { params, sampleRate }] of cases.entries()) {
      const js = () => {
        const r = new ReverbProcessor(sampleRate);
        r.setParams(params);
        return r;
      };
      const wasm = () => new WasmReverb(js().layout());
      const input = material(Math.floor(1.7 * sampleRate), sampleRate, 10 + k, k === 1);
      for (const [inputs, outs] of [[input, 2], [[input[0]!], 2], [[input[0]!], 1], [input, 1]] as const) {
        const expected = renderBlocks(js, [...inputs], 4096, outs);
        expect(expected[0]!.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0)).toBeGreaterThan(0.01);
        for (const block of [1, 128, 333, 8192, 20000]) {
          if (block === 1 && k > 0) continue; // one frame at a time: once is enough (slow in JS)
          const got = renderBlocks(wasm, [...inputs], block, outs);
          expect({ k, inputs: inputs.length, outs, block, at: firstDifference(got, expected) }).toEqual({ k, inputs: inputs.length, outs, block, at: -1 });
        }
      }
    }
  });

  it('is what the bake runs for a plan reverb node, and a bypassed one stays a plain copy', () => {
    const node = (bypass: boolean): ProcessorPlanNode =>
      ({ kind: 'reverb', id: 'bus:verb:fx', role: 'fx', owner: { kind: 'bus', id: 'verb' }, channels: 2, bypass, sidechain: false, params: { decay: 1.2, preDelay: 0.01, damping: 6000 } }) as ProcessorPlanNode;
    const input = material(48000, 48000, 3);
    const js = new ReverbProcessor(48000);
    js.setParams(node(false).params as ReverbParams);
    const expected = renderBlocks(() => js, input, 512, 2);
    const kernel = createProcessorKernel(node(false), 48000);
    expect(firstDifference(renderBlocks(() => kernel, input, 1000, 2), expected)).toBe(-1);
    const bypassed = createProcessorKernel(node(true), 48000);
    expect(bypassed.identity).toBe(true);
  });
});
