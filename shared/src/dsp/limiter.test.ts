import { describe, expect, it } from 'vitest';
import { LimiterProcessor, type LimiterParams } from './limiter.ts';
import { Oversampler4x } from './Oversampler4x.ts';
import { BiquadProcessor } from './biquad.ts';
import { seededNoise } from './renderInChromium.testkit.ts';
import { maxDiff, peakOf, renderBlocks, sine } from './testSignals.testkit.ts';

const SR = 48000;
const db = (x: number) => 20 * Math.log10(x);

function lim(p: Partial<LimiterParams>): () => LimiterProcessor {
  return () => {
    const l = new LimiterProcessor(SR);
    l.setParams(p);
    return l;
  };
}

/** True peak via a separate, longer 4x interpolator (a meter, not the limiter's detector). */
function truePeak(x: Float32Array): number {
  const os = new Oversampler4x(193, 9);
  const hi = new Float64Array(4);
  let p = 0;
  for (let i = 0; i < x.length; i++) {
    os.up(x[i]!, hi, 0);
    for (let k = 0; k < 4; k++) p = Math.max(p, Math.abs(hi[k]!));
  }
  return p;
}

describe('LimiterProcessor', () => {
  it('never lets a sample exceed the ceiling on loud random and sine input', () => {
    const noise = seededNoise(SR * 2, 4, 12); // +12 dBFS noise
    const tone = sine(SR * 2, 997, 3, SR);
    for (let i = SR; i < 2 * SR; i++) noise[i] = tone[i]! + (i % 4801 === 0 ? 6 : 0); // plus spikes
    const ceiling = -1;
    const c = Math.pow(10, ceiling / 20);
    const [l, r] = renderBlocks(lim({ ceiling, release: 0.05 }), [noise, tone], 128);
    const pk = Math.max(peakOf(l!), peakOf(r!));
    const tp = Math.max(truePeak(l!), truePeak(r!));
    console.log(`white noise +12 dBFS, ceiling ${ceiling} dBFS: output sample peak ${db(pk).toFixed(4)} dBFS, true peak ${db(tp).toFixed(3)} dBTP`);
    expect(pk).toBeLessThanOrEqual(c);
  });

  it('keeps the true peak of band-limited (music-like) material within 0.5 dB of the ceiling', () => {
    // Noise through a 6 kHz low-pass plus a bass tone, 9 dB over the ceiling.
    const lp = new BiquadProcessor(SR);
    lp.setParams({ type: 'lowpass', frequency: 6000, Q: 0 });
    const n = seededNoise(SR * 2, 2.5, 31);
    lp.process([n], [n], n.length);
    const bass = sine(SR * 2, 60, 0.8, SR);
    const x = n.map((v, i) => v + bass[i]!);
    const ceiling = -1;
    const [y] = renderBlocks(lim({ ceiling, release: 0.08 }), [x], 128);
    const tpIn = truePeak(x);
    const tp = truePeak(y!);
    console.log(`band-limited input true peak ${db(tpIn).toFixed(2)} dBTP -> output sample peak ${db(peakOf(y!)).toFixed(3)} dBFS, true peak ${db(tp).toFixed(3)} dBTP`);
    expect(peakOf(y!)).toBeLessThanOrEqual(Math.pow(10, ceiling / 20));
    expect(db(tp)).toBeLessThan(ceiling + 0.5);
  });

  it('is transparent below the ceiling: output is exactly the input delayed by latencyFrames', () => {
    const x = [sine(SR, 440, 0.5, SR), seededNoise(SR, 0.5, 3)];
    const k = new LimiterProcessor(SR);
    const L = k.latencyFrames;
    console.log(`limiter latency ${L} frames (${((L / SR) * 1000).toFixed(2)} ms)`);
    const y = renderBlocks(lim({ ceiling: -1 }), x, 128);
    const delayed = x.map((c) => {
      const d = new Float32Array(SR);
      d.set(c.subarray(0, SR - L), L);
      return d;
    });
    expect(maxDiff(y, delayed)).toBe(0);
  });

  it('reaches the full reduction at the peak (lookahead) and releases with the set τ', () => {
    const x = new Float32Array(SR);
    x.fill(0.1);
    x[10000] = 1; // a single 0 dBFS sample over a steady -20 dBFS level
    const release = 0.05;
    const [y] = renderBlocks(lim({ ceiling: -6, release }), [x], 128);
    const k = new LimiterProcessor(SR);
    const L = k.latencyFrames;
    const c = Math.pow(10, -6 / 20);
    expect(y![10000 + L]!).toBeLessThanOrEqual(c);
    expect(y![10000 + L]!).toBeGreaterThan(c * 0.999);
    // After the burst the gain (y / 0.1) recovers from c to 1 with τ = release.
    const gainAt = (i: number) => y![i]! / 0.1;
    const start = 10001 + L;
    const g0 = gainAt(start);
    let tau = NaN;
    for (let i = start; i < SR; i++) {
      if ((gainAt(i) - g0) / (1 - g0) >= 1 - Math.exp(-1)) {
        tau = (i - start) / SR;
        break;
      }
    }
    console.log(`limiter release τ set ${release * 1000} ms measured ${(tau * 1000).toFixed(2)} ms`);
    expect(Math.abs(tau - release) / release).toBeLessThan(0.1);
  });

  it('is block-size independent (128 vs 4096) including a ceiling change', () => {
    const x = [seededNoise(SR, 2, 21), seededNoise(SR, 2, 22)];
    const render = (block: number) => {
      const l = new LimiterProcessor(SR);
      l.setParams({ ceiling: -0.3, release: 0.1 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        if (i === 16384) l.setParams({ ceiling: -3 });
        const n = Math.min(block, SR - i);
        l.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
      }
      return outs;
    };
    expect(maxDiff(render(128), render(4096))).toBe(0);
  });
});
