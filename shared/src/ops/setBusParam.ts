import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type { BusParam, BusParamValue } from './BUS_PARAMS.ts';
import { setParam } from './setParam.ts';

/** Sets a bus strip parameter ('gain', 'mute', 'solo', 'soloSafe', 'pan'); numbers clamped, bad input refused with MixOpError. */
export function setBusParam<P extends BusParam>(doc: Y.Doc, args: { busId: Id; param: P; value: BusParamValue<P> }, origin: TransactionOrigin): void {
  setParam(doc, { kind: 'bus', busId: args.busId, param: args.param }, args.value, origin);
}
