import { MIX_RANGES as R } from '../model/mixRanges.ts';
import { booleanParam, numberParam, type ParamValueOf } from './ParamSpec.ts';

/** Scalar master parameters, by dotted path into the master Y.Map. */
export const MASTER_PARAMS = {
  gain: numberParam(R.fader),
  'glue.on': booleanParam,
  'glue.threshold': numberParam(R.glueThreshold),
  'glue.ratio': numberParam(R.glueRatio),
  'glue.attack': numberParam(R.glueAttack),
  'glue.release': numberParam(R.glueRelease),
  'glue.knee': numberParam(R.glueKnee),
  'glue.makeup': numberParam(R.glueMakeup),
  'limiter.on': booleanParam,
  'limiter.ceiling': numberParam(R.limiterCeiling),
  'limiter.release': numberParam(R.limiterRelease),
} as const;

export type MasterParam = keyof typeof MASTER_PARAMS;
export type MasterParamValue<P extends MasterParam> = ParamValueOf<(typeof MASTER_PARAMS)[P]>;
