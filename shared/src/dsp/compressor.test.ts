import { describe, expect, it } from 'vitest';
import { CompressorProcessor, compressorCurve, type CompressorParams } from './compressor.ts';
import { DspParamError } from './DspParamError.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff, renderBlocks, sine } from './testSignals.testkit.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);

/** A square wave: |x| is constant, so a peak detector sees a steady level. */
function square(frames: number, freq: number, amp: number): Float32Array {
  const out = new Float32Array(frames);
  const half = SR / freq / 2;
  for (let i = 0; i < frames; i++) out[i] = Math.floor(i / half) % 2 === 0 ? amp : -amp;
  return out;
}

function comp(p: Partial<CompressorParams>): () => CompressorProcessor {
  return () => {
    const c = new CompressorProcessor(SR);
    c.setParams(p);
    return c;
  };
}

describe('compressor static curve', () => {
  for (const detector of ['peak', 'rms'] as const) {
    it(`${detector}: steady-state output level matches threshold/ratio/knee/makeup within 0.1 dB`, () => {
      const p = { threshold: -18, ratio: 4, knee: 8, makeup: 3, attack: 0.002, release: 0.05, detector };
      for (const level of [-40, -25, -21, -18, -15, -10, -3, 0]) {
        const amp = Math.pow(10, level / 20);
        const x = square(SR, 100, amp);
        const [y] = renderBlocks(comp(p), [x, x], 128);
        // Steady state: last 10 ms.
        let peak = 0;
        for (let i = SR - 480; i < SR; i++) peak = Math.max(peak, Math.abs(y![i]!));
        const measured = db(peak);
        const expected = compressorCurve(level, -18, 4, 8) + 3;
        console.log(`${detector} in ${level} dB -> out ${measured.toFixed(3)} dB (curve ${expected.toFixed(3)})`);
        expect(Math.abs(measured - expected)).toBeLessThan(0.1);
      }
    });
  }

  it('the curve itself: identity below the knee, 1/ratio above, continuous through the knee', () => {
    expect(compressorCurve(-40, -20, 4, 6)).toBe(-40);
    expect(compressorCurve(0, -20, 4, 6)).toBeCloseTo(-15, 10);
    expect(compressorCurve(-23, -20, 4, 6)).toBeCloseTo(-23, 10);
    expect(compressorCurve(-17, -20, 4, 6)).toBeCloseTo(-20 + 3 / 4, 10);
    expect(compressorCurve(-20, -20, 4, 6)).toBeCloseTo(-20 - 0.75 * 9 / 12, 10);
  });
});

describe('compressor time constants (63.2 % of a step)', () => {
  it('attack and release measured on a level step match the set τ within 2 %', () => {
    const attack = 0.01;
    const release = 0.08;
    const n = SR;
    const x = new Float32Array(n);
    // -40 dB (below threshold) for 0.1 s, then 0 dB for 0.4 s, then -40 dB again.
    for (let i = 0; i < n; i++) x[i] = i >= 4800 && i < 24000 ? 1 : 0.01;
    const [y] = renderBlocks(comp({ threshold: -20, ratio: 4, knee: 0, makeup: 0, attack, release }), [x], 128);
    const grDb = (i: number) => -db(y![i]! / x[i]!);
    const full = 15; // (0 - -20) * (1 - 1/4)
    const tAttack = (() => {
      for (let i = 4800; i < 24000; i++) if (grDb(i) >= full * (1 - Math.exp(-1))) return (i - 4800 + 1) / SR;
      return NaN;
    })();
    expect(grDb(23999)).toBeCloseTo(full, 3);
    const tRelease = (() => {
      for (let i = 24000; i < n; i++) if (grDb(i) <= full * Math.exp(-1)) return (i - 24000 + 1) / SR;
      return NaN;
    })();
    console.log(`attack τ set ${attack * 1000} ms measured ${(tAttack * 1000).toFixed(3)} ms; release τ set ${release * 1000} ms measured ${(tRelease * 1000).toFixed(3)} ms`);
    expect(Math.abs(tAttack - attack) / attack).toBeLessThan(0.02);
    expect(Math.abs(tRelease - release) / release).toBeLessThan(0.02);
  });
});

describe('compressor sidechain, linking, determinism', () => {
  it('an external sidechain (kick) ducks the bass; without it the bass is untouched', () => {
    const bass = sine(SR, 55, 0.1, SR); // -20 dBFS, below threshold
    const kick = new Float32Array(SR);
    for (let i = 0; i < SR; i++) kick[i] = i % 24000 < 2400 ? 0.9 * Math.sin((2 * Math.PI * 60 * i) / SR) : 0;
    const p = { threshold: -24, ratio: 10, knee: 0, attack: 0.001, release: 0.05 };
    const [ducked] = renderBlocks(comp(p), [bass], 128, 1, [kick, kick]);
    const [selfOnly] = renderBlocks(comp({ ...p, threshold: -6 }), [bass], 128, 1);
    let minRatio = 1;
    for (let i = 200; i < 2400; i++) if (Math.abs(bass[i]!) > 0.05) minRatio = Math.min(minRatio, Math.abs(ducked![i]! / bass[i]!));
    console.log(`bass ducked by ${(-db(minRatio)).toFixed(1)} dB under the kick`);
    expect(-db(minRatio)).toBeGreaterThan(12);
    expect(maxDiff([selfOnly!], [bass])).toBe(0);
  });

  it('stereo-linked: a loud left channel reduces the right by the same gain', () => {
    const l = square(SR / 4, 100, 1);
    const r = square(SR / 4, 100, 0.01);
    const [yl, yr] = renderBlocks(comp({ threshold: -20, ratio: 4 }), [l, r], 128);
    expect(yl![SR / 4 - 1]! / l[SR / 4 - 1]!).toBeCloseTo(yr![SR / 4 - 1]! / r[SR / 4 - 1]!, 5);
  });

  it('is block-size independent (128 vs 4096) with a parameter change at the same sample', () => {
    const x = [seededNoise(SR, 0.9, 1), seededNoise(SR, 0.9, 2)];
    const render = (block: number) => {
      const c = new CompressorProcessor(SR);
      c.setParams({ threshold: -20, ratio: 6, detector: 'rms' });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        if (i === 12288) c.setParams({ threshold: -10, makeup: 4 });
        const n = Math.min(block, SR - i);
        c.process(x.map((ch) => ch.subarray(i, i + n)), outs.map((ch) => ch.subarray(i, i + n)), n);
      }
      return outs;
    };
    expect(maxDiff(render(128), render(4096))).toBe(0);
  });

  it('in place, mono and stereo, gives exactly the samples of separate output buffers', () => {
    const x = [seededNoise(SR / 2, 0.9, 5), seededNoise(SR / 2, 0.5, 6)];
    const p = { threshold: -24, ratio: 5, knee: 4, attack: 0.002, release: 0.06, makeup: 2 };
    for (const chans of [1, 2]) {
      const ins = x.slice(0, chans);
      const separate = renderBlocks(comp(p), ins, 1000);
      const work = ins.map((ch) => ch.slice());
      const c = comp(p)();
      for (let i = 0; i < work[0]!.length; i += 1000) {
        const n = Math.min(1000, work[0]!.length - i);
        const blk = work.map((ch) => ch.subarray(i, i + n));
        if (i === 12000) c.setParams({ threshold: -12 });
        c.process(blk, blk, n);
      }
      // The separate render changes nothing mid-way: compare only up to the change.
      expect(maxDiff(work.map((ch) => ch.subarray(0, 12000)), separate.map((ch) => ch.subarray(0, 12000)))).toBe(0);
      expect(separate[0]!.some((v, i) => v !== ins[0]![i])).toBe(true);
    }
  });

  it('quiet stretches (nothing past the knee, reduction released to 0) give the same samples in place and out of place, any block size', () => {
    // Loud, then 2 s quiet (the fast release reaches exactly 0), then loud again.
    const n = 3 * SR;
    const x = [seededNoise(n, 0.9, 7), seededNoise(n, 0.9, 8)];
    for (const ch of x) for (let i = SR / 2; i < (5 * SR) / 2; i++) ch[i] = Math.fround(ch[i]! * 0.01);
    for (const makeup of [0, 4]) {
      const p = { threshold: -20, ratio: 4, knee: 6, attack: 0.001, release: 0.01, makeup };
      const [l4096, r4096] = renderBlocks(comp(p), x, 4096);
      const work = x.map((ch) => ch.slice());
      const c = comp(p)();
      let sawZero = false;
      for (let i = 0; i < n; i += 128) {
        const blk = work.map((ch) => ch.subarray(i, i + 128));
        c.process(blk, blk, 128);
        sawZero ||= i > SR && c.gainReductionDb === 0;
      }
      expect(sawZero).toBe(true);
      expect(maxDiff(work, [l4096!, r4096!])).toBe(0);
      // Loud again after the gap: compressed again.
      expect(c.gainReductionDb).toBeGreaterThan(1);
    }
  });

  it('a NaN or infinite input sample does not poison the state: later output is finite and compressed', () => {
    for (const detector of ['peak', 'rms'] as const) {
      for (const bad of [NaN, Infinity]) {
        const x = square(SR / 2, 100, 1);
        x[1000] = bad;
        const [y] = renderBlocks(comp({ threshold: -20, ratio: 4, knee: 0, detector }), [x], 128);
        const tail = y!.subarray(SR / 2 - 4800);
        expect(tail.every((v) => Number.isFinite(v))).toBe(true);
        // Back to the steady 15 dB of reduction on a 0 dBFS square.
        expect(db(Math.abs(tail[tail.length - 1]!))).toBeCloseTo(-15, 1);
      }
    }
  });

  it('reports gain reduction for meters and refuses NaN', () => {
    const c = new CompressorProcessor(SR);
    c.setParams({ threshold: -20, ratio: 4, knee: 0 });
    const x = square(SR / 2, 100, 1);
    c.process([x], [new Float32Array(x.length)], x.length);
    expect(c.takeGainReductionPeak()).toBeCloseTo(15, 2);
    expect(() => c.setParams({ ratio: NaN })).toThrow(DspParamError);
    expect(c.getParams().ratio).toBe(4);
  });
});
