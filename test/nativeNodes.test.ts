import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BiquadProcessor, biquadResponse, type BiquadParams } from '../shared/src/dsp/biquad.ts';
import { GainProcessor, linearGainOf } from '../shared/src/dsp/gain.ts';
import { paramRampFrames } from '../shared/src/dsp/DspProcessor.ts';
import { StereoPannerProcessor } from '../shared/src/dsp/stereoPanner.ts';
import { seededNoise } from '../shared/src/dsp/testSignals.testkit.ts';
import { residualDb, startChromiumRenderer, type ChromiumRenderer } from './browser/renderInChromium.ts';

// Null tests against Chromium's native BiquadFilterNode, GainNode and StereoPannerNode: the
// browser plays these natively while the bake uses the kernels, so they must agree.
const SR = 48000;
const FRAMES = SR; // 1 s

function testSignal(seed: number): Float32Array {
  const x = seededNoise(FRAMES, 0.5, seed);
  for (let i = 0; i < FRAMES; i++) x[i] = Math.fround(x[i]! + 0.4 * Math.sin((2 * Math.PI * 55 * i) / SR));
  return x;
}

let chrome: ChromiumRenderer;
beforeAll(async () => {
  chrome = await startChromiumRenderer();
});
afterAll(async () => {
  await chrome?.close();
});

const FILTERS: BiquadParams[] = [
  { type: 'highpass', frequency: 80, Q: 0.7, gain: 0 },
  { type: 'highpass', frequency: 30, Q: 6, gain: 0 },
  { type: 'lowpass', frequency: 12000, Q: 0, gain: 0 },
  { type: 'lowpass', frequency: 200, Q: 12, gain: 0 },
  { type: 'peaking', frequency: 1000, Q: 1.4, gain: 6 },
  { type: 'peaking', frequency: 40, Q: 10, gain: -12 },
  { type: 'lowshelf', frequency: 120, Q: 1, gain: 4.5 },
  { type: 'highshelf', frequency: 8000, Q: 1, gain: -3 },
  { type: 'notch', frequency: 60, Q: 10, gain: 0 },
  { type: 'bandpass', frequency: 2000, Q: 2, gain: 0 },
  { type: 'allpass', frequency: 500, Q: 0.7, gain: 0 },
];

describe('biquad kernel vs Chromium BiquadFilterNode', () => {
  for (const p of FILTERS) {
    it(`${p.type} ${p.frequency} Hz Q ${p.Q} gain ${p.gain} nulls <= -90 dBFS`, async () => {
      const x = testSignal(7);
      const [native] = await chrome.render(SR, [x], { kind: 'biquad', ...p });
      const k = new BiquadProcessor(SR);
      k.setParams(p);
      const y = new Float32Array(FRAMES);
      for (let i = 0; i < FRAMES; i += 128) k.process([x.subarray(i, i + 128)], [y.subarray(i, i + 128)], Math.min(128, FRAMES - i));
      const r = residualDb(native!, y);
      console.log(`biquad ${p.type} ${p.frequency}Hz Q${p.Q} ${p.gain}dB: residual ${r.toFixed(1)} dBFS`);
      expect(r).toBeLessThanOrEqual(-90);
    });
  }
});

describe('biquadResponse vs getFrequencyResponse', () => {
  it('magnitude and phase agree with Chromium for every filter type', async () => {
    const freqs = [20, 55, 100, 440, 1000, 2500, 6000, 12000, 19000, 23999];
    let worstDb = 0;
    let worstPhase = 0;
    for (const p of FILTERS) {
      const native = await chrome.frequencyResponse(SR, { kind: 'biquad', ...p }, freqs);
      const mine = biquadResponse(p, SR, freqs);
      for (let i = 0; i < freqs.length; i++) {
        const a = native.magnitude[i]!;
        const b = mine.magnitude[i]!;
        // Compare in dB where there is level, absolutely near a notch's zero.
        const d = a > 1e-4 ? Math.abs(20 * Math.log10(b / a)) : Math.abs(a - b);
        worstDb = Math.max(worstDb, d);
        if (a > 1e-4) worstPhase = Math.max(worstPhase, Math.abs(Math.atan2(Math.sin(native.phase[i]! - mine.phase[i]!), Math.cos(native.phase[i]! - mine.phase[i]!))));
      }
    }
    console.log(`biquadResponse vs getFrequencyResponse: worst magnitude diff ${worstDb.toExponential(2)} dB, worst phase diff ${worstPhase.toExponential(2)} rad`);
    expect(worstDb).toBeLessThan(1e-3);
    expect(worstPhase).toBeLessThan(1e-4);
  });
});

describe('at 44.1 kHz too', () => {
  it('peaking, highpass and the panner null against Chromium at 44100 Hz', async () => {
    const sr = 44100;
    const x = testSignal(29).subarray(0, sr);
    for (const p of [
      { type: 'peaking', frequency: 3150, Q: 0.9, gain: -4.5 },
      { type: 'highpass', frequency: 45, Q: 3, gain: 0 },
    ] as BiquadParams[]) {
      const [native] = await chrome.render(sr, [x], { kind: 'biquad', ...p });
      const k = new BiquadProcessor(sr);
      k.setParams(p);
      const y = new Float32Array(sr);
      k.process([x], [y], sr);
      const r = residualDb(native!, y);
      console.log(`44.1 kHz biquad ${p.type}: residual ${r.toFixed(1)} dBFS`);
      expect(r).toBeLessThanOrEqual(-90);
    }
    const native = await chrome.render(sr, [x], { kind: 'panner', pan: 0.25 });
    const k = new StereoPannerProcessor(sr);
    k.setParams({ pan: 0.25 });
    const out = [new Float32Array(sr), new Float32Array(sr)];
    k.process([x], out, sr);
    expect(Math.max(residualDb(native[0]!, out[0]!), residualDb(native[1]!, out[1]!))).toBeLessThanOrEqual(-90);
  });
});

describe('gain and panner kernels vs Chromium', () => {
  it('GainNode with trim + gain + polarity nulls', async () => {
    const x = testSignal(11);
    const params = { gain: -4.3, trim: 2.1, polarity: true, mute: false };
    const [native] = await chrome.render(SR, [x], { kind: 'gain', gain: linearGainOf(params) });
    const k = new GainProcessor(SR);
    k.setParams(params);
    const y = new Float32Array(FRAMES);
    k.process([x], [y], FRAMES);
    const r = residualDb(native!, y);
    console.log(`gain: residual ${r} dBFS`);
    expect(r).toBeLessThanOrEqual(-90);
  });

  for (const pan of [-1, -0.6, 0, 0.35, 1]) {
    it(`StereoPannerNode pan ${pan} nulls for mono and stereo input`, async () => {
      const l = testSignal(3);
      const r = testSignal(5);
      for (const input of [[l], [l, r]]) {
        const native = await chrome.render(SR, input, { kind: 'panner', pan });
        const k = new StereoPannerProcessor(SR);
        k.setParams({ pan });
        const out = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
        k.process(input, out, FRAMES);
        const rl = residualDb(native[0]!, out[0]!);
        const rr = residualDb(native[1]!, out[1]!);
        console.log(`panner ${pan} ${input.length}ch: residual L ${rl.toFixed(1)} R ${rr.toFixed(1)} dBFS`);
        expect(Math.max(rl, rr)).toBeLessThanOrEqual(-90);
      }
    });
  }
});

describe('parameter ramps vs AudioParam linearRampToValueAtTime', () => {
  // The kernels ramp a change over paramRampFrames from the sample of the change; the
  // browser engine applies the same change as setValueAtTime + linearRampToValueAtTime.
  const AT = 12000; // not a multiple of 128: the change lands inside a render quantum
  const n = paramRampFrames(SR);

  function renderSplit(k: { setParams(p: object): void; process(i: Float32Array[], o: Float32Array[], f: number): void }, input: Float32Array[], outCh: number, change: object): Float32Array[] {
    const outs = Array.from({ length: outCh }, () => new Float32Array(FRAMES));
    k.process(input.map((c) => c.subarray(0, AT)), outs.map((c) => c.subarray(0, AT)), AT);
    k.setParams(change);
    k.process(input.map((c) => c.subarray(AT)), outs.map((c) => c.subarray(AT)), FRAMES - AT);
    return outs;
  }

  it('gain ramp nulls against GainNode', async () => {
    const x = testSignal(13);
    const p0 = { gain: 0, trim: 0, polarity: false, mute: false };
    const p1 = { ...p0, gain: -9 };
    const [native] = await chrome.render(SR, [x], { kind: 'gain', gain: linearGainOf(p0) }, { param: 'gain', frame: AT, from: linearGainOf(p0), to: linearGainOf(p1), rampFrames: n });
    const k = new GainProcessor(SR);
    k.setParams(p0);
    const [y] = renderSplit(k, [x], 1, { gain: -9 });
    const r = residualDb(native!, y!);
    console.log(`gain ramp 0 -> -9 dB: residual ${r.toFixed(1)} dBFS`);
    expect(r).toBeLessThanOrEqual(-90);
  });

  it('biquad frequency ramp nulls against BiquadFilterNode (sample-accurate coefficients)', async () => {
    const x = testSignal(17);
    const p0: BiquadParams = { type: 'peaking', frequency: 300, Q: 1.2, gain: 6 };
    const [native] = await chrome.render(SR, [x], { kind: 'biquad', ...p0 }, { param: 'frequency', frame: AT, from: 300, to: 2400, rampFrames: n });
    const k = new BiquadProcessor(SR);
    k.setParams(p0);
    const [y] = renderSplit(k, [x], 1, { frequency: 2400 });
    const r = residualDb(native!, y!);
    console.log(`biquad frequency ramp 300 -> 2400 Hz: residual ${r.toFixed(1)} dBFS`);
    expect(r).toBeLessThanOrEqual(-90);
  });

  it('pan ramp nulls against StereoPannerNode', async () => {
    const l = testSignal(19);
    const r = testSignal(23);
    const native = await chrome.render(SR, [l, r], { kind: 'panner', pan: -0.5 }, { param: 'pan', frame: AT, from: -0.5, to: 0.8, rampFrames: n });
    const k = new StereoPannerProcessor(SR);
    k.setParams({ pan: -0.5 });
    const y = renderSplit(k, [l, r], 2, { pan: 0.8 });
    const res = Math.max(residualDb(native[0]!, y[0]!), residualDb(native[1]!, y[1]!));
    console.log(`pan ramp -0.5 -> 0.8: residual ${res.toFixed(1)} dBFS`);
    expect(res).toBeLessThanOrEqual(-90);
  });
});
