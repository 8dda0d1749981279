import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type * as Y from 'yjs';
import type { Id, OutputTarget } from '../model/MixState.ts';
import { findBusCycle } from '../model/findBusCycle.ts';
import { readMixState } from '../model/readMixState.ts';
import { MixOpError } from './MixOpError.ts';
import { requireBusMap, requireStripMap } from './requireMixMaps.ts';

/**
 * Routes a track or bus to the master or to a group bus. Refuses aux buses as targets
 * (they are fed by sends), a bus routed to itself, and any routing cycle. A cycle made by
 * two users at once is cut by repairMix.
 */
export function setOutput(doc: Y.Doc, args: { id: Id; output: OutputTarget }, origin: TransactionOrigin): void {
  const { owner, map } = requireStripMap(doc, args.id);
  const output = args.output;
  if (output !== 'master') {
    const target = requireBusMap(doc, output);
    if (target.get('kind') !== 'group') throw new MixOpError('invalid-target', 'Outputs go to the master or a group bus, not an aux return');
    if (output === args.id) throw new MixOpError('would-create-cycle', 'A bus cannot output to itself');
    if (owner === 'bus') {
      const state = readMixState(doc);
      const buses = state.buses.map((b) => (b.id === args.id ? { ...b, output } : b));
      if (findBusCycle(buses)) throw new MixOpError('would-create-cycle', 'This routing would feed the bus back into itself');
    }
  }
  doc.transact(() => {
    if (map.get('output') !== output) map.set('output', output);
  }, origin);
}
