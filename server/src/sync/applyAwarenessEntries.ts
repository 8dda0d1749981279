import type * as awarenessProtocol from 'y-protocols/awareness';
import { equalityDeep } from 'lib0/function';
import type { AwarenessEntry } from './validateAwarenessUpdate.ts';

/**
 * y-protocols' `applyAwarenessUpdate` for entries already decoded (and stamped): the same
 * clock rules, the same `change` and `update` events. Encoding the entries only for
 * `applyAwarenessUpdate` to parse them again cost a JSON stringify and parse per presence
 * change on a loaded node. The states are kept as given: callers hand over objects of their
 * own that nothing mutates later.
 */
export function applyAwarenessEntries(awareness: awarenessProtocol.Awareness, entries: readonly AwarenessEntry[], origin: unknown): void {
  const timestamp = Date.now();
  // Telling a real change from a repeat (a deep compare per state) only matters to `change`
  // listeners; a room has none (it relays `update`), and the compare was 3% of a loaded node.
  const watchesChange = (awareness._observers.get('change')?.size ?? 0) > 0;
  const added: number[] = [];
  const updated: number[] = [];
  const filteredUpdated: number[] = [];
  const removed: number[] = [];
  for (const { clientId, clock: sentClock, state } of entries) {
    let clock = sentClock;
    const clientMeta = awareness.meta.get(clientId);
    const prevState = awareness.states.get(clientId);
    const currClock = clientMeta === undefined ? 0 : clientMeta.clock;
    if (!(currClock < clock || (currClock === clock && state === null && awareness.states.has(clientId)))) continue;
    if (state === null) {
      // Never let a remote client remove the local state: say it still exists instead.
      if (clientId === awareness.clientID && awareness.getLocalState() != null) clock++;
      else awareness.states.delete(clientId);
    } else {
      awareness.states.set(clientId, state);
    }
    awareness.meta.set(clientId, { clock, lastUpdated: timestamp });
    if (clientMeta === undefined && state !== null) added.push(clientId);
    else if (clientMeta !== undefined && state === null) removed.push(clientId);
    else if (state !== null) {
      if (watchesChange && !equalityDeep(state, prevState)) filteredUpdated.push(clientId);
      updated.push(clientId);
    }
  }
  if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0) {
    awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin]);
  }
  if (added.length > 0 || updated.length > 0 || removed.length > 0) {
    awareness.emit('update', [{ added, updated, removed }, origin]);
  }
}
