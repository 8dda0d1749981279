import { describe, expect, it } from 'vitest';
import { DELAY_SPEC, REVERB_SPEC } from '../model/BusSpec.ts';
import { MASTER_SPEC } from '../model/MasterSpec.ts';
import type { NumberSpec } from '../model/ParamSpec.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { CompressorProcessor } from './compressor.ts';
import { DeesserProcessor } from './deesser.ts';
import { DelayProcessor } from './delay.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { GainProcessor } from './gain.ts';
import { GateProcessor } from './gate.ts';
import { LimiterProcessor } from './limiter.ts';
import { ReverbProcessor } from './reverb.ts';
import { SaturationProcessor } from './saturation.ts';

const SR = 48000;

// Each kernel and the record table its parameters come from: the kernel must accept
// exactly the range the model stores, no wider and no narrower.
const CASES: [string, () => DspProcessor<object>, Readonly<Record<string, NumberSpec>>][] = [
  ['gain', () => new GainProcessor(SR), { gain: TRACK_SPEC.gain, trim: TRACK_SPEC.trim }],
  ['compressor', () => new CompressorProcessor(SR), TRACK_SPEC.comp.params as unknown as Record<string, NumberSpec>],
  ['de-esser', () => new DeesserProcessor(SR), TRACK_SPEC.deess.params as unknown as Record<string, NumberSpec>],
  ['saturation', () => new SaturationProcessor(SR), TRACK_SPEC.sat.params as unknown as Record<string, NumberSpec>],
  ['gate', () => new GateProcessor(SR), TRACK_SPEC.gate.params as unknown as Record<string, NumberSpec>],
  ['limiter', () => new LimiterProcessor(SR), MASTER_SPEC.limiter.params as unknown as Record<string, NumberSpec>],
  ['reverb', () => new ReverbProcessor(SR), REVERB_SPEC],
  ['delay', () => new DelayProcessor(SR), DELAY_SPEC],
];

describe('kernel clamps come from the record tables', () => {
  for (const [name, make, specs] of CASES) {
    it(`${name}: clamps to the model's ranges`, () => {
      for (const [param, spec] of Object.entries(specs)) {
        if (spec.kind !== 'number') continue;
        const k = make();
        const read = () => (k.getParams() as Record<string, number>)[param];
        k.setParams({ [param]: spec.range.max + 1000 });
        expect([param, read()]).toEqual([param, spec.range.max]);
        k.setParams({ [param]: spec.range.min - 1000 });
        expect([param, read()]).toEqual([param, spec.range.min]);
        k.setParams({ [param]: spec.default });
        expect([param, read()]).toEqual([param, spec.default]);
      }
    });
  }

  it('the master glue fits inside the compressor kernel the track compressor sets', () => {
    for (const [param, glue] of Object.entries(MASTER_SPEC.glue.params)) {
      if (glue.kind !== 'number') continue;
      const comp = (TRACK_SPEC.comp.params as unknown as Record<string, NumberSpec>)[param]!;
      expect(glue.range.min).toBeGreaterThanOrEqual(comp.range.min);
      expect(glue.range.max).toBeLessThanOrEqual(comp.range.max);
    }
  });
});
