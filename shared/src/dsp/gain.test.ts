import { describe, expect, it } from 'vitest';
import { dbToGain, gainToDb } from './decibels.ts';
import { DspParamError } from './DspParamError.ts';
import { GainProcessor, linearGainOf } from './gain.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { seededNoise } from './testSignals.testkit.ts';
import { maxDiff } from './testSignals.testkit.ts';

const SR = 48000;

describe('GainProcessor', () => {
  it('applies trim + gain in dB and polarity; dB helpers round-trip', () => {
    expect(gainToDb(dbToGain(-7.5))).toBeCloseTo(-7.5, 12);
    expect(linearGainOf({ gain: -6, trim: 0, polarity: false, mute: false })).toBeCloseTo(0.501187, 6);
    const k = new GainProcessor(SR);
    k.setParams({ gain: -3, trim: -3, polarity: true });
    const x = new Float32Array([0.5, -0.25, 1]);
    const y = new Float32Array(3);
    k.process([x], [y], 3);
    expect(gainToDb(Math.abs(y[2]!))).toBeCloseTo(-6, 5);
    expect(Math.sign(y[0]!)).toBe(-1);
  });

  it('ramps a change linearly over PARAM_RAMP_SECONDS, the same for 128- and 4096-frame blocks', () => {
    const x = [seededNoise(SR, 0.5, 61), seededNoise(SR, 0.5, 62)];
    const render = (block: number) => {
      const k = new GainProcessor(SR);
      k.setParams({ gain: 0 });
      const outs = [new Float32Array(SR), new Float32Array(SR)];
      for (let i = 0; i < SR; i += block) {
        if (i === 4096 * 3) k.setParams({ gain: -12, polarity: true });
        if (i === 4096 * 7) k.setParams({ mute: true });
        const n = Math.min(block, SR - i);
        k.process(x.map((c) => c.subarray(i, i + n)), outs.map((c) => c.subarray(i, i + n)), n);
      }
      return outs;
    };
    const a = render(128);
    expect(maxDiff(a, render(4096))).toBe(0);
    // Halfway through the ramp the factor is halfway between 1 and -dbToGain(-12).
    const mid = 4096 * 3 + paramRampFrames(SR) / 2;
    expect(a[0]![mid]! / x[0]![mid]!).toBeCloseTo((1 - dbToGain(-12)) / 2, 3);
    expect(Math.abs(a[0]![SR - 1]!)).toBe(0);
  });

  it('refuses NaN', () => {
    const k = new GainProcessor(SR);
    expect(() => k.setParams({ gain: NaN })).toThrow(DspParamError);
    expect(() => k.setParams({ polarity: 'yes' as never })).toThrow(DspParamError);
  });
});
