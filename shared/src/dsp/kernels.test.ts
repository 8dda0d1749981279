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

describe('snapParams: a change heard from the next sample, audio state kept', () => {
  // One parameter per kernel moved far from where it starts (reverb params never ramp).
  const MOVES: Record<string, Record<string, number>> = {
    biquad: { frequency: 300 },
    gain: { gain: -12 },
    panner: { pan: 0.8 },
    compressor: { threshold: -40 },
    'de-esser': { threshold: -40, freq: 3000 },
    saturation: { drive: 18 },
    gate: { threshold: 0 },
    limiter: { ceiling: -12 },
    reverb: { decay: 3 },
    delay: { time: 0.002 },
  };
  const noise = (n: number, seed: number) => {
    const x = new Float32Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      x[i] = (s / 2 ** 32 - 0.5) * 0.8;
    }
    return x;
  };
  const song = [noise(4800, 7), noise(4800, 8)];
  /** Where a kernel starts, when not at its defaults: a delay ramping down from 10 ms reads the song during the ramp. */
  const START: Record<string, Record<string, number>> = { delay: { time: 0.01 } };

  const quiet = (n: number) => [new Float32Array(n), new Float32Array(n)];
  /** 256 frames of silence, `change`, `after` more, then `before` more, then the song. */
  const run = (make: () => DspProcessor<object>, start: object, change: (k: DspProcessor<object>) => void, after: number, before: number) => {
    const k = make();
    k.setParams(start);
    k.process(quiet(256), quiet(256), 256);
    if (before > 0) k.process(quiet(before), quiet(before), before);
    change(k);
    if (after > 0) k.process(quiet(after), quiet(after), after);
    const out = quiet(song[0]!.length);
    k.process(song, out, song[0]!.length);
    return out;
  };

  for (const [name, make] of KERNELS) {
    it(`${name}: snapping equals a ramp that finished in silence; a plain setParams ramps`, () => {
      const move = MOVES[name]!;
      // The same frames in all three: only where the change sits (and how) differs.
      const settle = 2 * 480;
      const start = START[name] ?? {};
      const ramped = run(make, start, (k) => k.setParams(move), settle, 0);
      const snapped = run(make, start, (k) => k.snapParams(move), 0, settle);
      const late = run(make, start, (k) => k.setParams(move), 0, settle);
      expect(snapped).toEqual(ramped);
      if (name !== 'reverb') expect(late).not.toEqual(snapped);
      expect(() => make().snapParams({ [Object.keys(move)[0]!]: NaN })).toThrow(DspParamError);
    });
  }
});
