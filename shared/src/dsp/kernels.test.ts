import { describe, expect, it } from 'vitest';
import { BiquadProcessor } from './biquad.ts';
import { CompressorProcessor } from './compressor.ts';
import { DeesserProcessor } from './deesser.ts';
import { DelayProcessor } from './delay.ts';
import { DspParamError } from './DspParamError.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { GainProcessor } from './gain.ts';
import { GateProcessor } from './gate.ts';
import { LimiterProcessor } from './limiter.ts';
import { ReverbProcessor } from './reverb.ts';
import { SaturationProcessor } from './saturation.ts';
import { StereoPannerProcessor } from './stereoPanner.ts';

const SR = 48000;

// Every kernel and its numeric parameters: bad values must be refused with a typed error
// and leave the kernel's parameters as they were.
const KERNELS: Array<[string, () => DspProcessor<object>, string[]]> = [
  ['biquad', () => new BiquadProcessor(SR), ['frequency', 'Q', 'gain']],
  ['gain', () => new GainProcessor(SR), ['gain', 'trim']],
  ['panner', () => new StereoPannerProcessor(SR), ['pan']],
  ['compressor', () => new CompressorProcessor(SR), ['threshold', 'ratio', 'attack', 'release', 'knee', 'makeup']],
  ['de-esser', () => new DeesserProcessor(SR), ['freq', 'threshold', 'range']],
  ['saturation', () => new SaturationProcessor(SR), ['drive', 'mix']],
  ['gate', () => new GateProcessor(SR), ['threshold', 'range', 'ratio', 'attack', 'hold', 'release', 'hysteresis', 'scHpf']],
  ['limiter', () => new LimiterProcessor(SR), ['ceiling', 'release']],
  ['reverb', () => new ReverbProcessor(SR), ['decay', 'preDelay', 'damping']],
  ['delay', () => new DelayProcessor(SR), ['time', 'feedback', 'damping']],
];

describe('every kernel validates its parameters', () => {
  for (const [name, make, params] of KERNELS) {
    it(`${name}: NaN, ±Infinity, strings and null are refused with DspParamError; state unchanged`, () => {
      const k = make();
      const before = JSON.stringify(k.getParams());
      for (const param of params) {
        for (const bad of [NaN, Infinity, -Infinity, '3', null]) {
          expect(() => k.setParams({ [param]: bad })).toThrow(DspParamError);
        }
      }
      expect(() => k.setParams(null as never)).toThrow(DspParamError);
      expect(JSON.stringify(k.getParams())).toBe(before);
      // Out-of-range values are clamped, not refused.
      for (const param of params) k.setParams({ [param]: 1e12 });
      for (const param of params) expect(Number.isFinite((k.getParams() as Record<string, number>)[param])).toBe(true);
    });
  }

  it('a zero-length block is a no-op for every kernel', () => {
    for (const [, make] of KERNELS) {
      const k = make();
      const x = [new Float32Array(0), new Float32Array(0)];
      expect(() => k.process(x, x, 0)).not.toThrow();
    }
  });
});
