import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type { EffectParam } from './BUS_PARAMS.ts';
import { setParam } from './setParam.ts';

/**
 * Sets a parameter of an aux bus's effect: reverb decay/preDelay/damping or delay
 * time/feedback/damping. Refuses params that do not belong to the bus's current effect.
 */
export function setBusEffectParam(doc: Y.Doc, args: { busId: Id; param: EffectParam; value: number }, origin: TransactionOrigin): void {
  setParam(doc, { kind: 'effect', busId: args.busId, param: args.param }, args.value, origin);
}
