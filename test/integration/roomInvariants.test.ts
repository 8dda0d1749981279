import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CURRENT_SCHEMA_VERSION, findBusCycle, getMixRoot, initMixDoc, readMixState, validateMixState } from '@mixroom/shared/model';
import { openMixRoom } from '../../server/src/rooms/openMixRoom.ts';
import { addTwoGroups, groupOutputs, mergeOfflineCycle } from './offlineBusCycle.ts';
import { connectClient, makeTempDir, startTestServer, testConfig, whenSynced, type TestClient } from './syncHarness.ts';

/** A room as the v1 schema stored it: pan in -100..100, sends as a Y.Array. */
function writeV1Room(doc: Y.Doc): void {
  const map = (entries: Record<string, unknown>) => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(entries)) m.set(k, v);
    return m;
  };
  const root = getMixRoot(doc);
  root.set('session', map({ title: 'Old song', sampleRate: 48000, schemaVersion: 1, tempo: 96 }));
  const tracks = new Y.Map<unknown>();
  root.set('tracks', tracks);
  root.set('buses', new Y.Map<unknown>());
  root.set('master', map({ gain: -2 }));
  (root.get('buses') as Y.Map<unknown>).set('rev', map({ id: 'rev', name: 'Plate', kind: 'aux', order: 0, pan: 0, effect: map({ type: 'reverb', decay: 1.5 }) }));
  const vox = map({ id: 'vox', name: 'Vox', order: 0, gain: -4, pan: -50 });
  tracks.set('vox', vox);
  const sends = new Y.Array<Y.Map<unknown>>();
  vox.set('sends', sends);
  sends.push([map({ bus: 'rev', level: -8, pre: false, on: true })]);
}

describe('rooms keep their mix documents current and valid on the server', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    dir = await makeTempDir('mixroom-invariants-');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await dir.remove();
  });

  it('migrates a room stored by an older schema when it loads, for every client', async () => {
    const config = testConfig(dir.path);
    // An older server stored the room in the v1 layout (no migration hook).
    const old = await startTestServer(config, { initRoom: writeV1Room });
    const first = connectClient(old.url, 'oldsong');
    clients.push(first);
    await whenSynced(first);
    expect(getMixRoot(first.doc).get('session')).toBeInstanceOf(Y.Map);
    expect((getMixRoot(first.doc).get('session') as Y.Map<unknown>).get('schemaVersion')).toBe(1);
    first.destroy();
    await old.close();

    // Today's server loads the same stored state and migrates it before anyone sees it.
    const current = await startTestServer(config, { openRoom: openMixRoom });
    try {
      const client = connectClient(current.url, 'oldsong');
      clients.push(client);
      await whenSynced(client);
      const state = readMixState(client.doc);
      expect(state.session.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
      expect(validateMixState(state).ok).toBe(true);
      const vox = state.tracks.find((t) => t.id === 'vox');
      expect(vox?.pan).toBe(-0.5);
      expect(vox?.sends).toEqual([{ bus: 'rev', level: -8, pre: false, on: true }]);
      client.destroy();
    } finally {
      await current.close();
    }
  });

  it('breaks a group cycle two users create concurrently, identically for both', async () => {
    const server = await startTestServer(testConfig(dir.path), {
      initRoom: (doc) => initMixDoc(doc, { title: 'Cycle', sampleRate: 48000 }),
      openRoom: openMixRoom,
    });
    try {
      const a = connectClient(server.url, 'cycle', { user: 'a' });
      const b = connectClient(server.url, 'cycle', { user: 'b' });
      clients.push(a, b);
      await Promise.all([whenSynced(a), whenSynced(b)]);
      await addTwoGroups(a, b);
      await mergeOfflineCycle(a, b);
      expect(groupOutputs(a.doc)).toEqual(groupOutputs(b.doc));
      const state = readMixState(a.doc);
      expect(findBusCycle(state.buses)).toBeNull();
      expect(readMixState(b.doc)).toEqual(state);
    } finally {
      await server.close();
    }
  });
});
