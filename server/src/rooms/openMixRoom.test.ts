import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CURRENT_SCHEMA_VERSION, getMixRoot, getSessionMap, getTrackMap, initMixDoc, MIX_CAPS } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { createOrigin, type RoomId } from '@mixroom/shared/protocol';
import { openMixRoom } from './openMixRoom.ts';

const origin = createOrigin('server', 'open');

/** A stored mix as a newer node left it: its schema version, a new key, a new root map. */
function newerMix(version: number): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'Newer', sampleRate: 48_000 });
  addTrack(doc, { name: 'Vox', stem: null, id: 'vox' }, createOrigin('local-user', 'u'));
  doc.transact(() => {
    getSessionMap(doc)!.set('schemaVersion', version);
    getTrackMap(doc, 'vox')!.set('width', 0.5);
    getMixRoot(doc).set('markers', new Y.Map(Object.entries({ m1: 'Chorus' })));
    getTrackMap(doc, 'vox')!.set('color', 'c'.repeat(MIX_CAPS.valueLength + 1));
  });
  return doc;
}

describe('openMixRoom', () => {
  it('loads a newer schema\'s mix without migrating it or deleting what it does not know, logs once; caps still hold', () => {
    const doc = newerMix(CURRENT_SCHEMA_VERSION + 1);
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const close = openMixRoom(doc, 'room-newer' as RoomId, origin, { warn: (_msg, fields) => warnings.push(fields) });
    expect(getSessionMap(doc)!.get('schemaVersion')).toBe(CURRENT_SCHEMA_VERSION + 1);
    expect(getTrackMap(doc, 'vox')!.get('width')).toBe(0.5);
    expect((getMixRoot(doc).get('markers') as Y.Map<unknown>).toJSON()).toEqual({ m1: 'Chorus' });
    expect(getTrackMap(doc, 'vox')!.has('color')).toBe(false);
    doc.transact(() => getTrackMap(doc, 'vox')!.set('width', 0.6));
    expect(warnings).toEqual([{ roomId: 'room-newer', schemaVersion: CURRENT_SCHEMA_VERSION + 1, nodeSchemaVersion: CURRENT_SCHEMA_VERSION }]);
    close();
  });

  it('at the current version the same keys are deleted on load, and nothing is logged', () => {
    const doc = newerMix(CURRENT_SCHEMA_VERSION);
    const warnings: unknown[] = [];
    const close = openMixRoom(doc, 'room-current' as RoomId, origin, { warn: (_msg, fields) => warnings.push(fields) });
    expect(getTrackMap(doc, 'vox')!.has('width')).toBe(false);
    expect(getMixRoot(doc).has('markers')).toBe(false);
    expect(warnings).toEqual([]);
    close();
  });
});
