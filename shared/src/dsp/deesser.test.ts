import { describe, expect, it } from 'vitest';
import { BiquadProcessor, biquadResponse } from './biquad.ts';
import { DEESSER_ATTACK_SECONDS, DEESSER_BAND_Q, DEESSER_RELEASE_SECONDS, DEESSER_SUB_BLOCK, DeesserProcessor, deesserCurve, type DeesserParams } from './deesser.ts';
import { DspParamError } from './DspParamError.ts';
import { maxDiff, peakOf, renderBlocks, seededNoise, sine, toneAmplitude } from './testSignals.testkit.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);

function deesser(p: Partial<DeesserParams>): () => DeesserProcessor {
  return () => {
    const d = new DeesserProcessor(SR);
    d.setParams(p);
    return d;
  };
}

/**
 * +amp, +amp, −amp, −amp, ...: a sine at fs/4 (12 kHz) whose samples all have magnitude amp.
 * A band centred on 12 kHz passes it with gain 1 and phase 0, so the detector sees a steady level.
 */
function quarterTone(frames: number, amp: number, from = 0, to = frames): Float32Array {
  const x = new Float32Array(frames);
  for (let i = from; i < to; i++) x[i] = (i - from) % 4 < 2 ? amp : -amp;
  return x;
}

/** A vowel-like low part (200, 400, 600 Hz harmonics) with 7 kHz sine bursts (the "s"). */
function vocal(frames: number, sibilance: number): { x: Float32Array; low: Float32Array; burst: [number, number] } {
  const low = new Float32Array(frames);
  const x = new Float32Array(frames);
  const burst: [number, number] = [Math.round(0.25 * SR), Math.round(0.75 * SR)];
  for (let i = 0; i < frames; i++) {
    const t = i / SR;
    // Faded in over 20 ms: a click at the start would itself be sibilant.
    const fade = i < 960 ? 0.5 - 0.5 * Math.cos((Math.PI * i) / 960) : 1;
    low[i] = fade * (0.25 * Math.sin(2 * Math.PI * 200 * t) + 0.12 * Math.sin(2 * Math.PI * 400 * t + 1) + 0.06 * Math.sin(2 * Math.PI * 600 * t + 2));
    x[i] = low[i]! + (i >= burst[0] && i < burst[1] ? sibilance * Math.sin(2 * Math.PI * 7000 * t) : 0);
  }
  return { x, low, burst };
}

/** |1 + (g − 1)·H(f)| in dB: the split mode's response at f with the band turned down by `gr` dB. */
function splitResponseDb(freq: number, band: number, gr: number): number {
  const r = biquadResponse({ type: 'bandpass', frequency: band, Q: DEESSER_BAND_Q, gain: 0 }, SR, [freq]);
  const mag = r.magnitude[0]!;
  const ph = r.phase[0]!;
  const k = Math.pow(10, -gr / 20) - 1;
  return db(Math.hypot(1 + k * mag * Math.cos(ph), k * mag * Math.sin(ph)));
}

describe('de-esser: the sibilant band', () => {
  it('split: a 7 kHz "s" over a vowel is turned down by the set range; the vowel stays within 0.1 dB', () => {
    const { x, low, burst } = vocal(SR, 0.3);
    const band = 7000;
    const range = 6;
    const [y] = renderBlocks(deesser({ freq: band, threshold: -30, range, mode: 'split' }), [x], 128);
    // Steady part of the burst: from 50 ms in to its end, a whole number of 200 Hz periods.
    const from = burst[0] + 2400;
    const n = 240 * 90;
    const sIn = toneAmplitude(x, 7000, SR, from, n);
    const sOut = toneAmplitude(y!, 7000, SR, from, n);
    const expected = splitResponseDb(7000, band, range);
    const measured = db(sOut / sIn);
    console.log(`split: 7 kHz "s" ${measured.toFixed(3)} dB (expected ${expected.toFixed(3)} dB: the range, ${range} dB, at the band's centre)`);
    expect(Math.abs(measured - expected)).toBeLessThan(0.1);
    for (const f of [200, 400, 600]) {
      const change = db(toneAmplitude(y!, f, SR, from, n) / toneAmplitude(x, f, SR, from, n));
      console.log(`split: vowel ${f} Hz during the "s" ${change.toFixed(5)} dB`);
      expect(Math.abs(change)).toBeLessThan(0.1);
    }
    // Outside the burst (after the release), the output is the input bit for bit.
    let outside = 0;
    for (let i = 0; i < burst[0]; i++) outside = Math.max(outside, Math.abs(y![i]! - x[i]!));
    expect(outside).toBe(0);
    expect(low.length).toBe(SR);
  });

  it('wide: the whole signal (the vowel too) goes down by the range while the "s" sounds', () => {
    const { x, burst } = vocal(SR, 0.3);
    const [y] = renderBlocks(deesser({ freq: 7000, threshold: -30, range: 6, mode: 'wide' }), [x], 128);
    const from = burst[0] + 2400;
    const n = 240 * 90;
    for (const f of [200, 7000]) {
      const change = db(toneAmplitude(y!, f, SR, from, n) / toneAmplitude(x, f, SR, from, n));
      console.log(`wide: ${f} Hz during the "s" ${change.toFixed(3)} dB`);
      expect(Math.abs(change + 6)).toBeLessThan(0.1);
    }
  });

  it('below threshold, or with range 0, the output nulls with the input (residual -inf dBFS)', () => {
    const { x } = vocal(SR, 0.005); // the "s" peaks at -46 dBFS
    const [quiet] = renderBlocks(deesser({ freq: 5000, threshold: -30, range: 12 }), [x], 128);
    expect(maxDiff([quiet!], [x])).toBe(0);
    const loud = vocal(SR, 0.5).x;
    const [none] = renderBlocks(deesser({ freq: 5000, threshold: -60, range: 0 }), [loud], 128);
    expect(maxDiff([none!], [loud])).toBe(0);
    // Noise everywhere, far below threshold: still exact, stereo too.
    const nl = seededNoise(SR / 2, 0.001, 3);
    const nr = seededNoise(SR / 2, 0.001, 4);
    const [yl, yr] = renderBlocks(deesser({ threshold: -40 }), [nl, nr], 1000);
    expect(maxDiff([yl!, yr!], [nl, nr])).toBe(0);
  });
});

describe('de-esser: static curve and time constants', () => {
  it('steady gain reduction follows deesserCurve within 0.02 dB (wide mode, measured on the output)', () => {
    const T = -30;
    const range = 12;
    for (const level of [-50, -32, -29, -26, -20, -14, -6]) {
      const amp = Math.pow(10, level / 20);
      const x = quarterTone(SR / 2, amp);
      const [y] = renderBlocks(deesser({ freq: 12000, threshold: T, range, mode: 'wide' }), [x], 128);
      const i = SR / 2 - 1;
      const measured = -db(Math.abs(y![i]! / x[i]!));
      const expected = deesserCurve(level, T, range);
      console.log(`curve: band ${level} dBFS -> reduction ${measured.toFixed(4)} dB (curve ${expected.toFixed(4)})`);
      expect(Math.abs(measured - expected)).toBeLessThan(0.02);
    }
    expect(deesserCurve(-40, -30, 6)).toBe(0);
    expect(deesserCurve(-26, -30, 6)).toBeCloseTo(3, 12);
    expect(deesserCurve(0, -30, 6)).toBe(6);
  });

  it(`attack (τ ${DEESSER_ATTACK_SECONDS * 1000} ms) and release (τ ${DEESSER_RELEASE_SECONDS * 1000} ms) measured on the output of a step within 2 % + one sub-block`, () => {
    // A loud 12 kHz step over a quiet one (-60 dBFS, under the threshold): in wide mode every
    // sample is the tone's ±amplitude times the gain, so |y/x| is the gain applied to it.
    const on = 4800;
    const off = 14400;
    const x = quarterTone(2 * SR, 0.001);
    for (let i = on; i < off; i++) x[i] = (i - on) % 4 < 2 ? 0.5 : -0.5;
    const [y] = renderBlocks(deesser({ threshold: -40, range: 24, freq: 12000, mode: 'wide' }), [x], 128);
    const applied = Float64Array.from(x, (v, i) => -db(Math.abs(y![i]! / v)));
    const full = 24;
    // When the applied reduction crosses `level` (frame `from` ends at 1/SR), to a fraction of a
    // frame: a crossing right at a frame's end is not counted as the next frame's.
    const cross = (from: number, level: number) => {
      const side = Math.sign(level - applied[from - 1]!);
      for (let i = from; i < applied.length; i++) {
        if (Math.sign(applied[i]! - level) === side || applied[i] === level) {
          const before = i === from ? applied[from - 1]! : applied[i - 1]!;
          return (i - from + (level - before) / (applied[i]! - before)) / SR;
        }
      }
      return NaN;
    };
    const tAttack = cross(on, full * (1 - Math.exp(-1)));
    expect(applied[off - 1]).toBeCloseTo(full, 6);
    const tRelease = cross(off, full * Math.exp(-1));
    console.log(`applied attack τ ${(tAttack * 1000).toFixed(3)} ms, release τ ${(tRelease * 1000).toFixed(3)} ms (sub-block ${((DEESSER_SUB_BLOCK / SR) * 1000).toFixed(3)} ms)`);
    // The gain is computed once per sub-block and glides over the next: it may come one sub-block later.
    const late = DEESSER_SUB_BLOCK / SR;
    expect(tAttack).toBeGreaterThan(DEESSER_ATTACK_SECONDS * 0.98);
    expect(tAttack).toBeLessThan(DEESSER_ATTACK_SECONDS * 1.02 + late);
    expect(tRelease).toBeGreaterThan(DEESSER_RELEASE_SECONDS * 0.98);
    expect(tRelease).toBeLessThan(DEESSER_RELEASE_SECONDS * 1.02 + late);
    // Fully released: exactly 0, so the output is the input again.
    expect(y![x.length - 1]).toBe(x[x.length - 1]);
  });

  it('sub-blocks are placed by the song frame: a render told its song frames equals the same song rendered from its start', () => {
    const x = [seededNoise(SR / 2, 0.9, 11), seededNoise(SR / 2, 0.5, 12)];
    const p = { freq: 6000, threshold: -30, range: 9 };
    const render = (song: number, block: number, input: Float32Array[]) => {
      const d = deesser(p)();
      const frames = input[0]!.length;
      const outs = input.map(() => new Float32Array(frames));
      for (let i = 0; i < frames; i += block) {
        const n = Math.min(block, frames - i);
        d.process(input.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n, undefined, song + i);
      }
      return outs;
    };
    // 5 silent frames, then the song from its frame 0, in 128-frame quanta: the same as the song alone in 1000s.
    const lead = x.map((c) => {
      const a = new Float32Array(c.length + 5);
      a.set(c, 5);
      return a;
    });
    const a = render(-5, 128, lead).map((c) => c.subarray(5));
    const b = render(0, 1000, x);
    expect(maxDiff(a, b)).toBe(0);
    // Placed 8 frames off, the sub-blocks are others: the render differs.
    expect(maxDiff(render(8, 1000, x), b)).toBeGreaterThan(0);
  });
});

describe('de-esser: listen, channels, blocks, parameters', () => {
  it('listen outputs the band: the band-pass run on its own (in doubles: within -110 dB of the float32-stored biquad)', () => {
    const x = [seededNoise(SR / 4, 0.8, 7), seededNoise(SR / 4, 0.8, 8)];
    const [yl, yr] = renderBlocks(deesser({ freq: 5000, threshold: -20, listen: true }), x, 128);
    const bp = new BiquadProcessor(SR);
    bp.setParams({ type: 'bandpass', frequency: 5000, Q: DEESSER_BAND_Q });
    const band = x.map((c) => new Float32Array(c));
    bp.process(band, band, band[0]!.length);
    // The de-esser keeps its band's outputs unrounded; BiquadProcessor stores them as float32.
    const residual = db(maxDiff([yl!, yr!], band) / Math.max(peakOf(band[0]!), peakOf(band[1]!)));
    console.log(`listen: the band against BiquadProcessor's, residual ${residual.toFixed(1)} dB`);
    expect(residual).toBeLessThan(-110);
    // A tone at the centre is heard at its level; a 300 Hz one (a vowel) more than 20 dB down.
    const [centre] = renderBlocks(deesser({ freq: 6000, listen: true }), [sine(SR / 4, 6000, 0.5, SR)], 128);
    const [vowel] = renderBlocks(deesser({ freq: 6000, listen: true }), [sine(SR / 4, 300, 0.5, SR)], 128);
    expect(Math.abs(db(toneAmplitude(centre!, 6000, SR, SR / 8, 4800) / 0.5))).toBeLessThan(0.01);
    expect(db(toneAmplitude(vowel!, 300, SR, SR / 8, 4800) / 0.5)).toBeLessThan(-20);
  });

  it('is block-size independent (128, 1000, 4096) with changes of every parameter at the same samples', () => {
    const x = [seededNoise(SR, 0.9, 1), seededNoise(SR, 0.6, 2)];
    const changes: [number, Partial<DeesserParams>][] = [
      [9000, { freq: 9000, threshold: -20 }],
      [20000, { mode: 'wide', range: 12 }],
      [30000, { listen: true }],
      [36000, { listen: false, mode: 'split', freq: 3000 }],
    ];
    const render = (block: number) => {
      const d = new DeesserProcessor(SR);
      d.setParams({ freq: 6000, threshold: -30, range: 6 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        const n = Math.min(block, SR - i);
        for (const [at, p] of changes) if (at >= i && at < i + n && at !== i) throw new Error('change inside a block');
        for (const [at, p] of changes) if (at === i) d.setParams(p);
        d.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
      }
      return outs;
    };
    // Blocks of 1000 hit every change at a block start; 128 and 4096 are checked by splitting at them.
    const renderAt = (block: number) => {
      const d = new DeesserProcessor(SR);
      d.setParams({ freq: 6000, threshold: -30, range: 6 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      const cuts = [...changes.map(([at]) => at), SR];
      let i = 0;
      for (const cut of cuts) {
        for (; i < cut; ) {
          const n = Math.min(block, cut - i);
          d.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
          i += n;
        }
        const change = changes.find(([at]) => at === cut);
        if (change) d.setParams(change[1]);
      }
      return outs;
    };
    const ref = render(1000);
    expect(maxDiff(renderAt(128), ref)).toBe(0);
    expect(maxDiff(renderAt(4096), ref)).toBe(0);
    expect(maxDiff(renderAt(77), ref)).toBe(0);
  });

  it('in place and mono give exactly the samples of separate buffers; channels are linked', () => {
    const x = [seededNoise(SR / 2, 0.9, 5), seededNoise(SR / 2, 0.05, 6)];
    const p = { freq: 5000, threshold: -30, range: 9 };
    const sep = renderBlocks(deesser(p), x, 256);
    const inPlace = x.map((c) => new Float32Array(c));
    const d = deesser(p)();
    for (let i = 0; i < SR / 2; i += 256) {
      const n = Math.min(256, SR / 2 - i);
      const v = inPlace.map((c) => c.subarray(i, i + n));
      d.process(v, v, n);
    }
    expect(maxDiff(inPlace, sep)).toBe(0);
    const [mono] = renderBlocks(deesser(p), [x[0]!], 256);
    const [dual] = renderBlocks(deesser(p), [x[0]!, x[0]!], 256);
    expect(maxDiff([mono!], [dual!])).toBe(0);
    // The quiet right channel is reduced by the loud left's detector: it changes too.
    expect(maxDiff([sep[1]!], [x[1]!])).toBeGreaterThan(0);
  });

  it('NaN and infinite samples restart the band: the band (listen), the meter and the reduction recover at once', () => {
    // A steady 12 kHz band at -20 dBFS (a reduction of 7.5 dB at threshold -30, range 20) with
    // bursts of bad samples in each channel; each render against the same one without them.
    const frames = SR;
    const T = -30;
    const range = 20;
    const amp = Math.pow(10, -20 / 20);
    const expected = deesserCurve(-20, T, range);
    const render = (bad: number | null, listen: boolean) => {
      const x = [quarterTone(frames, amp), quarterTone(frames, amp)];
      if (bad !== null) {
        for (const at of [4000, 4001, 4002, 9000, 15000]) x[0]![at] = bad;
        for (const at of [6000, 15000, 15001]) x[1]![at] = bad;
      }
      const d = new DeesserProcessor(SR);
      d.setParams({ freq: 12000, threshold: T, range, mode: 'split', listen });
      const y = x.map(() => new Float32Array(frames));
      const meter: number[] = [];
      for (let at = 0; at < frames; at += 128) {
        d.process(x.map((c) => c.subarray(at, at + 128)), y.map((c) => c.subarray(at, at + 128)), 128);
        meter.push(d.takeGainReductionPeak());
      }
      return { y, meter };
    };
    for (const bad of [NaN, Infinity, -Infinity]) {
      const clean = render(null, false);
      const hit = render(bad, false);
      // A bad sample reads as a huge band: the meter jumps towards the range, then releases.
      expect(Math.max(...hit.meter.slice(15000 / 128, 16000 / 128)), `${bad}: meter at the burst (dB)`).toBeGreaterThan(expected + 1);
      // 0.5 s after the last burst: the same reduction as without the bursts, on the meter and the output.
      const meterEnd = hit.meter.at(-1)!;
      expect(Math.abs(meterEnd - expected), `${bad}: meter after the bursts ${meterEnd} dB`).toBeLessThan(0.01);
      expect(Math.abs(meterEnd - clean.meter.at(-1)!)).toBeLessThan(0.01);
      const tail = (ys: Float32Array[]) => ys.map((c) => c.subarray(frames - 4800));
      expect(tail(hit.y).every((c) => c.every((v) => Number.isFinite(v)))).toBe(true);
      const outResidual = db(maxDiff(tail(hit.y), tail(clean.y)) / amp);
      expect(outResidual, `${bad}: output tail against the clean render (dB)`).toBeLessThan(-60);
      // The band itself (listen): finite again from the sample after a burst, and 10 ms later it
      // is the clean band within -120 dB (a band-pass restarted from silence forgets in a few samples).
      const bandHit = render(bad, true).y;
      const bandClean = render(null, true).y;
      for (const [c, at] of [[0, 4003], [0, 9001], [1, 6001], [0, 15001], [1, 15002]] as const) {
        expect(Number.isFinite(bandHit[c]![at]!), `${bad}: band ch ${c} at ${at}`).toBe(true);
      }
      const after = (ys: Float32Array[]) => ys.map((c) => c.subarray(15002 + 480));
      const bandResidual = db(maxDiff(after(bandHit), after(bandClean)) / amp);
      console.log(`${bad}: band residual ${bandResidual.toFixed(1)} dB, output tail residual ${outResidual.toFixed(1)} dB, meter ${meterEnd.toFixed(4)} dB (curve ${expected})`);
      expect(bandResidual).toBeLessThan(-120);
    }
  });

  it('refuses NaN, infinities and wrong types with DspParamError and keeps its settings; clamps ranges', () => {
    const d = new DeesserProcessor(SR);
    d.setParams({ freq: 7000, threshold: -25 });
    const before = JSON.stringify(d.getParams());
    for (const bad of [NaN, Infinity, -Infinity, '3', null]) {
      for (const param of ['freq', 'threshold', 'range']) expect(() => d.setParams({ [param]: bad })).toThrow(DspParamError);
    }
    expect(() => d.setParams({ mode: 'loud' as never })).toThrow(DspParamError);
    expect(() => d.setParams({ listen: 1 as never })).toThrow(DspParamError);
    expect(() => d.setParams([] as never)).toThrow(DspParamError);
    expect(JSON.stringify(d.getParams())).toBe(before);
    d.setParams({ freq: 1e9, threshold: -1e9, range: 1e9 });
    expect(d.getParams()).toMatchObject({ freq: 16000, threshold: -60, range: 24 });
    expect(() => new DeesserProcessor(NaN)).toThrow(DspParamError);
    expect(d.latencyFrames).toBe(0);
  });
});
