import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { MixOpError } from './MixOpError.ts';
import { SEND_PARAMS, type SendParam, type SendParamValue } from './SEND_PARAMS.ts';
import { requireStripMap } from './requireMixMaps.ts';
import { checkParam, writeParam } from './writeParam.ts';

export interface SetSendParamArgs<P extends SendParam> {
  fromId: Id;
  busId: Id;
  /** 'level' (dB), 'pre' (pre-fader) or 'on'. */
  param: P;
  value: SendParamValue<P>;
}

/** Sets the level, pre/post or on/off of an existing send. */
export function setSendParam<P extends SendParam>(doc: Y.Doc, args: SetSendParamArgs<P>, origin: unknown): void {
  const { map } = requireStripMap(doc, args.fromId);
  const sends = map.get('sends');
  const send = sends instanceof Y.Map ? sends.get(args.busId) : undefined;
  if (!(send instanceof Y.Map)) throw new MixOpError('unknown-bus', `There is no send to bus ${args.busId} (it may have been removed)`);
  checkParam(SEND_PARAMS, args.param, args.value, 'Send');
  doc.transact(() => writeParam(send as Y.Map<unknown>, SEND_PARAMS, args.param, args.value, 'Send'), origin);
}
