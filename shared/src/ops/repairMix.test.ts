import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { getBusMap, getTrackMap } from '../model/mixDocAccessors.ts';
import { readMixState } from '../model/readMixState.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { addBus } from './addBus.ts';
import { addSend } from './addSend.ts';
import { addTrack } from './addTrack.ts';
import { removeBus } from './removeBus.ts';
import { removeTrack } from './removeTrack.ts';
import { repairMix } from './repairMix.ts';
import { setOutput } from './setOutput.ts';
import { setSidechain } from './setSidechain.ts';

const user = createOrigin('local-user', 'u');
const repair = createOrigin('repair', 'peer');

function sync(...docs: Y.Doc[]) {
  for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

function pair() {
  const a = new Y.Doc();
  initMixDoc(a, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(a, { name: 'Kick', stem: null, id: 'kick' }, user);
  addTrack(a, { name: 'Bass', stem: null, id: 'bass' }, user);
  addBus(a, { kind: 'group', name: 'A', id: 'ga' }, user);
  addBus(a, { kind: 'group', name: 'B', id: 'gb' }, user);
  const b = new Y.Doc();
  sync(a, b);
  return { a, b };
}

describe('repairMix', () => {
  it('breaks a group cycle made concurrently the same way on both peers', () => {
    const { a, b } = pair();
    setOutput(a, { id: 'ga', output: 'gb' }, user);
    setOutput(b, { id: 'gb', output: 'ga' }, user);
    sync(a, b);
    // Each peer alone is valid, the merge is not: readMixState already shows it repaired.
    expect(validateMixState(readMixState(a)).ok).toBe(true);
    // Both repair concurrently, before seeing each other's fix.
    const fa = repairMix(a, repair);
    const fb = repairMix(b, repair);
    expect(fa).toEqual([{ kind: 'output-to-master', owner: 'bus', id: 'gb' }]);
    expect(fb).toEqual(fa);
    sync(a, b);
    expect(repairMix(a, repair)).toEqual([]);
    expect(repairMix(b, repair)).toEqual([]);
    const state = readMixState(a);
    expect(state).toEqual(readMixState(b));
    expect(state.buses.find((x) => x.id === 'ga')!.output).toBe('gb');
    expect(state.buses.find((x) => x.id === 'gb')!.output).toBe('master');
  });

  it('drops sends, outputs and sidechains that point to objects deleted concurrently', () => {
    const { a, b } = pair();
    addSend(a, { fromId: 'kick', busId: 'rev' }, user);
    setOutput(a, { id: 'kick', output: 'ga' }, user);
    addSend(a, { fromId: 'ga', busId: 'dly' }, user);
    setSidechain(a, { trackId: 'bass', source: 'kick' }, user);
    removeBus(b, { busId: 'rev' }, user);
    removeBus(b, { busId: 'ga' }, user);
    removeBus(b, { busId: 'dly' }, user);
    removeTrack(b, { trackId: 'kick' }, user);
    addTrack(b, { name: 'Kick', stem: null, id: 'kick2' }, user);
    sync(a, b);
    const fixes = [...repairMix(a, repair), ...repairMix(b, repair)];
    expect(fixes.length).toBeGreaterThan(0);
    sync(a, b);
    const state = readMixState(a);
    expect(state).toEqual(readMixState(b));
    expect(state.tracks.find((t) => t.id === 'bass')!.comp.sidechain).toBeNull();
    expect(getTrackMap(a, 'bass')!.toJSON().comp.sidechain).toBeNull();
    expect(validateMixState(state).ok).toBe(true);
    expect(repairMix(a, repair)).toEqual([]);
  });

  it('removes aux sends, self sidechains, self outputs and routes to aux buses', () => {
    const { a } = pair();
    a.transact(() => {
      const rev = getBusMap(a, 'rev')!;
      const sends = rev.get('sends') as Y.Map<unknown>;
      const s = new Y.Map<unknown>();
      sends.set('dly', s);
      s.set('level', 0);
      getBusMap(a, 'ga')!.set('output', 'ga');
      getTrackMap(a, 'kick')!.set('output', 'rev');
      (getTrackMap(a, 'bass')!.get('comp') as Y.Map<unknown>).set('sidechain', 'bass');
    });
    const fixes = repairMix(a, repair);
    expect(fixes).toEqual(
      expect.arrayContaining([
        { kind: 'drop-send', owner: 'bus', id: 'rev', bus: 'dly' },
        { kind: 'output-to-master', owner: 'bus', id: 'ga' },
        { kind: 'output-to-master', owner: 'track', id: 'kick' },
        { kind: 'clear-sidechain', id: 'bass' },
      ]),
    );
    expect(fixes).toHaveLength(4);
    const sv = Y.encodeStateVector(a);
    expect(repairMix(a, repair)).toEqual([]);
    expect(Y.encodeStateVector(a)).toEqual(sv);
  });

  it('cuts a cycle that runs through an aux send', () => {
    const { a, b } = pair();
    setOutput(a, { id: 'rev', output: 'ga' }, user);
    addSend(b, { fromId: 'ga', busId: 'rev' }, user);
    sync(a, b);
    repairMix(a, repair);
    repairMix(b, repair);
    sync(a, b);
    const state = readMixState(a);
    expect(state).toEqual(readMixState(b));
    expect(validateMixState(state).ok).toBe(true);
    // 'rev' > 'ga': the aux's output edge is cut, the group's send kept.
    expect(state.buses.find((x) => x.id === 'rev')!.output).toBe('master');
    expect(state.buses.find((x) => x.id === 'ga')!.sends.map((s) => s.bus)).toEqual(['rev']);
  });
});
