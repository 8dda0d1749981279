import { once } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES } from '@mixroom/shared/protocol';
import {
  connectClient,
  startTestServer,
  testConfig,
  waitFor,
  whenSynced,
} from './syncHarness.ts';
import { useSyncFixture } from './useSyncFixture.ts';

/** Joins `room` with a bare `ws` socket, asks for the whole document, and reports the bytes it read. */
async function join(serverUrl: string, room: string, deflate: boolean): Promise<{ bytes: number; extensions: string; doc: Y.Doc }> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/sync/${room}?user=joiner`, { perMessageDeflate: deflate });
  ws.binaryType = 'nodebuffer';
  const doc = new Y.Doc();
  const gotState = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_TYPES.sync) return;
      const kind = syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
      if (kind === syncProtocol.messageYjsSyncStep2) resolve();
    });
  });
  await once(ws, 'open');
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, MESSAGE_TYPES.sync);
  syncProtocol.writeSyncStep1(step1, doc);
  ws.send(encoding.toUint8Array(step1));
  await gotState;
  const bytes = (ws as unknown as { _socket: Socket })._socket.bytesRead;
  ws.terminate();
  return { bytes, extensions: ws.extensions, doc };
}

/** A session's worth of mix edits: faders, EQ, automation points, comments. */
function writeSession(doc: Y.Doc): void {
  const tracks = doc.getMap('tracks');
  for (let t = 0; t < 40; t++) {
    const track = new Y.Map<unknown>();
    tracks.set(`track-${t}`, track);
    for (let i = 0; i < 200; i++) {
      doc.transact(() => {
        track.set('gainDb', -((t * 7 + i) % 60) / 2);
        track.set('pan', ((i % 21) - 10) / 10);
        track.set(`eq${i % 4}`, { freq: 100 * ((i % 40) + 1), gainDb: (i % 13) - 6, q: 0.7 });
      });
    }
  }
}

const fx = useSyncFixture('mixroom-deflate-');
const { clients } = fx;

describe('permessage-deflate on sync sockets', () => {
  it('sends a joiner’s first sync compressed when the client offers it (as browsers do)', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    // The session is written offline and arrives in the writer's first sync.
    const session = new Y.Doc();
    writeSession(session);
    session.getMap('m').set('done', true);
    const size = Y.encodeStateAsUpdate(session).byteLength;
    const writer = connectClient(fx.server.url, 'deflated', { user: 'w' }, { doc: session });
    const observer = connectClient(fx.server.url, 'deflated', { user: 'o' });
    clients.push(writer, observer);
    await waitFor('server has the session', () => observer.doc.getMap('m').get('done') === true, 60_000);

    const first = await join(fx.server.url, 'deflated', false);
    const compressed = await join(fx.server.url, 'deflated', true);
    expect(first.extensions).toBe('');
    expect(compressed.extensions).toMatch(/^permessage-deflate/);
    expect(first.bytes).toBeGreaterThan(size);
    // The same document arrives, in a fraction of the bytes.
    expect(Y.encodeStateVector(compressed.doc)).toEqual(Y.encodeStateVector(session));
    expect(compressed.bytes).toBeLessThan(first.bytes / 3);
    console.info(`first sync of a ${size}-byte room: ${first.bytes} B plain, ${compressed.bytes} B deflated`);
  });

  it('sends frames under the threshold as they are, even on a socket that negotiated deflate', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path));
    const writer = connectClient(fx.server.url, 'small', { user: 'w' });
    clients.push(writer);
    await whenSynced(writer);
    const ws = new WebSocket(`${fx.server.url.replace(/^http/, 'ws')}/sync/small?user=reader`, { perMessageDeflate: true });
    const doc = new Y.Doc();
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === MESSAGE_TYPES.sync) syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
    });
    try {
      await once(ws, 'open');
      expect(ws.extensions).toMatch(/^permessage-deflate/);
      const socket = (ws as unknown as { _socket: Socket })._socket;
      await waitFor('reader joined', () => socket.bytesRead > 0);
      const before = socket.bytesRead;
      // 8 KiB that deflate would shrink to a few dozen bytes: a pasted note, a big presence frame.
      const text = 'mix note '.repeat(910);
      writer.doc.getMap('m').set('note', text);
      await waitFor('reader got the note', () => doc.getMap('m').get('note') === text);
      expect(socket.bytesRead - before).toBeGreaterThan(text.length);
    } finally {
      ws.terminate();
    }
  });

  it('is off with SYNC_DEFLATE=off', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path, { SYNC_DEFLATE: 'off' }));
    const offered = await join(fx.server.url, 'plain', true);
    expect(offered.extensions).toBe('');
  });

  it('closes a socket whose compressed frame inflates past the limit (1009), and serves the others', async () => {
    fx.server = await startTestServer(testConfig(fx.dir.path, { MAX_MESSAGE_BYTES: String(64 * 1024) }));
    const other = connectClient(fx.server.url, 'bomb', { user: 'o' });
    clients.push(other);
    await whenSynced(other);
    const ws = new WebSocket(`${fx.server.url.replace(/^http/, 'ws')}/sync/bomb?user=bomber`, { perMessageDeflate: true });
    await once(ws, 'open');
    // 64 MB of zeros deflate to about 64 KB on the wire.
    ws.send(Buffer.alloc(64 * 1024 * 1024));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1009);
    other.doc.getMap('m').set('still', 'here');
    const check = connectClient(fx.server.url, 'bomb', { user: 'c' });
    clients.push(check);
    await waitFor('the room still works', () => check.doc.getMap('m').get('still') === 'here');
  });
});
