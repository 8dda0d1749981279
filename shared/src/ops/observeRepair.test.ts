import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { addBus } from './addBus.ts';
import { addTrack } from './addTrack.ts';
import { observeRepair } from './observeRepair.ts';
import { repairMix } from './repairMix.ts';
import { setOutput } from './setOutput.ts';
import { setTrackParam } from './setTrackParam.ts';
import { touchesRouting } from './touchesRouting.ts';

const user = createOrigin('local-user', 'u');
const repairOrigin = createOrigin('repair', 'peer');
const check = createOrigin('repair', 'check');

describe('observeRepair', () => {
  it('repairs a merged cycle as soon as the remote update lands, and stops when disposed', () => {
    const a = new Y.Doc();
    initMixDoc(a, { title: 't', sampleRate: 48000 });
    addBus(a, { kind: 'group', name: 'A', id: 'ga' }, user);
    addBus(a, { kind: 'group', name: 'B', id: 'gb' }, user);
    addBus(a, { kind: 'group', name: 'C', id: 'gc' }, user);
    addBus(a, { kind: 'group', name: 'D', id: 'gd' }, user);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const repairs: unknown[] = [];
    a.on('afterTransaction', (tr: Y.Transaction) => tr.origin === repairOrigin && repairs.push(tr.origin));
    const dispose = observeRepair(a, repairOrigin);
    setOutput(a, { id: 'ga', output: 'gb' }, user);
    setOutput(b, { id: 'gb', output: 'ga' }, user);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b), 'provider');
    expect(repairs).toHaveLength(1);
    expect(repairMix(a, check)).toEqual([]);
    expect(readMixState(a).buses.find((x) => x.id === 'gb')!.output).toBe('master');
    dispose();
    setOutput(a, { id: 'gc', output: 'gd' }, user);
    setOutput(b, { id: 'gd', output: 'gc' }, user);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b), 'provider');
    expect(repairs).toHaveLength(1);
    expect(repairMix(a, check)).toEqual([{ kind: 'output-to-master', owner: 'bus', id: 'gd' }]);
  });

  it('tells routing edits from parameter edits', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev' });
    const seen: boolean[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(touchesRouting(doc, tr)));
    const id = addTrack(doc, { name: 'x', stem: null }, user);
    setTrackParam(doc, { trackId: id, param: 'gain', value: -3 }, user);
    setTrackParam(doc, { trackId: id, param: 'eq.bands.1.freq', value: 500 }, user);
    setOutput(doc, { id, output: 'master' }, user); // unchanged: empty transaction
    doc.transact(() => ((doc.getMap('mix').get('tracks') as Y.Map<Y.Map<Y.Map<unknown>>>).get(id)!.get('sends')!.set('rev', new Y.Map())));
    doc.transact(() => ((doc.getMap('mix').get('tracks') as Y.Map<Y.Map<Y.Map<unknown>>>).get(id)!.get('comp')!.set('sidechain', 'zz')));
    expect(seen).toEqual([true, false, false, false, true, true]);
  });
});
