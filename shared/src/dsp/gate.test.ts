import { describe, expect, it } from 'vitest';
import { CONTROL_SUB_BLOCK } from './controlSubBlock.ts';
import { DspParamError } from './DspParamError.ts';
import { GateProcessor, gateCurve, type GateParams } from './gate.ts';
import { maxDiff, peakOf, renderBlocks, seededNoise, sine } from './testSignals.testkit.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);
const amp = (dB: number) => Math.pow(10, dB / 20);

function gate(p: Partial<GateParams>): () => GateProcessor {
  return () => {
    const g = new GateProcessor(SR);
    g.setParams(p);
    return g;
  };
}

/** A cosine burst: `level` dBFS at `freq` Hz on [from, to), silence elsewhere. Starts at its peak, so it opens at once. */
function burst(frames: number, freq: number, level: number, from: number, to: number): Float32Array {
  const out = new Float32Array(frames);
  for (let i = from; i < to; i++) out[i] = amp(level) * Math.cos((2 * Math.PI * freq * (i - from)) / SR);
  return out;
}

/** A `freq` Hz sine burst at `level` dBFS on [from, to) with 10 ms raised-cosine fades: no click to open a gate. */
function smoothBurst(frames: number, freq: number, level: number, from: number, to: number): Float32Array {
  const out = new Float32Array(frames);
  const fade = SR / 100;
  for (let i = from; i < to; i++) {
    const edge = Math.min(i - from, to - 1 - i);
    const w = edge >= fade ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade);
    out[i] = w * amp(level) * Math.sin((2 * Math.PI * freq * (i - from)) / SR);
  }
  return out;
}

/** A constant (DC) input: the output divided by it is the gate's gain, sample by sample. */
function dc(frames: number, v = 0.5): Float32Array {
  return new Float32Array(frames).fill(v);
}

describe('gate static curve (steady 1 kHz tones, output peak vs design)', () => {
  const cases: Array<{ name: string; p: Partial<GateParams>; levels: number[] }> = [
    { name: 'gate (ratio 100, range -60)', p: { threshold: -30, ratio: 100, range: -60, hysteresis: 4 }, levels: [-70, -50, -40, -35, -25, -10, 0] },
    { name: 'expander 1:2 (range -40)', p: { threshold: -30, ratio: 2, range: -40, hysteresis: 0 }, levels: [-80, -60, -45, -36, -31, -20, -6] },
    { name: 'expander 1:4 (range -80)', p: { threshold: -20, ratio: 4, range: -80, hysteresis: 0 }, levels: [-60, -40, -30, -24, -21, -10, -3] },
  ];
  for (const { name, p, levels } of cases) {
    it(`${name}: within 0.1 dB of the curve at every level`, () => {
      const params = { attack: 0.0001, release: 0.5, hold: 0, ...p };
      const frames = 5 * SR;
      for (const level of levels) {
        const x = sine(frames, 1000, amp(level), SR, Math.PI / 2);
        const [y] = renderBlocks(gate(params), [x], 128);
        const measured = db(peakOf(y!, frames - SR / 10));
        const expected = level + gateCurve(level, params.threshold!, params.ratio!, params.range!);
        console.log(`${name}: in ${level} dB -> out ${measured.toFixed(3)} dB (curve ${expected.toFixed(3)})`);
        expect(Math.abs(measured - expected)).toBeLessThan(0.1);
      }
    });
  }

  it('the curve itself: 0 at and above the threshold, 1:ratio below, floored at the range', () => {
    expect(gateCurve(-10, -30, 2, -40)).toBe(0);
    expect(gateCurve(-30, -30, 2, -40)).toBe(0);
    expect(gateCurve(-40, -30, 2, -40)).toBe(-10);
    expect(gateCurve(-40, -30, 4, -40)).toBe(-30);
    expect(gateCurve(-80, -30, 2, -40)).toBe(-40);
    expect(gateCurve(-31, -30, 100, -80)).toBe(-80);
    expect(gateCurve(-90, -30, 1, -80)).toBe(0);
  });
});

describe('gate timing, measured on the gain of a DC input keyed by a burst', () => {
  it('attack and release τ within 2 % + one control sub-block, hold within 0.25 ms', () => {
    const attack = 0.002;
    const hold = 0.04;
    const release = 0.06;
    const range = -60;
    const frames = 2 * SR;
    const on = SR / 2;
    const off = SR;
    const key = burst(frames, 2000, -6, on, off);
    const x = dc(frames);
    const [y] = renderBlocks(gate({ threshold: -30, range, ratio: 100, attack, hold, release, hysteresis: 6 }), [x], 128, 1, [key]);
    const gainDb = (i: number) => db(y![i]! / x[i]!);
    expect(gainDb(on - 1)).toBeCloseTo(range, 1);
    let tAttack = NaN;
    for (let i = on; i < off; i++) {
      if (gainDb(i) >= range * Math.exp(-1)) {
        tAttack = (i - on + 1) / SR;
        break;
      }
    }
    expect(gainDb(off - 1)).toBe(0);
    let holdEnd = NaN;
    for (let i = off; i < frames; i++) {
      if (gainDb(i) < 0) {
        holdEnd = i;
        break;
      }
    }
    const tHold = (holdEnd - off) / SR;
    let tRelease = NaN;
    for (let i = holdEnd; i < frames; i++) {
      if (gainDb(i) <= range * (1 - Math.exp(-1))) {
        tRelease = (i - holdEnd + 1) / SR;
        break;
      }
    }
    console.log(
      `attack τ ${attack * 1000} ms -> ${(tAttack * 1000).toFixed(3)} ms; hold ${hold * 1000} ms -> ${(tHold * 1000).toFixed(3)} ms; release τ ${release * 1000} ms -> ${(tRelease * 1000).toFixed(3)} ms`,
    );
    // The gain is computed once per sub-block and glides over the next: it may come one sub-block later.
    const late = CONTROL_SUB_BLOCK / SR;
    expect(tAttack).toBeGreaterThan(attack * 0.98);
    expect(tAttack).toBeLessThan(attack * 1.02 + late);
    expect(Math.abs(tHold - hold)).toBeLessThan(0.00025);
    expect(tRelease).toBeGreaterThan(release * 0.98);
    expect(tRelease).toBeLessThan(release * 1.02 + late);
    expect(gainDb(frames - 1)).toBeCloseTo(range, 4);
  });

  it('the fastest attack (0.1 ms) opens within 0.1 ms + one control sub-block, measured on the gain', () => {
    const attack = 0.0001;
    const range = -60;
    const frames = SR;
    const on = SR / 4;
    const key = burst(frames, 2000, -6, on, SR / 2);
    const x = dc(frames);
    const [y] = renderBlocks(gate({ threshold: -30, range, ratio: 100, attack, hold: 0.01, release: 0.05, hysteresis: 6 }), [x], 128, 1, [key]);
    let tAttack = NaN;
    for (let i = on; i < frames; i++) {
      if (db(y![i]! / x[i]!) >= range * Math.exp(-1)) {
        tAttack = (i - on + 1) / SR;
        break;
      }
    }
    console.log(`fastest attack: τ ${attack * 1000} ms -> ${(tAttack * 1000).toFixed(3)} ms to 63 % on the gain (sub-block ${((CONTROL_SUB_BLOCK / SR) * 1000).toFixed(3)} ms)`);
    expect(tAttack).toBeLessThan(attack * 1.02 + CONTROL_SUB_BLOCK / SR);
  });
});

describe('gate hysteresis', () => {
  /** A 1 kHz key that opens at threshold + 1 dB, then wobbles between threshold - 3 dB and threshold + 0.5 dB at 3 Hz. */
  function hovering(frames: number, threshold: number): Float32Array {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const t = i / SR;
      const level = t < 0.05 ? threshold + 1 : threshold - 1.25 + 1.75 * Math.sin(2 * Math.PI * 3 * t);
      out[i] = amp(level) * Math.cos(2 * Math.PI * 1000 * t);
    }
    return out;
  }

  function transitions(hysteresis: number): number {
    const frames = 2 * SR;
    const key = hovering(frames, -30);
    const g = gate({ threshold: -30, hysteresis, hold: 0.005, attack: 0.0005, release: 0.02 })();
    const out = [new Float32Array(1)];
    let changes = 0;
    let was = false;
    for (let i = 0; i < frames; i++) {
      g.process([key.subarray(i, i + 1)], out, 1);
      if (g.open !== was) changes++;
      was = g.open;
    }
    return changes;
  }

  it('a key hovering at the threshold opens the gate once with 6 dB of hysteresis; without it the gate chatters', () => {
    const withH = transitions(6);
    const without = transitions(0);
    console.log(`open/close transitions over 2 s: hysteresis 6 dB -> ${withH}, 0 dB -> ${without}`);
    expect(withH).toBe(1);
    expect(without).toBeGreaterThanOrEqual(8);
  });
});

describe('gate key: sidechain and its high-pass', () => {
  it('another track as key opens the gate over a signal that alone stays gated', () => {
    const frames = SR;
    const x = sine(frames, 300, amp(-50), SR, Math.PI / 2);
    const key = burst(frames, 2000, -10, SR / 4, SR / 2);
    const p = { threshold: -30, range: -40, attack: 0.0005, hold: 0.01, release: 0.02 };
    const [keyed] = renderBlocks(gate(p), [x], 128, 1, [key]);
    const [alone] = renderBlocks(gate(p), [x], 128, 1);
    const level = (y: Float32Array, from: number, to: number) => db(peakOf(y, from, to) / peakOf(x, from, to));
    console.log(`keyed: ${level(keyed!, SR / 4 + 480, SR / 2).toFixed(3)} dB during the key, ${level(keyed!, (3 * SR) / 4, SR).toFixed(2)} dB after; alone ${level(alone!, SR / 4 + 480, SR / 2).toFixed(2)} dB`);
    expect(level(keyed!, SR / 4 + 480, SR / 2)).toBeCloseTo(0, 3);
    expect(level(keyed!, (3 * SR) / 4, SR)).toBeCloseTo(-40, 2);
    expect(level(alone!, SR / 4 + 480, SR / 2)).toBeCloseTo(-40, 2);
  });

  it('the key high-pass stops a 60 Hz kick bleed from opening the gate; a 5 kHz hit still opens it', () => {
    const frames = SR;
    const x = dc(frames);
    const kick = smoothBurst(frames, 60, -18, SR / 4, SR / 2);
    const hat = smoothBurst(frames, 5000, -18, SR / 4, SR / 2);
    const p = { threshold: -30, range: -60, attack: 0.0005, hold: 0.01, release: 0.02 };
    // The largest gain while the key sounds (after the 5 kHz key's 10 ms fade-in has opened the gate).
    const gainDb = (y: Float32Array) => db(peakOf(y, SR / 4 + 960, SR / 2) / 0.5);
    const [open20] = renderBlocks(gate({ ...p, scHpf: 20 }), [x], 128, 1, [kick]);
    const [kick1k] = renderBlocks(gate({ ...p, scHpf: 1000 }), [x], 128, 1, [kick]);
    const [hat1k] = renderBlocks(gate({ ...p, scHpf: 1000 }), [x], 128, 1, [hat]);
    console.log(`60 Hz key at -18 dB: HPF 20 Hz -> ${gainDb(open20!).toFixed(2)} dB, HPF 1 kHz -> ${gainDb(kick1k!).toFixed(2)} dB; 5 kHz key, HPF 1 kHz -> ${gainDb(hat1k!).toFixed(2)} dB`);
    expect(gainDb(open20!)).toBe(0);
    expect(gainDb(kick1k!)).toBeCloseTo(-60, 3);
    expect(gainDb(hat1k!)).toBe(0);
  });
});

describe('gate transparency, determinism, bad input', () => {
  it('a signal that never falls below threshold - hysteresis for longer than the hold nulls against its input', () => {
    const frames = 2 * SR;
    const music = seededNoise(frames, 0.3, 11);
    const tone = sine(frames, 220, 0.3, SR, Math.PI / 2);
    const x = [music.map((v, i) => v + tone[i]!), music.map((v, i) => 0.5 * v - tone[i]!)];
    const y = renderBlocks(gate({ threshold: -40, hysteresis: 6, hold: 0.05 }), x, 128);
    // A fresh gate is closed (as after silence): it opens over the attack (0.5 ms), and
    // once open it never touches the signal again.
    expect(Math.abs(y[0]![0]!)).toBeLessThan(Math.abs(x[0]![0]!) * 1e-3);
    const settled = Math.round(0.02 * SR);
    expect(maxDiff(y.map((c) => c.subarray(settled)), x.map((c) => c.subarray(settled)))).toBe(0);
    // Ratio 1 changes nothing, silence included.
    const quiet = [new Float32Array(frames), sine(frames, 100, 1e-4, SR)];
    expect(maxDiff(renderBlocks(gate({ ratio: 1, threshold: -20 }), quiet, 128), quiet)).toBe(0);
  });

  it('is block-size independent (128 vs 4096), in place or not, with a sidechain and parameter changes at the same samples', () => {
    const frames = SR;
    const x = [seededNoise(frames, 0.5, 1), seededNoise(frames, 0.5, 2)];
    for (let i = 0; i < frames; i++) {
      const env = (i % 12000) < 3000 ? 1 : 0.002;
      x[0]![i] = Math.fround(x[0]![i]! * env);
      x[1]![i] = Math.fround(x[1]![i]! * env);
    }
    const key = [burst(frames, 3000, -12, 20000, 30000), seededNoise(frames, 0.05, 3)];
    const render = (block: number, inPlace: boolean) => {
      const g = new GateProcessor(SR);
      g.setParams({ threshold: -30, ratio: 3, range: -50, hold: 0.01, release: 0.05, scHpf: 150 });
      const outs = inPlace ? x.map((c) => c.slice()) : [new Float32Array(frames), new Float32Array(frames)];
      const ins = inPlace ? outs : x;
      for (let i = 0; i < frames; i += block) {
        if (i === 12288) g.setParams({ threshold: -20, range: -30, ratio: 50, hysteresis: 2, attack: 0.003, scHpf: 400 });
        if (i === 28672) g.setParams({ hold: 0.002 });
        const n = Math.min(block, frames - i);
        g.process(ins.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n, i >= 16384 ? key.map((c) => c.subarray(i, i + n)) : undefined);
      }
      return outs;
    };
    const a = render(128, false);
    expect(maxDiff(a, render(4096, false))).toBe(0);
    expect(maxDiff(a, render(4096, true))).toBe(0);
    expect(maxDiff(a, render(1024, true))).toBe(0);
    expect(maxDiff(a, x)).toBeGreaterThan(0.01);
  });

  it('NaN and infinite samples do not poison the state; the gate still gates afterwards', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const frames = SR / 2;
      const x = sine(frames, 500, amp(-60), SR);
      x[1000] = bad;
      const [y] = renderBlocks(gate({ threshold: -40, range: -30, hold: 0.01, release: 0.01 }), [x], 128);
      const tail = y!.subarray(frames - 4800);
      expect(tail.every((v) => Number.isFinite(v))).toBe(true);
      expect(db(peakOf(tail) / peakOf(x, frames - 4800))).toBeCloseTo(-30, 3);
    }
  });

  it('refuses NaN and non-numbers with DspParamError and keeps its parameters; clamps to the model ranges', () => {
    const g = new GateProcessor(SR);
    g.setParams({ threshold: -35 });
    for (const bad of [NaN, Infinity, '3', null]) expect(() => g.setParams({ hold: bad as never })).toThrow(DspParamError);
    expect(() => g.setParams(null as never)).toThrow(DspParamError);
    expect(g.getParams().threshold).toBe(-35);
    g.setParams({ range: -500, ratio: 1e9, scHpf: 1 });
    expect([g.getParams().range, g.getParams().ratio, g.getParams().scHpf]).toEqual([-100, 100, 20]);
  });

  it('reports the gain reduction a meter shows', () => {
    const g = new GateProcessor(SR);
    g.setParams({ threshold: -20, range: -45, release: 0.01 });
    const x = sine(SR / 2, 300, amp(-40), SR);
    g.process([x], [new Float32Array(x.length)], x.length);
    expect(g.gainReductionDb).toBeCloseTo(45, 6);
    expect(g.takeGainReductionPeak()).toBeCloseTo(45, 6);
  });
});
