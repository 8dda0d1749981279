import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc, MIX_CAPS, readMixState } from '../../model/index.ts';
import { createOrigin } from '../../protocol/TransactionOrigin.ts';
import { addTrack } from '../addTrack.ts';
import { repairCaps } from './repairCaps.ts';

const origin = createOrigin('local-user', 'test');
const repair = createOrigin('server', 'repair');

function fullMinusOne(): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'Caps', sampleRate: 48000 });
  const have = readMixState(doc).tracks.length;
  for (let i = have; i < MIX_CAPS.tracks - 1; i++) addTrack(doc, { name: `T${i}`, stem: null, id: `t${i}` }, origin);
  return doc;
}

describe('repairCaps', () => {
  it('writes nothing to a document within the caps', () => {
    const doc = fullMinusOne();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    expect(repairCaps(doc, repair)).toBe(0);
    expect(updates).toBe(0);
  });

  it('two peers adding the last track at once converge on the same capped mix', () => {
    const a = fullMinusOne();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addTrack(a, { name: 'From A', stem: null, id: 'zz-a' }, origin);
    addTrack(b, { name: 'From B', stem: null, id: 'zz-b' }, origin);
    const fromA = Y.encodeStateAsUpdate(a);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, fromA);
    expect(readMixState(a).tracks.length).toBe(MIX_CAPS.tracks + 1);
    // Each repairs on its own: the same strip goes, so exchanging the fixes changes nothing.
    expect(repairCaps(a, repair)).toBe(1);
    expect(repairCaps(b, repair)).toBe(1);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readMixState(a)).toEqual(readMixState(b));
    expect(readMixState(a).tracks.map((t) => t.id)).toContain('zz-a');
    expect(readMixState(a).tracks.map((t) => t.id)).not.toContain('zz-b');
    expect(repairCaps(a, repair)).toBe(0);
  });
});
