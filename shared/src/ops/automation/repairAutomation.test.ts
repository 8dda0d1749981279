import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_POINTS_PER_LANE } from '../../model/AutomationLane.ts';
import { AUTOMATION_KEY } from '../../model/AutomationRecord.ts';
import { initMixDoc } from '../../model/initMixDoc.ts';
import { getTrackMap } from '../../model/mixDocAccessors.ts';
import { readMixState } from '../../model/readMixState.ts';
import { createOrigin } from '../../protocol/TransactionOrigin.ts';
import { addSend } from '../addSend.ts';
import { addTrack } from '../addTrack.ts';
import { addAutomationPoint } from './addAutomationPoint.ts';
import { observeAutomationRepair } from './observeAutomationRepair.ts';
import { repairAutomation } from './repairAutomation.ts';

const o = createOrigin('local-user', 'u1');
const repair = createOrigin('repair', 'server');

function setup() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { name: 'Lead Vocal', stem: null, id: 'vox' }, o);
  addSend(doc, { fromId: 'vox', busId: 'rev' }, o);
  addAutomationPoint(doc, { address: { kind: 'track', trackId: 'vox', param: 'gain' }, time: 1, value: -3, id: 'g1' }, o);
  addAutomationPoint(doc, { address: { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' }, time: 2, value: -12, id: 's1' }, o);
  return doc;
}
const lanes = (doc: Y.Doc) => getTrackMap(doc, 'vox')!.get(AUTOMATION_KEY) as Y.Map<unknown>;
const pt = (param: string, time: unknown, value: unknown) => ({ param, time, value, curve: 'linear' });

describe('repairAutomation', () => {
  it('deletes the stored entries no lane holds and keeps every point peers read', () => {
    const doc = setup();
    const before = readMixState(doc);
    doc.transact(() => {
      const map = lanes(doc);
      map.set('nan', pt('gain', Number.NaN, 0));
      map.set('word', pt('gain', '3', 0));
      map.set('notalane', pt('comp.ratio', 1, 4));
      map.set('nosend', pt('sends.dly.level', 1, -6));
      map.set('bad id', pt('gain', 4, 0));
      map.set('junk', 'x');
      const nested = new Y.Map<unknown>();
      map.set('nested', nested);
      nested.set('param', 'gain');
      nested.set('time', 5);
      nested.set('value', 0);
      const ghost = new Y.Map<unknown>();
      map.set('__proto__', ghost);
      ghost.set('ghost', pt('gain', 6, 0));
    });
    // The read already ignores them, the `__proto__` key's inherited "points" included.
    expect(readMixState(doc).tracks[0]!.automation.gain!.points.map((p) => p.id)).toEqual(['g1', 'nested']);
    expect(repairAutomation(doc, repair)).toBe(8);
    expect([...lanes(doc).keys()].sort()).toEqual(['g1', 's1']);
    expect(readMixState(doc)).toEqual(before);
    // Idempotent: a valid document gets no transaction at all.
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    expect(repairAutomation(doc, repair)).toBe(0);
    expect(transactions).toBe(0);
  });

  it(`keeps the earliest ${MAX_POINTS_PER_LANE} points of a lane written past its limit, after a remote update`, () => {
    const server = setup();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const dispose = observeAutomationRepair(server, repair);
    const sv = Y.encodeStateVector(client);
    client.transact(() => {
      for (let i = 0; i < MAX_POINTS_PER_LANE + 10; i++) lanes(client).set(`p${i}`, pt('pan', 10 + i * 0.01, 0.5));
    });
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv), 'remote');
    const pan = [...lanes(server).entries()].filter(([, p]) => (p as { param: string }).param === 'pan').map(([id]) => id);
    expect(pan).toHaveLength(MAX_POINTS_PER_LANE);
    expect(pan).not.toContain(`p${MAX_POINTS_PER_LANE}`);
    // A local edit (the server's own, or an op) is not repaired: ops check their input.
    lanes(server).set('localjunk', 'x');
    expect(lanes(server).has('localjunk')).toBe(true);
    dispose();
  });
});
