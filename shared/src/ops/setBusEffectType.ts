import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { defaultDelay, defaultReverb } from '../model/mixDefaults.ts';
import { syncYMap } from '../model/syncYMap.ts';
import { type EffectType } from './BUS_PARAMS.ts';
import { MixOpError } from './MixOpError.ts';
import { requireBusMap } from './requireMixMaps.ts';

/** Switches an aux return's effect between reverb and delay (the new one at its defaults). */
export function setBusEffectType(doc: Y.Doc, args: { busId: Id; type: EffectType }, origin: TransactionOrigin): void {
  const bus = requireBusMap(doc, args.busId);
  if (bus.get('kind') !== 'aux') throw new MixOpError('invalid-target', 'Only aux returns have an effect');
  if (args.type !== 'reverb' && args.type !== 'delay') throw new MixOpError('invalid-value', 'An aux effect is a reverb or a delay');
  const current = bus.get('effect');
  if (current instanceof Y.Map && current.get('type') === args.type) return;
  doc.transact(() => {
    let effect = bus.get('effect');
    if (!(effect instanceof Y.Map)) {
      effect = new Y.Map<unknown>();
      bus.set('effect', effect);
    }
    syncYMap(effect as Y.Map<unknown>, { ...(args.type === 'delay' ? defaultDelay() : defaultReverb()) });
  }, origin);
}
