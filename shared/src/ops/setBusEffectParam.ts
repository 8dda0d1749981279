import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { EFFECT_PARAMS, type EffectParam } from './BUS_PARAMS.ts';
import { MixOpError } from './MixOpError.ts';
import { requireBusMap } from './requireMixMaps.ts';
import { checkParam, writeParam } from './writeParam.ts';

/**
 * Sets a parameter of an aux bus's effect: reverb decay/preDelay/damping or delay
 * time/feedback/damping. Refuses params that do not belong to the bus's current effect.
 */
export function setBusEffectParam(doc: Y.Doc, args: { busId: Id; param: EffectParam; value: number }, origin: unknown): void {
  const bus = requireBusMap(doc, args.busId);
  const effect = bus.get('effect');
  if (!(effect instanceof Y.Map)) throw new MixOpError('invalid-target', 'Only aux returns have an effect');
  const type = effect.get('type') === 'delay' ? 'delay' : 'reverb';
  const specs = EFFECT_PARAMS[type];
  checkParam(specs, args.param, args.value, `The ${type}`);
  doc.transact(() => writeParam(effect as Y.Map<unknown>, specs, args.param, args.value, `The ${type}`), origin);
}
