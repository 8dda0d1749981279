import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type { SendParam, SendParamValue } from './SEND_PARAMS.ts';
import { setParam } from './setParam.ts';

export interface SetSendParamArgs<P extends SendParam> {
  fromId: Id;
  busId: Id;
  /** 'level' (dB), 'pre' (pre-fader) or 'on'. */
  param: P;
  value: SendParamValue<P>;
}

/** Sets the level, pre/post or on/off of an existing send. */
export function setSendParam<P extends SendParam>(doc: Y.Doc, args: SetSendParamArgs<P>, origin: TransactionOrigin): void {
  setParam(doc, { kind: 'send', fromId: args.fromId, busId: args.busId, param: args.param }, args.value, origin);
}
