import { BUS_SPEC, EFFECT_SPECS } from '../model/BusSpec.ts';
import { flattenParams } from '../model/ParamTable.ts';
import type { ParamValueOf } from './ParamSpec.ts';

/** Scalar parameters of a bus strip (aux or group), by key in the bus's Y.Map, from the bus record's table. */
export const BUS_PARAMS = flattenParams(BUS_SPEC);

export type BusParam = keyof typeof BUS_PARAMS;
export type BusParamValue<P extends BusParam> = ParamValueOf<(typeof BUS_PARAMS)[P]>;

/** Parameters of each aux effect type, by key in the bus's `effect` Y.Map. */
export const EFFECT_PARAMS = EFFECT_SPECS;

export type EffectType = keyof typeof EFFECT_PARAMS;
export type EffectParam = { [T in EffectType]: keyof (typeof EFFECT_PARAMS)[T] }[EffectType];
