import { LoudnessMeter, TruePeakMeter } from '@mixroom/shared/dsp';
import { describe, expect, it } from 'vitest';
import { noise } from '../../../../test/renderFixtures.ts';
import { WasmTruePeakMeter } from './WasmTruePeakMeter.ts';

const SR = 48000;

/** Noise at `amp` with bursts of alternating full-scale samples (inter-sample overs), NaN, ±Infinity, ±0. */
function testSignal(frames: number, amp: number, seed: number): Float32Array {
  const x = noise(frames, amp, seed);
  for (let at = 10000; at + 64 < frames; at += 50000) for (let i = 0; i < 64; i++) x[at + i] = (i % 2 ? 1 : -1) * (0.5 + at / frames);
  x[777] = NaN;
  x[778] = Infinity;
  x[3000] = -Infinity;
  x[3001] = -0;
  x[frames - 1] = NaN;
  return x;
}

describe('WasmTruePeakMeter (the bake loudness report true peak on WebAssembly SIMD)', () => {
  it('reads exactly what TruePeakMeter reads, after every block, for any block size', () => {
    for (const [amp, seed] of [[0.9, 1], [0.2, 2], [1e-40, 3]] as const) {
      const x = testSignal(SR * 3, amp, seed);
      for (const block of [1, 128, 333, 8192, 20000]) {
        const js = new TruePeakMeter();
        const wasm = new WasmTruePeakMeter();
        for (let at = 0; at < x.length; at += block) {
          const end = Math.min(x.length, at + block);
          js.process(x, at, end);
          wasm.process(x, at, end);
          if (wasm.linearPeak !== js.linearPeak) expect(wasm.linearPeak, `amp ${amp}, blocks of ${block}, after frame ${end}`).toBe(js.linearPeak);
        }
        expect(wasm.linearPeak).toBe(js.linearPeak);
        expect(js.linearPeak).toBeGreaterThan(0);
      }
    }
  });

  it('on plain noise the reading is an interpolated value (above every sample), still bit for bit', () => {
    const x = noise(SR * 5, 0.25, 9);
    const js = new TruePeakMeter();
    const wasm = new WasmTruePeakMeter();
    js.process(x);
    wasm.process(x);
    let samplePeak = 0;
    for (const v of x) samplePeak = Math.max(samplePeak, Math.abs(v));
    expect(js.linearPeak).toBeGreaterThan(samplePeak);
    expect(wasm.linearPeak).toBe(js.linearPeak);
  });

  it('a LoudnessMeter with it reports the same summary as with the JavaScript meter', () => {
    const l = testSignal(SR * 12, 0.5, 4);
    const r = testSignal(SR * 12, 0.3, 5);
    const js = new LoudnessMeter(SR, 2);
    const wasm = new LoudnessMeter(SR, 2, { truePeakMeter: () => new WasmTruePeakMeter() });
    for (let at = 0; at < l.length; at += 8192) {
      const block = [l.subarray(at, at + 8192), r.subarray(at, at + 8192)];
      js.process(block);
      wasm.process(block);
    }
    const want = js.summary();
    expect(want.truePeak).toBeGreaterThan(0);
    expect(wasm.summary()).toEqual(want);
  });
});
