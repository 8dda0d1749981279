import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, isValidRoomId, MESSAGE_TYPES, presenceUserOf } from '@mixroom/shared/protocol';
import { initMixDoc, readMixState } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { createJsonLogger } from '../../server/src/log/Logger.ts';
import { LocalRoomStore } from '../../server/src/sync/persistence/LocalRoomStore.ts';
import type { RoomStore } from '../../server/src/sync/persistence/RoomStore.ts';
import {
  startTestServer,
  testConfig,
  waitFor,
  whenSynced,
  type LogLine,
} from './syncHarness.ts';
import { useSyncFixture } from './useSyncFixture.ts';

const fx = useSyncFixture('mixroom-sync-');
const { clients, open } = fx;

/** Opens a raw socket and resolves with the close code the server sends. */
function closeCodeOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

describe('sync server with real y-websocket@3 clients', () => {
  it('relays edits both ways and awareness', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const a = open(fx.server.url, 'relay', { user: 'a' });
    const b = open(fx.server.url, 'relay', { user: 'b' });
    await Promise.all([whenSynced(a), whenSynced(b)]);

    a.doc.getMap('m').set('fader', -6);
    await waitFor('b sees a', () => b.doc.getMap('m').get('fader') === -6);
    b.doc.getMap('m').set('pan', 0.25);
    await waitFor('a sees b', () => a.doc.getMap('m').get('pan') === 0.25);

    // The client's own fields are relayed as sent; `user` is what the server knows of the socket.
    a.provider.awareness.setLocalState({ user: { name: 'Alice' }, playhead: { position: 12.5, playing: true, seq: 1 } });
    await waitFor('b sees a presence', () => b.provider.awareness.getStates().get(a.doc.clientID)?.playhead?.position === 12.5);
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
      user: presenceUserOf({ userId: 'a', name: 'a', role: 'owner' }),
      playhead: { position: 12.5, playing: true, seq: 1 },
    });

    // A departing client's presence is removed for the others.
    a.provider.disconnect();
    await waitFor('a presence removed', () => !b.provider.awareness.getStates().has(a.doc.clientID));
  });

  it('keeps every edit across a server restart mid-session and clients resync', async () => {
    const config = testConfig(fx.dir.path);
    fx.server = await startTestServer(config);
    const port = fx.server.port;
    const a = open(fx.server.url, 'restart', { user: 'a' });
    const b = open(fx.server.url, 'restart', { user: 'b' });
    await Promise.all([whenSynced(a), whenSynced(b)]);
    for (let i = 0; i < 50; i++) a.doc.getMap('m').set(`k${i}`, i);
    await waitFor('b has 50', () => b.doc.getMap('m').size === 50);

    await fx.server.close();
    // Edits made while the server is down reach it after the restart, via sync step 2.
    a.doc.getMap('m').set('offline', 'a');
    b.doc.getMap('m').set('offline-b', 'b');
    fx.server = await startTestServer({ ...config, port });
    await waitFor('a sees b offline edit', () => a.doc.getMap('m').get('offline-b') === 'b');
    await waitFor('b sees a offline edit', () => b.doc.getMap('m').get('offline') === 'a');

    const fresh = open(fx.server.url, 'restart', { user: 'c' });
    await whenSynced(fresh);
    await waitFor('fresh has all', () => fresh.doc.getMap('m').size === 52);
    expect(fresh.doc.getMap('m').toJSON()).toEqual(a.doc.getMap('m').toJSON());
  });

  it('drops a read-only role’s updates, tells it why, and still sends it everything', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const editor = open(fx.server.url, 'readonly', { user: 'eng', role: 'engineer' });
    const listener = open(fx.server.url, 'readonly', { user: 'lis', role: 'listener' });
    await Promise.all([whenSynced(editor), whenSynced(listener)]);
    await waitFor('notice on connect', () => listener.notices.length >= 1);
    expect(listener.notices[0]).toBe('listener');
    expect(editor.notices).toEqual([]);

    editor.doc.getMap('m').set('gain', 1);
    await waitFor('listener receives updates', () => listener.doc.getMap('m').get('gain') === 1);

    const before = listener.notices.length;
    listener.doc.getMap('m').set('gain', 99);
    listener.doc.getMap('m').set('hack', true);
    await waitFor('notice per dropped update', () => listener.notices.length >= before + 2);

    // The listener's awareness still reaches others.
    listener.provider.awareness.setLocalStateField('touching', 'track:kick:gain');
    await waitFor('editor sees listener presence', () =>
      editor.provider.awareness.getStates().get(listener.doc.clientID)?.touching === 'track:kick:gain',
    );
    expect(editor.provider.awareness.getStates().get(listener.doc.clientID)?.user).toMatchObject({ id: 'lis', role: 'listener' });

    // A round trip through the editor proves the server processed the dropped updates first.
    editor.doc.getMap('m').set('after', 1);
    await waitFor('listener gets later edit', () => listener.doc.getMap('m').get('after') === 1);
    const fresh = open(fx.server.url, 'readonly', { user: 'x', role: 'reviewer' });
    await whenSynced(fresh);
    expect(fresh.doc.getMap('m').toJSON()).toEqual({ gain: 1, after: 1 });
    expect(editor.doc.getMap('m').toJSON()).toEqual({ gain: 1, after: 1 });
  });

  it('refuses invalid room ids (4404) and unknown identities (4401)', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const ws = fx.server.url.replace('http', 'ws');
    expect(await closeCodeOf(`${ws}/sync/${'x'.repeat(65)}`)).toBe(CLOSE_CODES.invalidRoomId);
    expect(await closeCodeOf(`${ws}/sync/bad.room`)).toBe(CLOSE_CODES.invalidRoomId);
    expect(await closeCodeOf(`${ws}/sync/ok-room?role=none`)).toBe(CLOSE_CODES.unauthorized);
    expect(isValidRoomId('ok-room')).toBe(true);
    // The unmodified client stops reconnecting on 44xx and reports it.
    const refused = open(fx.server.url, 'ok-room', { role: 'none' });
    const closed = await new Promise<{ code: number }>((resolve) => refused.provider.on('closed', resolve));
    expect(closed.code).toBe(CLOSE_CODES.unauthorized);
  });

  it('unloads an idle room and reloads it from disk with nothing lost', async () => {
    const lines: LogLine[] = [];
    fx.server = await startTestServer(testConfig(fx.dir.path, { ROOM_IDLE_UNLOAD_MS: '100' }), { lines });
    const rooms = fx.server.services.rooms;
    const a = open(fx.server.url, 'idle', { user: 'a' });
    await whenSynced(a);
    for (let i = 0; i < 20; i++) a.doc.getMap('m').set(`k${i}`, i);
    const expected = a.doc.getMap('m').toJSON();
    a.provider.disconnect();
    await waitFor('room unloaded', () => !rooms.isLoaded('idle' as never));
    await rooms.whenUnloaded('idle' as never);

    const b = open(fx.server.url, 'idle', { user: 'b' });
    await whenSynced(b);
    expect(b.doc.getMap('m').toJSON()).toEqual(expected);
    const loads = lines.filter((l) => l.msg === 'room loaded' && l.fields.roomId === 'idle');
    expect(loads.map((l) => l.fields.isNew)).toEqual([true, false]);
    expect(lines.some((l) => l.msg === 'room unloaded' && l.fields.roomId === 'idle')).toBe(true);
  });

  it('a connection arriving while its room unloads waits and loses nothing', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path, { ROOM_IDLE_UNLOAD_MS: '0' }));
    const expected: Record<string, number> = {};
    // Each round: connect, write, leave; with a zero idle time every leave starts an unload
    // that the next round's connection races.
    for (let round = 0; round < 15; round++) {
      const c = open(fx.server.url, 'churn', { user: `u${round}` });
      await whenSynced(c);
      expect(c.doc.getMap('m').toJSON()).toEqual(expected);
      c.doc.getMap('m').set(`r${round}`, round);
      expected[`r${round}`] = round;
      // Wait for the echo through another connection before leaving, so the edit was accepted.
      const check = open(fx.server.url, 'churn', { user: `check${round}` });
      await waitFor('edit relayed', () => check.doc.getMap('m').get(`r${round}`) === round);
      c.destroy();
      check.destroy();
    }
    const last = open(fx.server.url, 'churn', { user: 'last' });
    await whenSynced(last);
    expect(last.doc.getMap('m').toJSON()).toEqual(expected);
  });

  it('lets a server module write to a live room (withRoom), persisted and relayed', async () => {
    const config = testConfig(fx.dir.path);
    const initRoom = (doc: Y.Doc) => initMixDoc(doc, { title: 'Mix', sampleRate: 48000 });
    fx.server = await startTestServer(config, { initRoom });
    const a = open(fx.server.url, 'server-write', { user: 'a' });
    await whenSynced(a);
        expect(readMixState(a.doc).tracks).toEqual([]);

    const trackId = await fx.server.services.rooms.withRoom(
      'server-write' as never,
      (doc, origin) => addTrack(doc, { name: 'Kick', stem: null }, origin),
      { actor: 'stems' },
    );
    await waitFor('a sees the track', () => readMixState(a.doc).tracks.find((t) => t.id === trackId)?.name === 'Kick');

    // Durable: a restarted server still has it, and a room not yet loaded can be written too.
    await fx.server.services.rooms.withRoom('server-write-cold' as never, (doc, origin) =>
      addTrack(doc, { name: 'Bass', stem: null }, origin),
    );
    const port = fx.server.port;
    await fx.server.close();
    fx.server = await startTestServer({ ...config, port }, { initRoom });
    const fresh = open(fx.server.url, 'server-write', { user: 'b' });
    const cold = open(fx.server.url, 'server-write-cold', { user: 'b' });
    await Promise.all([whenSynced(fresh), whenSynced(cold)]);
    expect(readMixState(fresh.doc).tracks.find((t) => t.id === trackId)?.name).toBe('Kick');
    expect(readMixState(cold.doc).tracks.map((t) => t.name)).toEqual(['Bass']);
  });

  it('refuses upgrades outside /sync/ with a 404', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${fx.server!.url.replace('http', 'ws')}/elsewhere`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });

  it('closes a room whose log cannot be written (4500); clients reconnect and nothing is lost', async () => {
    // The real local store with an injected disk failure on demand.
    const inner = new LocalRoomStore(fx.dir.path, createJsonLogger('error', () => undefined));
    let failAppends = false;
    const store: RoomStore = {
      start: () => inner.start(),
      stop: () => inner.stop(),
      open: async (roomId) => {
        const opened = await inner.open(roomId);
        const append = opened.storage.append.bind(opened.storage);
        opened.storage.append = (updates) =>
          failAppends ? Promise.reject(new Error('ENOSPC (injected)')) : append(updates);
        return opened;
      },
    };
    const lines: LogLine[] = [];
    fx.server = await startTestServer(testConfig(fx.dir.path), { store, lines });
    const a = open(fx.server.url, 'disk-full', { user: 'a' });
    const b = open(fx.server.url, 'disk-full', { user: 'b' });
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const codes: number[] = [];
    a.provider.on('connection-close', (event) => {
      if (event) codes.push(event.code);
    });

    failAppends = true;
    a.doc.getMap('m').set('written-while-failing', 1);
    await waitFor('a closed with 4500', () => codes.includes(CLOSE_CODES.roomUnavailable));
    expect(b.doc.getMap('m').has('written-while-failing')).toBe(false);
    failAppends = false;

    // a reconnects by itself (45xx is transient) and its sync step 2 resends the edit.
    await waitFor('b gets the edit after recovery', () => b.doc.getMap('m').get('written-while-failing') === 1);
    expect(lines.some((l) => l.level === 'error' && l.msg.includes('storage failed'))).toBe(true);
    const fresh = open(fx.server.url, 'disk-full', { user: 'c' });
    await whenSynced(fresh);
    expect(fresh.doc.getMap('m').get('written-while-failing')).toBe(1);
  });

  it('keeps a joiner of a room of six connected: y-websocket echoes every presence it receives', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const people = Array.from({ length: 6 }, (_, i) => open(fx.server!.url, 'crowded', { user: `p${i}` }));
    await Promise.all(people.map(whenSynced));
    for (const p of people) p.provider.awareness.setLocalStateField('playhead', 1);
    await waitFor('everyone sees everyone', () => people.every((p) => p.provider.awareness.getStates().size === 6));
    const late = open(fx.server.url, 'crowded', { user: 'late' });
    const codes: number[] = [];
    late.provider.on('connection-close', (event) => {
      if (event) codes.push(event.code);
    });
    await whenSynced(late);
    await waitFor('the joiner sees all six', () => people.every((p) => late.provider.awareness.getStates().has(p.doc.clientID)));
    // The joiner echoed six states back in one frame (the stock client does): not a reason to close.
    await new Promise((r) => setTimeout(r, 200));
    expect(codes).toEqual([]);
    expect(late.provider.wsconnected).toBe(true);
  });

  it("does not let one user overwrite or remove another user's presence", async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const a = open(fx.server.url, 'presence', { user: 'alice' });
    const b = open(fx.server.url, 'presence', { user: 'bob' });
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.provider.awareness.setLocalStateField('touching', 'Alice');
    await waitFor('b sees alice', () => b.provider.awareness.getStates().get(a.doc.clientID)?.touching === 'Alice');
    const seenNames: string[] = [];
    b.provider.awareness.on('change', () => {
      const name = b.provider.awareness.getStates().get(a.doc.clientID)?.touching;
      seenNames.push(name ?? '<removed>');
    });

    // Mallory forges Alice's clientID: one update renaming her, one removing her.
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = a.doc.clientID;
    forged.setLocalState({ touching: 'Fake' });
    const frame = (update: Uint8Array) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_TYPES.awareness);
      encoding.writeVarUint8Array(e, update);
      return encoding.toUint8Array(e);
    };
    const rename = frame(awarenessProtocol.encodeAwarenessUpdate(forged, [a.doc.clientID]));
    const meta = forged.meta.get(a.doc.clientID)!;
    meta.clock += 100;
    const remove = frame(awarenessProtocol.encodeAwarenessUpdate(forged, [a.doc.clientID], new Map()));
    const mallory = new WebSocket(`${fx.server.url.replace('http', 'ws')}/sync/presence?user=mallory`);
    const replies: Buffer[] = [];
    mallory.on('message', (data: Buffer) => replies.push(data));
    await new Promise((resolve) => mallory.once('open', resolve));
    mallory.send(rename);
    mallory.send(remove);
    // queryAwareness: its answer proves both frames above were processed first.
    const before = replies.length;
    mallory.send(new Uint8Array([MESSAGE_TYPES.queryAwareness]));
    await waitFor('mallory answered', () => replies.length > before);
    const closedCode = await Promise.race([
      new Promise<number>((resolve) => mallory.once('close', resolve)),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 50)),
    ]);
    expect(closedCode).toBeNull();
    mallory.close();
    forged.destroy();

    a.provider.awareness.setLocalStateField('touching', 'Alice 2');
    await waitFor('b sees the real rename', () => seenNames.includes('Alice 2'));
    expect(seenNames.filter((n) => n === 'Fake' || n === '<removed>')).toEqual([]);
  });
});
