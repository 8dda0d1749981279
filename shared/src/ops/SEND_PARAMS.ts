import { SEND_SPEC } from '../model/SendSpec.ts';
import type { ParamValueOf } from './ParamSpec.ts';

/** Parameters of one send, by key in its Y.Map (sends[busId]), from the send record's table. */
export const SEND_PARAMS = SEND_SPEC;

export type SendParam = keyof typeof SEND_PARAMS;
export type SendParamValue<P extends SendParam> = ParamValueOf<(typeof SEND_PARAMS)[P]>;
