import { PAN_LAWS } from '../model/MixState.ts';
import { MIX_RANGES as R } from '../model/mixRanges.ts';
import { booleanParam, enumParam, numberParam, type ParamValueOf } from './ParamSpec.ts';

/** Scalar parameters of a bus strip (aux or group), by key in the bus's Y.Map. */
export const BUS_PARAMS = {
  gain: numberParam(R.fader),
  mute: booleanParam,
  solo: booleanParam,
  soloSafe: booleanParam,
  pan: numberParam(R.pan),
  panLaw: enumParam(PAN_LAWS),
} as const;

export type BusParam = keyof typeof BUS_PARAMS;
export type BusParamValue<P extends BusParam> = ParamValueOf<(typeof BUS_PARAMS)[P]>;

/** Parameters of each aux effect type, by key in the bus's `effect` Y.Map. */
export const EFFECT_PARAMS = {
  reverb: {
    decay: numberParam(R.reverbDecay),
    preDelay: numberParam(R.reverbPreDelay),
    damping: numberParam(R.effectDamping),
  },
  delay: {
    time: numberParam(R.delayTime),
    feedback: numberParam(R.delayFeedback),
    damping: numberParam(R.effectDamping),
  },
} as const;

export type EffectType = keyof typeof EFFECT_PARAMS;
export type EffectParam = { [T in EffectType]: keyof (typeof EFFECT_PARAMS)[T] }[EffectType];
