import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { findBusCycle } from '../model/findBusCycle.ts';
import { defaultSend } from '../model/mixDefaults.ts';
import { readMixState } from '../model/readMixState.ts';
import { SEND_PARAMS } from './SEND_PARAMS.ts';
import { MixOpError } from './MixOpError.ts';
import { requireBusMap, requireStripMap } from './requireMixMaps.ts';
import { coerceParam } from './ParamSpec.ts';

export interface AddSendArgs {
  /** The track or group bus that sends. */
  fromId: Id;
  /** The aux bus that receives. */
  busId: Id;
  level?: number;
  pre?: boolean;
}

/**
 * Adds a send (on, post-fader, 0 dB unless given) from a track or group bus to an aux bus.
 * One send per bus: sends live in a map keyed by bus id, so two users adding the same send
 * at once converge on one. Adding an existing send leaves it as it is.
 */
export function addSend(doc: Y.Doc, args: AddSendArgs, origin: TransactionOrigin): void {
  const { owner, map } = requireStripMap(doc, args.fromId);
  const target = requireBusMap(doc, args.busId);
  if (target.get('kind') !== 'aux') throw new MixOpError('invalid-target', 'Sends go to aux returns; route to a group bus with its output instead');
  if (owner === 'bus' && map.get('kind') !== 'group') throw new MixOpError('invalid-target', 'Aux returns have no sends');
  const send = defaultSend(args.busId);
  if (args.level !== undefined) send.level = coerceParam(SEND_PARAMS.level, args.level, 'Send level') as number;
  if (args.pre !== undefined) send.pre = coerceParam(SEND_PARAMS.pre, args.pre, 'Send pre') as boolean;
  if (owner === 'bus') {
    const state = readMixState(doc);
    const buses = state.buses.map((b) => (b.id === args.fromId ? { ...b, sends: [...b.sends, send] } : b));
    if (findBusCycle(buses)) throw new MixOpError('would-create-cycle', 'This send would feed the bus back into itself');
  }
  doc.transact(() => {
    let sends = map.get('sends');
    if (!(sends instanceof Y.Map)) {
      sends = new Y.Map<unknown>();
      map.set('sends', sends);
    }
    const sendsMap = sends as Y.Map<unknown>;
    if (sendsMap.get(args.busId) instanceof Y.Map) return;
    const entry = new Y.Map<unknown>();
    sendsMap.set(args.busId, entry);
    entry.set('level', send.level);
    entry.set('pre', send.pre);
    entry.set('on', send.on);
  }, origin);
}
