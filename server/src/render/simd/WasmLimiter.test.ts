import { LimiterProcessor, type LimiterSteadyState, TruePeakDetector } from '@mixroom/shared/dsp';
import { createPlanProcessor, type ProcessorPlanNode } from '@mixroom/shared/plan';
import { describe, expect, it } from 'vitest';
import { noise } from '../../../../test/renderFixtures.ts';
import { createProcessorKernel } from '../runtime/createProcessorKernel.ts';
import { WasmLimiter } from './WasmLimiter.ts';

const SR = 48000;

/**
 * Program-like stereo: a bass line and chords with a decaying drum hit every 250 ms that
 * peaks well above full scale (+6 dBFS), noise on top; plus NaN, ±Infinity and ±0 samples.
 */
function program(frames: number, seed: number): Float32Array[] {
  const hiss = [noise(frames, 0.05, seed), noise(frames, 0.05, seed + 1)];
  return [0, 1].map((c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const t = i / SR;
      const beat = (i % 12000) / SR;
      const hit = 1.6 * Math.exp(-beat * 40) * Math.sin(2 * Math.PI * (60 + 40 * c) * beat * (1 + 3 * Math.exp(-beat * 60)));
      out[i] = 0.4 * Math.sin(2 * Math.PI * 55 * t) + 0.2 * Math.sin(2 * Math.PI * (330 + c) * t) + hit + hiss[c]![i]!;
    }
    out[1234] = NaN;
    out[23456 + c] = Infinity;
    out[34567] = -Infinity;
    out[45678] = -0;
    return out;
  });
}

/** Loud white noise (peaks at +3 dBFS): the detector's inter-sample overs everywhere. */
const loudNoise = (frames: number, seed: number) => [noise(frames, 1.4, seed), noise(frames, 1.4, seed + 7)];

function jsLimiter(): LimiterProcessor {
  const l = new LimiterProcessor(SR);
  l.setParams({ ceiling: -1, release: 0.05 });
  return l;
}

type Limiter = { process(i: readonly Float32Array[], o: readonly Float32Array[], n: number): void };

/** Runs `limiter` over `input` (channels `channels` of it) in blocks of `block` frames; returns the outputs. */
function run(limiter: Limiter, input: Float32Array[], channels: 1 | 2, block: number): Float32Array[] {
  const buf = input.slice(0, channels).map((c) => c.slice());
  for (let at = 0; at < buf[0]!.length; at += block) {
    const n = Math.min(block, buf[0]!.length - at);
    const view = buf.map((c) => c.subarray(at, at + n));
    limiter.process(view, view, n);
  }
  return buf;
}

const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);

/** Index of the first sample whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = bits(a);
  const y = bits(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('WasmLimiter (the bake master limiter on WebAssembly SIMD)', () => {
  it('is bit-identical to LimiterProcessor on program material and loud noise, mono and stereo, any block size', () => {
    const signals = { program: program(SR * 4, 3), 'loud noise': loudNoise(SR * 4, 11) };
    let checked = 0;
    for (const [name, input] of Object.entries(signals)) {
      for (const channels of [1, 2] as const) {
        const want = run(jsLimiter(), input, channels, 8192);
        // The limiter really works on this input: deep gain reduction, output held at the ceiling.
        const ceiling = Math.fround(10 ** (-1 / 20));
        let reduced = 0;
        let top = 0;
        const latency = jsLimiter().latencyFrames;
        for (let i = 2000; i < want[0]!.length; i++) {
          const y = Math.abs(want[0]![i]!);
          const x = Math.abs(input[0]![i - latency]!);
          if (Number.isFinite(x) && y < 0.5 * x) reduced++;
          if (y > top) top = y;
        }
        expect(reduced, `${name} gets more than 6 dB of reduction somewhere`).toBeGreaterThan(1000);
        expect(top).toBeLessThanOrEqual(ceiling);
        for (const block of [1, 128, 333, 8192, 20000]) {
          const got = run(new WasmLimiter(jsLimiter().steadyState()!), input, channels, block);
          for (let c = 0; c < channels; c++) expect(firstDifference(got[c]!, want[c]!), `${name}, ${channels} ch, blocks of ${block}, ch ${c}`).toBe(-1);
          checked++;
        }
      }
    }
    expect(checked).toBe(20);
  });

  it('follows other settings too (ceiling -6 dB, release 1 ms and 2 s, 44.1 kHz)', () => {
    const input = program(SR * 2, 5);
    for (const [sr, ceiling, release] of [[48000, -6, 0.001], [44100, -0.1, 2], [96000, -3, 0.2]] as const) {
      const js = new LimiterProcessor(sr);
      js.setParams({ ceiling, release });
      const wasm = new WasmLimiter(js.steadyState()!);
      expect(wasm.latencyFrames).toBe(js.latencyFrames);
      const want = run(js, input, 2, 4096);
      const got = run(wasm, input, 2, 1000);
      for (let c = 0; c < 2; c++) expect(firstDifference(got[c]!, want[c]!), `${sr} Hz, ${ceiling} dB, ${release} s`).toBe(-1);
    }
  });

  it('its gain follows the JavaScript gain exactly after every block, and its detector reads exactly TruePeakDetector.peaks', () => {
    const input = program(SR * 3, 13);
    const js = jsLimiter();
    const wasm = new WasmLimiter(jsLimiter().steadyState()!);
    const detector = [new TruePeakDetector(), new TruePeakDetector()];
    const jsBuf = input.map((c) => c.slice());
    const wasmBuf = input.map((c) => c.slice());
    const block = 768; // a multiple of the 256-frame detector pass: the last pass is the block's end
    let minGainDb = 0;
    for (let at = 0; at + block <= input[0]!.length; at += block) {
      const view = (b: Float32Array[]) => b.map((c) => c.subarray(at, at + block));
      js.process(view(jsBuf), view(jsBuf), block);
      wasm.process(view(wasmBuf), view(wasmBuf), block);
      expect(wasm.gainReductionDb, `gain after frame ${at + block}`).toBe(js.gainReductionDb);
      minGainDb = Math.max(minGainDb, js.gainReductionDb);
      const want = detector.map((d, c) => {
        const out = new Float64Array(block);
        d.peaks(input[c]!, at, block, out);
        return out.subarray(block - 256);
      });
      const got = wasm.lastDetectorPeaks();
      for (let j = 0; j < 256; j++) {
        expect(got[2 * j], `left estimate ${at + block - 256 + j}`).toBe(want[0]![j]);
        expect(got[2 * j + 1], `right estimate ${at + block - 256 + j}`).toBe(want[1]![j]);
      }
    }
    expect(minGainDb).toBeGreaterThan(6);
  });

  it('the comparison can fail: one detector tap changed by 2^-30 (relative) changes the output', () => {
    // The half-sample phase's largest tap: on loud noise it sets many of the limiting peaks.
    const input = loudNoise(SR, 21);
    const want = run(jsLimiter(), input, 2, 8192);
    const steady = jsLimiter().steadyState()!;
    const taps = steady.detectorCoefficients.slice();
    const at = steady.detectorTapsPerPhase + steady.detectorTapsPerPhase / 2 - 1;
    taps[at] = taps[at]! * (1 + 2 ** -30);
    const mutated: LimiterSteadyState = { ...steady, detectorCoefficients: taps };
    const got = run(new WasmLimiter(mutated), input, 2, 8192);
    expect(firstDifference(got[0]!, want[0]!) >= 0 || firstDifference(got[1]!, want[1]!) >= 0).toBe(true);
  });

  it('a limiter at rest only: steadyState() is null after processing or mid-ramp', () => {
    const l = jsLimiter();
    expect(l.steadyState()).not.toBeNull();
    l.setParams({ ceiling: -3 });
    expect(l.steadyState()).toBeNull(); // ramping to the new ceiling
    const m = jsLimiter();
    m.process([new Float32Array(4)], [new Float32Array(4)], 4);
    expect(m.steadyState()).toBeNull();
  });

  it("the bake's limiter node kernel equals the plan processor the browser worklet runs", () => {
    const node: ProcessorPlanNode = {
      id: 'master::limiter',
      owner: { kind: 'master', id: '' },
      role: 'limiter',
      channels: 2,
      kind: 'limiter',
      bypass: false,
      sidechain: false,
      params: { ceiling: -1, release: 0.05 },
    };
    const kernel = createProcessorKernel(node, SR);
    const reference = createPlanProcessor(node, SR);
    expect(kernel.latencyFrames).toBe(reference.latencyFrames);
    const input = program(SR * 2, 8);
    const want = run(reference, input, 2, 128);
    const got = run(kernel, input, 2, 8192);
    for (let c = 0; c < 2; c++) expect(firstDifference(got[c]!, want[c]!)).toBe(-1);
  });
});
