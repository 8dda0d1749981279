import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { BusKind, Id } from '../model/MixState.ts';
import { createId, isValidId } from '../model/createId.ts';
import { defaultBus, defaultDelay, defaultReverb } from '../model/mixDefaults.ts';
import { busToDocShape } from '../model/mixDocShape.ts';
import { MIX_CAPS } from '../model/MIX_CAPS.ts';
import { syncYMap } from '../model/syncYMap.ts';
import { MixOpError } from './MixOpError.ts';
import type { EffectType } from './BUS_PARAMS.ts';
import { checkName } from './checkName.ts';
import { nextOrder } from './nextOrder.ts';
import { requireBusesMap, requireTracksMap } from './requireMixMaps.ts';

export interface AddBusArgs {
  /** 'aux': a send-fed effect return; 'group': a sub-mix that tracks route their output to. */
  kind: BusKind;
  name: string;
  /** The aux return's effect (default reverb); ignored for groups. */
  effect?: EffectType;
  id?: Id;
}

/**
 * Adds a bus at unity, centred, to master. Aux returns start solo-safe with a default
 * reverb or delay at 100% wet. @returns the new bus's id.
 */
export function addBus(doc: Y.Doc, args: AddBusArgs, origin: TransactionOrigin): Id {
  if (args.kind !== 'aux' && args.kind !== 'group') throw new MixOpError('invalid-value', 'A bus is either an aux return or a group');
  if (args.effect !== undefined && args.effect !== 'reverb' && args.effect !== 'delay') {
    throw new MixOpError('invalid-value', 'An aux effect is a reverb or a delay');
  }
  const name = checkName(args.name, 'Bus name');
  const id = args.id ?? createId();
  if (!isValidId(id)) throw new MixOpError('invalid-value', 'Bus id must be 1..64 letters, digits, _ or - (and not "master")');
  const buses = requireBusesMap(doc);
  if (buses.size >= MIX_CAPS.buses) throw new MixOpError('too-many-strips', `A mix holds at most ${MIX_CAPS.buses} buses`);
  if (buses.has(id) || requireTracksMap(doc).has(id)) throw new MixOpError('invalid-value', `Id ${id} is already used`);
  doc.transact(() => {
    const state = defaultBus(id, name, args.kind, nextOrder(buses));
    if (args.kind === 'aux') state.effect = args.effect === 'delay' ? defaultDelay() : defaultReverb();
    const map = new Y.Map<unknown>();
    buses.set(id, map);
    syncYMap(map, busToDocShape(state));
  }, origin);
  return id;
}
