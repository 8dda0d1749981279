import { MIX_RANGES as R } from '../model/mixRanges.ts';
import { booleanParam, numberParam, type ParamValueOf } from './ParamSpec.ts';

/** Parameters of one send, by key in its Y.Map (sends[busId]). */
export const SEND_PARAMS = {
  level: numberParam(R.sendLevel),
  pre: booleanParam,
  on: booleanParam,
} as const;

export type SendParam = keyof typeof SEND_PARAMS;
export type SendParamValue<P extends SendParam> = ParamValueOf<(typeof SEND_PARAMS)[P]>;
