import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { applyAwarenessEntries } from './applyAwarenessEntries.ts';
import type { AwarenessEntry } from './validateAwarenessUpdate.ts';

const encode = (entries: readonly AwarenessEntry[]) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  }
  return encoding.toUint8Array(e);
};

/** An awareness (client id 1) whose events are recorded. */
const observed = () => {
  const doc = new Y.Doc();
  doc.clientID = 1;
  const awareness = new awarenessProtocol.Awareness(doc);
  const events: unknown[] = [];
  awareness.on('change', (change: unknown, origin: unknown) => events.push(['change', change, origin]));
  awareness.on('update', (change: unknown, origin: unknown) => events.push(['update', change, origin]));
  return { awareness, events };
};

describe('applyAwarenessEntries', () => {
  it('does what applyAwarenessUpdate does with the same entries (seeded random sequences)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const theirs = observed();
    const ours = observed();
    // The local client's own id: a remote removal of it must bump its clock instead.
    const ids = [1, 11, 12, 13];
    ours.awareness.setLocalState({ me: true });
    theirs.awareness.setLocalState({ me: true });
    ours.events.length = 0;
    theirs.events.length = 0;
    for (let step = 0; step < 400; step++) {
      const entries: AwarenessEntry[] = [];
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
        const clientId = ids[Math.floor(random() * ids.length)]!;
        const clock = Math.floor(random() * 6) + Math.floor(step / 20);
        const state = random() < 0.2 ? null : { playhead: Math.floor(random() * 3), nested: { x: Math.floor(random() * 2) } };
        entries.push({ clientId, clock, state });
      }
      awarenessProtocol.applyAwarenessUpdate(theirs.awareness, encode(entries), 'origin');
      applyAwarenessEntries(ours.awareness, entries, 'origin');
    }
    expect(ours.events).toEqual(theirs.events);
    expect(theirs.events.length).toBeGreaterThan(100);
    expect([...ours.awareness.getStates()]).toEqual([...theirs.awareness.getStates()]);
    const clocks = (a: awarenessProtocol.Awareness) => [...a.meta].map(([id, m]) => [id, m.clock]);
    expect(clocks(ours.awareness)).toEqual(clocks(theirs.awareness));
    ours.awareness.destroy();
    theirs.awareness.destroy();
  });
});
